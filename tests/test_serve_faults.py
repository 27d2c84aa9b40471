"""`kg serve` as an attacker and a careless client would use it: SERVICE to a loopback listener
that must hear nothing, a dense store behind the explorer's template pages, malformed HTTP over
a raw socket, paths that leave the store, and a store updated while the server runs."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.derived import derive_all
from kg.server.serve import StoreServer, make_server
from kg.store.embedded import Store
from tests.servers import in_thread

pytestmark = pytest.mark.server

AIKG = "https://w3id.org/aikg/ontology#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def get(url: str, *, accept: str | None = None, data: bytes | None = None, ctype: str = ""):
    headers = {"Accept": accept} if accept else {}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sparql(server: StoreServer, query: str):
    return get(f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}")


@pytest.fixture(scope="module")
def server(seed_store: Path) -> Iterator[StoreServer]:
    srv = make_server(seed_store, port=0, time_limit=5, row_limit=50, workers=1, idle_timeout=2)
    with in_thread(srv):
        yield srv


# -- no outbound requests ---------------------------------------------------------------------


class Listener:
    """A loopback TCP listener that counts the connections it gets (and answers none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    try:
        yield found
    finally:
        found.close()


def _service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # an escape, expanded
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ GRAPH ?g {{ ?a ?b ?c }} FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


def test_no_service_call_leaves_the_server_without_allow_service(server, listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    for query in _service_queries(url):
        status, headers, body = sparql(server, query)
        assert status == 403, query
        assert b"is not allowed" in body or b"cannot be checked" in body
        assert headers["X-Content-Type-Options"] == "nosniff"
    form = urllib.parse.urlencode({"query": _service_queries(url)[0]}).encode()
    status, _, _ = get(f"{server.url}/sparql", data=form, ctype="application/x-www-form-urlencoded")
    assert status == 403
    time.sleep(0.5)
    assert listener.connections == 0  # outbound requests: none
    # a literal that merely says "service" is no SERVICE call
    status, _, _ = sparql(server, 'ASK { GRAPH ?g { ?s ?p "customer service" } }')
    assert status == 200


def test_allow_service_lets_the_named_endpoint_through_only(seed_store, listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    other = f"http://127.0.0.1:{listener.port}/other"
    with in_thread(
        make_server(seed_store, port=0, time_limit=5, workers=1, allow_service=(url,))
    ) as srv:
        status, _, _ = sparql(srv, f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}")
        assert status == 403
        assert listener.connections == 0
        sparql(srv, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")  # it fails there
    assert listener.connections >= 1  # this test can see a request when one is made


# -- limits on every page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dense_store(tmp_path_factory) -> Path:
    """40 firms, each investing in every other: 1,560 deals in one graph; the 5-cycles of
    capital-cycles number in the tens of millions."""
    path = tmp_path_factory.mktemp("dense") / "store"
    graph = ox.NamedNode("https://w3id.org/aikg/id/article/dense")
    firms = [ox.NamedNode(f"https://w3id.org/aikg/id/firm/f{i:02d}") for i in range(40)]
    a_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = [ox.Quad(f, a_type, ox.NamedNode(AIKG + "Firm"), graph) for f in firms]
    n = 0
    for a in firms:
        for b in firms:
            if a != b:
                deal = ox.NamedNode(f"https://w3id.org/aikg/id/deal/d{n}")
                n += 1
                quads += [
                    ox.Quad(deal, a_type, ox.NamedNode(AIKG + "Investment"), graph),
                    ox.Quad(deal, ox.NamedNode(AIKG + "investor"), a, graph),
                    ox.Quad(deal, ox.NamedNode(AIKG + "investee"), b, graph),
                ]
    with Store.open(path) as store:
        store.add_quads(quads)
        derive_all(store)  # as kg build and kg load do
    return path


def test_the_template_pages_of_a_dense_store_stop_at_the_limits(dense_store):
    with in_thread(make_server(dense_store, port=0, time_limit=2, row_limit=20, workers=1)) as srv:
        for target in (
            "/templates/capital-cycles?max_length=5",
            "/api/capital-cycles?max_length=5",
            "/templates/capital-cycles?max_length=5&format=csv",
        ):
            started = time.monotonic()
            status, _headers, body = get(srv.url + target, accept="text/html")
            assert status == 504, target
            assert b"time limit of 2 s" in body
            assert time.monotonic() - started < 30
        # rows: cut at the limit, and the page says so
        status, headers, body = get(srv.url + "/templates/money-flows", accept="text/html")
        assert status == 200
        assert "cut at the server&#39;s limit of 20 rows" in body.decode("utf-8")
        status, headers, body = get(srv.url + "/templates/money-flows?format=json")
        assert headers["X-Result-Truncated"] == "true"
        status, headers, body = get(srv.url + "/api/money-flows")
        assert status == 200 and headers["X-Result-Truncated"] == "true"
        # and the server goes on
        status, _, body = get(srv.url + "/sparql?" + urllib.parse.urlencode({"query": COUNT}))
        assert status == 200


# -- malformed HTTP over a raw socket ------------------------------------------------------------


def _exchange(server: StoreServer, raw: bytes, *, wait: float = 10.0) -> bytes:
    """Send ``raw``, read until the server closes the connection (or ``wait`` passes)."""
    host, port = server.server_address
    with socket.create_connection((host, port), timeout=wait) as sock:
        with contextlib.suppress(ConnectionError):  # the server may close before all is sent
            sock.sendall(raw)
        chunks = []
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _statuses(answer: bytes) -> list[int]:
    return [
        int(line.split()[1])
        for line in answer.split(b"\r\n")
        if line.startswith(b"HTTP/1.1 ") and line.split()[1].isdigit()
    ]


def test_bad_content_lengths_get_one_400_and_the_connection_closes(server):
    for value in (b"-1", b"abc", b"1e3", b"+5", b"5, 6"):
        raw = (
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: " + value + b"\r\n\r\nASK {}"
        )
        answer = _exchange(server, raw)
        assert _statuses(answer) == [400], (value, answer[:200])
        assert b"X-Content-Type-Options: nosniff" in answer
        assert b"Content-Security-Policy:" in answer


def test_an_oversized_body_is_answered_once(server):
    from kg.server.serve import MAX_BODY

    body = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 2000  # requests, if the body were misread
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        + f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        + body
    )
    answer = _exchange(server, raw)
    assert _statuses(answer) == [413]


def test_a_chunked_body_is_read_as_a_body(server):
    query = COUNT.encode()
    chunks = b"".join(
        f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (query[:10], query[10:])
    )
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks + b"0\r\n\r\n"
    )
    answer = _exchange(server, raw)
    assert _statuses(answer) == [200]
    payload = answer.split(b"\r\n\r\n", 1)[1]
    assert int(json.loads(payload)["results"]["bindings"][0]["n"]["value"]) > 0
    smuggled = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\nzz\r\nGET / HTTP/1.1\r\n\r\n"
    )
    assert _statuses(_exchange(server, smuggled)) == [400]


def test_an_idle_half_sent_request_is_cut_off(server):
    host, port = server.server_address
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # no blank line
        started = time.monotonic()
        sock.settimeout(30)
        assert sock.recv(1024) == b""  # closed by the server, not answered
        assert time.monotonic() - started < 25  # idle_timeout is 2 s (cleanup every 1 s)


def test_paths_out_of_the_store_are_400_and_raw_utf8_is_read(server):
    for graph in ("../../etc/passwd", "/etc/passwd", "file", "", "http://x y"):
        url = f"{server.url}/store?{urllib.parse.urlencode({'graph': graph})}"
        status, headers, body = get(url)
        assert status == 400, graph
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    raw = "GET /search?q=輝達 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    answer = _exchange(server, raw)  # not ASCII: refused with words, not misread as Latin-1
    assert _statuses(answer) == [400]
    assert b"percent-encode" in answer and b"X-Content-Type-Options: nosniff" in answer
    status, _, body = get(f"{server.url}/search?{urllib.parse.urlencode({'q': '輝達'})}")
    assert status == 200 and b"/firm/nvidia" in body


def test_every_answer_has_the_security_headers(server):
    for target in ("/", "/api", "/openapi.json", "/api/nope", "/nowhere", "/firm/nvidia"):
        _, headers, _ = get(server.url + target)
        assert headers["X-Content-Type-Options"] == "nosniff", target
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], target
    _, headers, _ = get(server.url + "/sparql?" + urllib.parse.urlencode({"query": COUNT}))
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_api_answers_csv_by_accept_or_format_and_speaks_http(server):
    status, headers, body = get(f"{server.url}/api/capital-cycles", accept="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode("utf-8").splitlines()[0].startswith("length")
    status, headers, body2 = get(f"{server.url}/api/capital-cycles?format=csv")
    assert headers["Content-Type"].startswith("text/csv") and body2 == body
    status, _, body = get(f"{server.url}/api/firm-profile")
    assert status == 400
    assert b"needs the query parameter 'firm'" in body and b"--param" not in body
    status, _, body = get(f"{server.url}/api/firm-profile?firm=nvidia&colour=red")
    assert status == 400 and b"no query parameter 'colour'" in body


def test_each_request_is_one_line_of_the_access_log(server):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("kg.server.access")
    log.addHandler(handler)
    old = log.level
    log.setLevel(logging.INFO)
    try:
        get(f"{server.url}/api/nope")
    finally:
        log.removeHandler(handler)
        log.setLevel(old)
    (line,) = stream.getvalue().splitlines()
    assert '"GET /api/nope HTTP/1.1" 404 ' in line and line.startswith("127.0.0.1 - - [")


# -- a store updated under a running server ----------------------------------------------------


def test_after_a_writer_publishes_every_answer_comes_from_the_new_store(tmp_path):
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_quads(
            [
                ox.Quad(
                    ox.NamedNode("urn:a"),
                    ox.NamedNode("urn:p"),
                    ox.Literal("1"),
                    ox.NamedNode("urn:g1"),
                )
            ]
        )
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    with in_thread(make_server(path, port=0, time_limit=5, workers=2)) as srv:

        def count() -> int:
            _, _, body = sparql(srv, graphs)
            return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

        assert {count() for _ in range(6)} == {1}
        with Store.open(path) as store:  # kg build --update, kg link ... do the same
            store.add_quads(
                [
                    ox.Quad(
                        ox.NamedNode("urn:b"),
                        ox.NamedNode("urn:p"),
                        ox.Literal("2"),
                        ox.NamedNode("urn:g2"),
                    )
                ]
            )
        answers = [count() for _ in range(10)]  # both workers, each after the publication
        assert answers == [2] * 10
