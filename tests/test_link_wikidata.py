"""``kg link --source wikidata``: a real Oxigraph server on loopback with a Wikidata-shaped
fixture, queried through kg.http.client; saved query-service JSON results; politeness."""

from __future__ import annotations

import json
import random
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from rdflib import Literal, URIRef

from kg.cli import main
from kg.core.errors import InputError
from kg.core.iris import GRAPH_REFERENCE
from kg.link.firms import read_firms, sparql_text
from kg.link.match import Thresholds, Verdict
from kg.link.pipeline import link_wikidata
from kg.link.sources.wikidata import WikidataClient, fill_values
from kg.link.synthetic import decoy_name
from kg.store.embedded import Store
from tests.linkfixtures import FIXTURES, make_store, reference_graph
from tests.servers import OxigraphServer, in_thread, oxigraph_server

pytestmark = pytest.mark.server

WD = "http://www.wikidata.org/entity/"
LINKSET_WIKIDATA = URIRef("https://w3id.org/aikg/id/graph/linkset-wikidata")
EXPECTED = {
    "nvidia": "Q182477",
    "oracle": "Q19900",
    "microsoft": "Q2283",
    "amazon": "Q3884",
    "alphabet": "Q20800404",
    "google": "Q95",
    "meta": "Q380",
    "intel": "Q248",
    "tsmc": "Q713418",
    "openai": "Q21708200",
    "anthropic": "Q116758847",
    "softbank": "Q201653",
}


def _decoys(count: int) -> str:
    rng = random.Random(3)
    lines = []
    for i in range(count):
        name = decoy_name(rng).replace('"', "")
        lines.append(
            f'<{WD}Q8{i:07d}> <http://www.w3.org/2000/01/rdf-schema#label> "{name}"@en ; '
            f"<http://www.wikidata.org/prop/direct/P17> <{WD}Q30> ."
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    folder = tmp_path_factory.mktemp("wikidata")
    with oxigraph_server(folder / "data") as server:
        for body in ((FIXTURES / "wikidata.ttl").read_bytes(), _decoys(2_000).encode()):
            request = urllib.request.Request(
                f"{server.store}?default",
                data=body,
                method="POST",
                headers={"Content-Type": "text/turtle"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status in (200, 201, 204)
        yield server


@pytest.fixture(scope="module")
def stripped_firms(tmp_path_factory: pytest.TempPathFactory):
    path = make_store(tmp_path_factory.mktemp("store") / "store", stripped=True)
    with Store.open(path) as store:
        return read_firms(store)


def qids(result) -> dict[str, str]:
    return {
        d.firm.slug: d.candidate.identifier.removeprefix(WD)
        for d in result.decisions
        if d.verdict is Verdict.LINK and d.candidate is not None
    }


def test_stripped_firms_get_their_wikidata_items_through_the_endpoint(wikidata, stripped_firms):
    client = WikidataClient(wikidata.query)
    result = link_wikidata(
        stripped_firms, endpoint=wikidata.query, thresholds=Thresholds(), client=client
    )
    assert qids(result) == EXPECTED
    # batched: a few firms per request, many items per request (never one request per firm)
    assert client.requests < len(stripped_firms) / 4
    by_firm = {d.firm.slug: d for d in result.decisions}
    # the lower-case "oracle" concept has nothing but its name: never a rival, never a link
    oracle_concept = [c for c in by_firm["oracle"].considered if c.identifier == WD + "Q90000001"]
    assert oracle_concept and not oracle_concept[0].corroborated
    assert by_firm["blue-owl"].verdict is not Verdict.LINK
    assert by_firm["seaport-global-securities"].verdict is Verdict.NONE


def test_existing_matches_are_confirmed_and_a_wrong_one_reported(tmp_path, wikidata):
    graph = reference_graph(stripped=False)
    match = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
    nvidia = URIRef("https://w3id.org/aikg/id/firm/nvidia")
    graph.set((nvidia, match, URIRef(WD + "Q90000006")))  # the invented "Holdings" item
    with Store.open(tmp_path / "store") as store:
        store.replace_graph(GRAPH_REFERENCE, graph)
        firms = read_firms(store)
    result = link_wikidata(firms, endpoint=wikidata.query, thresholds=Thresholds())
    by_firm = {d.firm.slug: d for d in result.decisions}
    assert by_firm["microsoft"].verdict is Verdict.CONFIRMED
    lei = next(f for f in by_firm["microsoft"].candidate.features if f.name == "lei")
    assert lei.weight > 0  # the item's P1278 agrees with the store's LEI
    assert by_firm["nvidia"].verdict is Verdict.CONFLICT
    assert "Q182477" in by_firm["nvidia"].reason


def test_saved_query_service_results_give_the_same_links(tmp_path, wikidata, stripped_firms):
    items = [URIRef(WD + q) for q in EXPECTED.values()]
    items += [URIRef(WD + f"Q9000000{i}") for i in range(1, 8)]
    query = fill_values(sparql_text("wikidata-details"), {"item": items})
    saved = tmp_path / "wikidata-2025-08-24.json"
    saved.write_text(json.dumps(WikidataClient(wikidata.query).select(query)), encoding="utf-8")
    result = link_wikidata(stripped_firms, path=saved, thresholds=Thresholds())
    assert qids(result) == EXPECTED
    assert str(result.info.date) == "2025-08-24"


def test_cli_endpoint_run_writes_exact_matches(tmp_path, wikidata, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    argv = ["link", "--source", "wikidata", "--endpoint", wikidata.query, "--store", str(store)]
    assert main([*argv, "--explain"]) == 0
    assert (
        "firm/nvidia: link wikidata http://www.wikidata.org/entity/Q182477"
        in capsys.readouterr().out
    )
    with Store.open(store) as s:
        rows = s.select(
            "SELECT ?g ?firm ?item ?url WHERE { GRAPH ?g { "
            "?firm <http://www.w3.org/2004/02/skos/core#exactMatch> ?item . "
            "<https://w3id.org/aikg/id/activity/link-wikidata/input> "
            "<https://schema.org/url> ?url } }",
            bindings={"g": LINKSET_WIKIDATA},
        ).rows
    assert {
        str(r["firm"]).rsplit("/", 1)[1]: str(r["item"]).removeprefix(WD) for r in rows
    } == EXPECTED
    assert {str(r["url"]) for r in rows} == {wikidata.query}


def test_truncated_saved_results_exit_2(tmp_path, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    saved = tmp_path / "results.json"
    saved.write_text('{"head": {"vars": ["item"]}, "results": {"bindings": [{"item": ', "utf-8")
    argv = ["link", "--source", "wikidata", "--input", str(saved), "--store", str(store)]
    assert main(argv) == 2
    assert f"{saved}:1:" in capsys.readouterr().err
    with Store.open(store) as s:
        assert LINKSET_WIKIDATA not in s.graph_names()


class _Busy(BaseHTTPRequestHandler):
    """Answers 429 (Retry-After: 1) to the first request, then empty SPARQL JSON results."""

    calls: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        type(self).calls.append(self.headers.get("User-Agent", ""))
        if len(type(self).calls) == 1:
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["item"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_backs_off_on_429_and_sends_a_user_agent():
    with in_thread(ThreadingHTTPServer(("127.0.0.1", 0), _Busy)) as server:
        waits: list[float] = []
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        client = WikidataClient(url, user_agent="aikg-test/1.0 (tests)", sleep=waits.append)
        result = client.select("SELECT ?item WHERE { ?item ?p ?o }")
        assert result["results"]["bindings"] == []
        assert waits == [1.0]
        assert _Busy.calls == ["aikg-test/1.0 (tests)"] * 2
        stubborn = WikidataClient(url, retries=0, sleep=waits.append)
        _Busy.calls.clear()
        with pytest.raises(InputError, match="HTTP 429"):
            stubborn.select("SELECT ?item WHERE { ?item ?p ?o }")


def test_values_are_escaped_not_pasted():
    text = fill_values(
        "SELECT * WHERE {\n#@values ?name\n}", {"name": [Literal('A "B"', lang="en")]}
    )
    assert 'VALUES ?name { "A \\"B\\""@en }' in text
