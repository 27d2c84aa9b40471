"""`kg serve`: a real HTTP server on a free loopback port, asked with urllib."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.cli import main as kg_main
from kg.query.templates import load_catalogue
from kg.server.serve import StoreServer, make_server
from kg.store.embedded import Store
from tests.servers import in_thread

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(seed_store: Path) -> Iterator[StoreServer]:
    with in_thread(make_server(seed_store, port=0, time_limit=2, row_limit=50, workers=1)) as srv:
        yield srv


def get(url: str, *, accept: str | None = None, data: bytes | None = None, ctype: str = ""):
    headers = {"Accept": accept} if accept else {}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sparql_url(server: StoreServer, query: str) -> str:
    return f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}"


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_sparql_get_and_post_agree_with_the_store(server, seed_store):
    with Store.open(seed_store, read_only=True) as store:
        expected = str(store.count())
    status, headers, body = get(sparql_url(server, COUNT))
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == expected
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = get(
        f"{server.url}/sparql", data=form, ctype="application/x-www-form-urlencoded"
    )
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == expected
    status, _, body = get(
        f"{server.url}/sparql", data=COUNT.encode(), ctype="application/sparql-query"
    )
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == expected


def test_result_formats_by_content_negotiation(server):
    query = (
        "SELECT ?label WHERE { GRAPH ?g { <https://w3id.org/aikg/id/firm/nvidia> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } } ORDER BY ?label"
    )
    status, headers, body = get(sparql_url(server, query), accept="text/csv")
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["label"]
    assert "NVIDIA" in [r[0] for r in rows[1:]]
    status, headers, body = get(sparql_url(server, query), accept="application/sparql-results+xml")
    assert b"<literal xml:lang=" in body
    status, _, body = get(sparql_url(server, query), accept="image/png")
    assert status == 406
    status, _, body = get(sparql_url(server, "ASK { GRAPH ?g { ?s ?p ?o } }"))
    assert json.loads(body)["boolean"] is True


def test_construct_answers_turtle(server):
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/aikg/id/graph/reference> "
        "{ ?s ?p ?o FILTER(?s = <https://w3id.org/aikg/id/firm/nvidia>) } }"
    )
    status, _headers, body = get(sparql_url(server, query), accept="text/turtle")
    assert status == 200
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (URIRef("https://w3id.org/aikg/id/firm/nvidia"), None, None) in graph


def test_updates_are_refused(server, seed_store):
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    status, _, _ = get(f"{server.url}/sparql", data=form, ctype="application/x-www-form-urlencoded")
    assert status == 403
    status, _, _ = get(f"{server.url}/sparql", data=b"DROP ALL", ctype="application/sparql-update")
    assert status == 403
    status, _, body = get(sparql_url(server, "DROP ALL"))
    assert status == 400
    status, _, body = get(sparql_url(server, COUNT))
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0


def test_row_limit_cuts_and_says_so(server):
    status, headers, body = get(sparql_url(server, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert status == 200
    assert headers["X-Result-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 50


def test_time_limit_stops_a_runaway_query_and_the_server_goes_on(server):
    runaway = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } "
        "GRAPH ?c { ?q ?r ?t } }"
    )
    status, _, body = get(sparql_url(server, runaway))
    assert status == 504
    assert b"time limit of 2 s" in body
    status, _, body = get(sparql_url(server, COUNT))
    assert status == 200


def test_template_api_matches_kg_query(server, seed_store, capsys):
    status, _headers, body = get(f"{server.url}/api/capital-cycles?max_length=4")
    assert status == 200
    api = json.loads(body)
    args = ["query", "capital-cycles", "--store", str(seed_store), "--param", "max_length=4"]
    assert kg_main([*args, "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert api == cli  # one answer path: the same rows, labels and IRIs
    assert {r["cycle"] for r in api["rows"]} == {"NVIDIA → OpenAI → Oracle → NVIDIA"}
    assert {r["from_iri"] for r in api["rows"]} >= {"https://w3id.org/aikg/id/firm/nvidia"}
    status, headers, body = get(
        f"{server.url}/api/capital-cycles?max_length=4",
        accept="application/sparql-results+json",
    )
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert kg_main([*args, "--format", "sparql-json"]) == 0
    assert json.loads(body) == json.loads(capsys.readouterr().out)


def test_template_api_checks_parameters(server):
    status, _, body = get(f"{server.url}/api/capital-cycles?max_length=9")
    assert status == 400
    assert b"from 2 to 5" in body
    status, _, body = get(f"{server.url}/api/firm-profile")
    assert status == 400
    status, _, body = get(f"{server.url}/api/firm-profile?firm=nvidia%3E%20%7D%20DROP%20ALL")
    assert status == 400
    status, _, body = get(f"{server.url}/api/firm-profile?firm=nvidia&colour=red")
    assert status == 400
    status, _, _ = get(f"{server.url}/api/no-such-template")
    assert status == 404


def test_openapi_describes_every_template(server):
    _status, _, body = get(f"{server.url}/openapi.json")
    doc = json.loads(body)
    assert doc["openapi"].startswith("3.")
    catalogue = load_catalogue()
    for name, template in catalogue.items():
        op = doc["paths"][f"/api/{name}"]["get"]
        names = [p.name for p in template.parameters]
        assert [p["name"] for p in op["parameters"]] == [*names, "lang", "format"]
    cycles = doc["paths"]["/api/capital-cycles"]["get"]["parameters"][0]["schema"]
    assert cycles == {"type": "integer", "minimum": 2.0, "maximum": 5.0, "default": 3}
    assert doc["paths"]["/api/firm-profile"]["get"]["parameters"][0]["required"] is True


def test_graph_store_read_with_content_negotiation(server, seed_store):
    ref = "https://w3id.org/aikg/id/graph/reference"
    url = f"{server.url}/store?{urllib.parse.urlencode({'graph': ref})}"
    with Store.open(seed_store, read_only=True) as store:
        expected = store.graph(URIRef(ref))
    assert len(expected) > 50  # more than the server's row limit: the answer is cut, and says so
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        _, headers, body = get(url, accept=accept)
        assert headers["Content-Type"].startswith(accept)
        assert headers["X-Result-Truncated"] == "true"
        got = Graph().parse(data=body.decode("utf-8"), format=fmt)
        assert len(got) == 50 and all(t in expected for t in got)
    _status, headers, body = get(url, accept="application/n-quads")
    quads = list(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 50
    assert {q.graph_name.value for q in quads} == {ref}
    missing = f"{server.url}/store?{urllib.parse.urlencode({'graph': 'http://ex.org/none'})}"
    assert get(missing)[0] == 404


def test_graph_store_read_of_a_whole_graph(seed_store):
    ref = "https://w3id.org/aikg/id/graph/reference"
    with Store.open(seed_store, read_only=True) as store:
        expected = store.graph(URIRef(ref))
    with in_thread(make_server(seed_store, port=0, workers=1, row_limit=100_000)) as srv:
        url = f"{srv.url}/store?{urllib.parse.urlencode({'graph': ref})}"
        _, headers, body = get(url, accept="text/turtle")
    assert "X-Result-Truncated" not in headers
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="turtle"), expected)


def test_writes_are_refused(server):
    req = urllib.request.Request(f"{server.url}/store?default", data=b"", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(req, timeout=10)
    assert caught.value.code == 405


def test_api_answers_in_labels_with_names_and_the_cli_wording_of_errors(server, seed_store, capsys):
    firm = urllib.parse.quote("輝達")
    status, headers, body = get(f"{server.url}/api/deals-of-firm?firm={firm}&lang=zh-Hant")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["headers"]["amount"] == "金額"
    deal = next(r for r in data["rows"] if r["deal_iri"].endswith("/deal/nvidia-openai-10gw"))
    assert deal["amount"] == "至多 1,000億美元" and deal["amount_value"] == "100000000000"
    assert deal["counterparty"] == "OpenAI"
    assert deal["counterparty_iri"] == "https://w3id.org/aikg/id/firm/openai"
    status, headers, body = get(f"{server.url}/api/deals-of-firm?firm=NVIDIA", accept="text/csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert {"at most US$100 bn", "10 GW"} <= {r["amount"] for r in rows} | {
        r["capacity"] for r in rows
    }
    # a bad value: 400, the text kg query prints (exit 2), no command-line wording
    status, _, body = get(f"{server.url}/api/deals-of-firm?firm=nvdia")
    assert status == 400
    text = body.decode("utf-8")
    assert "did you mean 'NVIDIA' (firm/nvidia)" in text and "--param" not in text
    args = ["query", "deals-of-firm", "--store", str(seed_store), "--param", "firm=nvdia"]
    assert kg_main(args) == 2
    assert text in capsys.readouterr().err
    status, _, body = get(f"{server.url}/api/metric-compare?metric=PE&as_of=2025-10")
    assert status == 400 and b"values it takes: Backlog" in body
    status, _, body = get(f"{server.url}/api/metric-compare?metric=TrailingPE&as_of=2025-10")
    assert status == 200 and json.loads(body)["rows"][0]["subject"] == "Broadcom"
