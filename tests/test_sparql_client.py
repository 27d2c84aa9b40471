"""The SPARQL protocol client (kg.http.sparql) sends a query as a query, whatever its comments
say: SPARQLWrapper decides between ``query=`` and ``update=`` from the first keyword it finds
once comment lines are gone, and its own pattern leaves every other line of a run of comments,
so a SELECT commented "a server drops ..." went out as an update and a real server refused it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.http.sparql import SparqlEndpoint
from tests.servers import OxigraphServer, oxigraph_server

pytestmark = pytest.mark.server

#: comment lines naming every update keyword SPARQLWrapper looks for, in a run
COMMENTS = "\n".join(
    f"# a line that says {word}s (this comment is line {n} of a run)"
    for n, word in enumerate(
        ["drop", "load", "add", "copy", "move", "create", "clear", "insert", "delete"] * 2
    )
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("client") / "store") as running:
        yield running


def test_a_select_with_update_words_in_its_comments_is_answered(server: OxigraphServer) -> None:
    query = (
        f"{COMMENTS}\nPREFIX ex: <http://example.org/#>\n{COMMENTS}\nSELECT (1 + 1 AS ?two) {{}}"
    )
    answer = SparqlEndpoint(server.query).select(query)
    assert answer["results"]["bindings"] == [
        {
            "two": {
                "type": "literal",
                "value": "2",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]


def test_a_construct_with_update_words_in_its_comments_is_answered(server: OxigraphServer) -> None:
    query = f"{COMMENTS}\nCONSTRUCT {{ <http://example.org/a> <http://example.org/b> 1 }} {{}}"
    text = SparqlEndpoint(server.query).graph_text(query)
    assert b"http://example.org/a" in text
