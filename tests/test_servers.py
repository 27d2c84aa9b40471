"""The loopback server helper itself: a real Oxigraph server answers SPARQL and the Graph Store."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.servers import oxigraph_server


@pytest.mark.server
def test_oxigraph_server_round_trip(tmp_path):
    with oxigraph_server(tmp_path / "db") as server:
        data = b'<http://ex.org/s> <http://ex.org/p> "o" .'
        req = urllib.request.Request(
            f"{server.store}?graph=http%3A%2F%2Fex.org%2Fg",
            data=data,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(req, timeout=10).close()
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://ex.org/g> { ?s ?p ?o } }"
        url = f"{server.query}?query={urllib.parse.quote(query)}"
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            answer = json.load(resp)
        assert answer["results"]["bindings"][0]["n"]["value"] == "1"
