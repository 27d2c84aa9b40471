"""`kg push` against a real Oxigraph server on loopback, and against servers that fail."""

from __future__ import annotations

import contextlib
import http.server
import itertools
import json
import socket
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.cli import main as kg_main
from kg.http.client import RetryPolicy
from kg.push.copy import Endpoint, PushError, PushOptions, push, temp_graph
from kg.store.embedded import Store
from tests.servers import OxigraphServer, free_port, in_thread, oxigraph_server

pytestmark = pytest.mark.server


def server_graphs(server: OxigraphServer, names: list[URIRef]) -> dict[URIRef, Graph]:
    """Every named graph of the server, read back over its Graph Store endpoint."""
    out: dict[URIRef, Graph] = {}
    for name in names:
        url = f"{server.store}?graph={urllib.parse.quote(str(name), safe='')}"
        req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            out[name] = Graph().parse(data=resp.read().decode("utf-8"), format="nt")
    return out


def server_graph_names(server: OxigraphServer) -> set[str]:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = f"{server.query}?query={urllib.parse.quote(query)}"
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        data = json.load(resp)
    return {b["g"]["value"] for b in data["results"]["bindings"]}


def same_as_store(store_dir: Path, server: OxigraphServer) -> None:
    """The server holds exactly the store's named graphs, each isomorphic to the store's."""
    with Store.open(store_dir, read_only=True) as store:
        names = store.graph_names()
        assert server_graph_names(server) == {str(n) for n in names}
        remote = server_graphs(server, names)
        for name in names:
            assert isomorphic(store.graph(name), remote[name]), name


def test_push_with_graph_store_protocol(seed_store, tmp_path, capsys):
    with oxigraph_server(tmp_path / "db") as server:
        args = ["push", "--store", str(seed_store), "--endpoint", server.query]
        assert kg_main([*args, "--graph-store", server.store]) == 0
        out = capsys.readouterr().out
        assert "checked: 5 graphs" in out  # two articles, ontology, reference, money flows
        same_as_store(seed_store, server)


def test_push_with_sparql_update_in_chunks(seed_store, tmp_path, capsys):
    """Chunks of 300 triples: the ontology graph's blank-node structures must stay whole."""
    with oxigraph_server(tmp_path / "db") as server:
        args = ["push", "--store", str(seed_store), "--endpoint", server.query]
        assert kg_main([*args, "--update-endpoint", server.update, "--chunk-size", "300"]) == 0
        capsys.readouterr()
        same_as_store(seed_store, server)
        # the temporary graphs are gone (MOVE took them)
        with Store.open(seed_store, read_only=True) as store:
            for name in store.graph_names():
                assert str(temp_graph(name)) not in server_graph_names(server)


def test_dry_run_shows_counts_and_changes_nothing(seed_store, tmp_path, capsys):
    with oxigraph_server(tmp_path / "db") as server:
        base = ["push", "--store", str(seed_store), "--endpoint", server.query]
        # one graph already there, smaller than in the store
        ref = "https://w3id.org/aikg/id/graph/reference"
        req = urllib.request.Request(
            f"{server.store}?graph={urllib.parse.quote(ref, safe='')}",
            data=b"<http://ex.org/s> <http://ex.org/p> <http://ex.org/o> .\n",
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(req, timeout=10).close()
        assert kg_main([*base, "--dry-run"]) == 0
        lines = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
        with Store.open(seed_store, read_only=True) as store:
            assert lines[ref] == [str(store.count(URIRef(ref))), "1", "replace"]
            article = next(str(g) for g in store.graph_names() if "/article/" in str(g))
            assert lines[article] == [str(store.count(URIRef(article))), "0", "create"]
        assert server_graph_names(server) == {ref}


def test_skip_same_count_leaves_equal_graphs_alone(seed_store, tmp_path, capsys):
    with oxigraph_server(tmp_path / "db") as server:
        base = ["push", "--store", str(seed_store), "--endpoint", server.query]
        assert kg_main([*base, "--graph-store", server.store]) == 0
        capsys.readouterr()
        assert kg_main([*base, "--graph-store", server.store, "--skip-same-count"]) == 0
        assert "pushed 0 graphs (0 triples)" in capsys.readouterr().out


def test_interrupted_push_run_again_equals_a_clean_push(seed_store, tmp_path):
    """The server stops after two graphs; started again, a second push completes the job."""
    location = tmp_path / "db"
    stopped: list[str] = []
    with oxigraph_server(location) as server:
        endpoint = Endpoint(server.query, server.update)

        def stop_at_third(message: str) -> None:
            if message.startswith("[3/") and not stopped:
                stopped.append(message)
                server.process.terminate()
                server.process.wait()

        options = PushOptions(timeout=2, retry=RetryPolicy(tries=2, backoff=0.1), chunk_size=500)
        with Store.open(seed_store, read_only=True) as store, pytest.raises(PushError) as caught:
            push(store, endpoint, options=options, progress=stop_at_third)
    assert len(caught.value.pushed) == 2
    assert len(caught.value.not_pushed) == 3
    assert "2 of 5 graphs arrived" in str(caught.value)
    with oxigraph_server(location) as server:
        assert server_graph_names(server) == {str(g) for g in caught.value.pushed}
        args = ["push", "--store", str(seed_store), "--endpoint", server.query]
        assert kg_main([*args, "--update-endpoint", server.update, "--chunk-size", "500"]) == 0
        same_as_store(seed_store, server)


def test_blank_nodes_shared_across_triples_survive_chunking(tmp_path):
    store = Store.open(tmp_path / "store")
    g = Graph()
    p = URIRef("http://ex.org/p")
    for i in range(40):  # chains of blank nodes, longer than a chunk
        nodes = [BNode() for _ in range(6)]
        g.add((URIRef(f"http://ex.org/s{i}"), p, nodes[0]))
        for a, b in itertools.pairwise(nodes):
            g.add((a, p, b))
        g.add((nodes[-1], p, Literal(f"end {i}", lang="zh-Hant")))
    name = URIRef("http://ex.org/g")
    store.replace_graph(name, g)
    expected = store.graph(name)  # as stored (Oxigraph writes language tags in lower case)
    store.close()
    with oxigraph_server(tmp_path / "db") as server:
        args = ["push", "--store", str(tmp_path / "store"), "--endpoint", server.query]
        assert kg_main([*args, "--update-endpoint", server.update, "--chunk-size", "4"]) == 0
        assert isomorphic(server_graphs(server, [name])[name], expected)


# -- servers that fail -------------------------------------------------------------------------


def test_stopped_server_exit_2_with_a_clear_message(seed_store, tmp_path, capsys):
    with oxigraph_server(tmp_path / "db") as server:
        query = server.query
    args = ["push", "--store", str(seed_store), "--endpoint", query, "--timeout", "2"]
    assert kg_main(args) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err
    assert "0 of 5 graphs arrived, 5 not pushed" in err
    assert "not pushed: https://w3id.org/aikg/id/graph/reference" in err


class _Failing(http.server.BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []

    def log_message(self, format, *args):
        pass

    def _fail(self):
        type(self).calls.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"internal trouble"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _fail


@contextlib.contextmanager
def failing_server() -> Iterator[str]:
    _Failing.calls = []
    with in_thread(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


def test_server_answering_500_is_retried_then_exit_2(seed_store, capsys):
    with failing_server() as base:
        args = ["push", "--store", str(seed_store), "--endpoint", f"{base}/query", "--tries", "3"]
        assert kg_main(args) == 2
    err = capsys.readouterr().err
    assert "HTTP 500" in err
    assert "internal trouble" in err
    assert len(_Failing.calls) == 3  # three tries of the count query, then it gives up


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", free_port()))
    sock.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                accepted.append(sock.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        sock.close()


def test_server_that_never_answers_times_out_exit_2(seed_store, capsys):
    with silent_server() as base:
        args = ["push", "--store", str(seed_store), "--endpoint", f"{base}/query"]
        assert kg_main([*args, "--timeout", "0.5", "--tries", "2"]) == 2
    assert "no answer within 0.5 s" in capsys.readouterr().err


def test_half_arrived_graph_is_reported(seed_store, tmp_path, capsys):
    """A server holding one graph partly (another writer) is caught by the count check."""
    with oxigraph_server(tmp_path / "db") as server:
        args = ["push", "--store", str(seed_store), "--endpoint", server.query]
        assert kg_main([*args, "--graph-store", server.store]) == 0
        capsys.readouterr()
        with Store.open(seed_store, read_only=True) as store:
            quads = list(store.quads(URIRef("https://w3id.org/aikg/id/graph/reference")))
        # the dry run sees a difference after triples are removed on the server
        doomed = quads[0]
        update = f"DELETE DATA {{ GRAPH {doomed.graph_name} {{ {doomed.triple} }} }}"
        req = urllib.request.Request(
            server.update,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        urllib.request.urlopen(req, timeout=10).close()
        assert kg_main([*args, "--dry-run", "--skip-same-count"]) == 0
        out = capsys.readouterr().out
        line = next(x for x in out.splitlines() if x.startswith(str(doomed.graph_name.value)))
        assert line.split()[1:] == [str(len(quads)), str(len(quads) - 1), "replace"]


def test_credentials_are_never_shown(seed_store, capsys, monkeypatch):
    monkeypatch.setenv("KG_PUSH_USER", "someone")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret-value")
    with failing_server() as base:
        assert (
            kg_main(["push", "--store", str(seed_store), "--endpoint", f"{base}/q", "--tries", "1"])
            == 2
        )
    captured = capsys.readouterr()
    assert "s3cret-value" not in captured.err + captured.out


def test_bad_endpoint_url_is_refused(seed_store, capsys):
    assert kg_main(["push", "--store", str(seed_store), "--endpoint", "ftp://example.org/x"]) == 2
    assert "expected an http(s) URL" in capsys.readouterr().err


def test_no_server_at_the_endpoint_says_how_to_start_one(seed_store, capsys):
    port = free_port()  # nothing listens there
    base = f"http://127.0.0.1:{port}"
    args = ["push", "--store", str(seed_store), "--endpoint", f"{base}/query", "--tries", "1"]
    assert kg_main(args) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "oxigraph serve --location" in err
    assert kg_main([*args, "--dry-run"]) == 2
    assert "oxigraph serve --location" in capsys.readouterr().err
