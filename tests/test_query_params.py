"""Parameter values are checked against their kind and bound, never pasted: crafted values that
try to close the query and add an update or a union are refused, and leave the data unchanged,
on the embedded store and on a real Oxigraph server."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.cli import main as kg_main
from kg.core.errors import InputError
from kg.query.params import bind, parse_assignments, sparql_term, values_block, with_values
from kg.query.run import EndpointSource, StoreSource, run_template
from kg.query.templates import load_catalogue, parse_template
from kg.store.embedded import SelectResult, Store
from tests.servers import oxigraph_server
from tests.test_query_manifest import HERE, put_graphs

CATALOGUE = load_catalogue()
NVIDIA = URIRef("https://w3id.org/aikg/id/firm/nvidia")
XSD = "http://www.w3.org/2001/XMLSchema#"

#: values crafted to close the query and add an update, a union or a second query
INJECTIONS = [
    "nvidia> } ; DROP ALL ; #",
    "<https://w3id.org/aikg/id/firm/nvidia> } } ; CLEAR ALL ; SELECT * { { ?s ?p ?o",
    "https://w3id.org/aikg/id/firm/nvidia> ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } #",
    'nvidia" . } INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } } #',
    "firm:nvidia }} DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "nvidia\n} DROP ALL",
]

#: a template with a free-text parameter, where a crafted value gets as far as the query
TEXT_TEMPLATE = parse_template(
    "#+ summary: labels equal to a text\n"
    "#+ params:\n#+   label: {description: a label}\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?_label_literal ?s WHERE {\n"
    "  GRAPH ?g { ?s rdfs:label ?l }\n"
    "  FILTER(STR(?l) = ?_label_literal)\n"
    "} ORDER BY ?s\n",
    name="label-search",
)
TEXT_INJECTIONS = [
    'NVIDIA") } ; DROP ALL ; SELECT * WHERE { FILTER("',
    "NVIDIA' } UNION { GRAPH ?g { ?s ?p ?o } } #",
    'NVIDIA\\" } } ; CLEAR ALL ; #',
    'NVIDIA""" } DROP ALL #',
]


@pytest.fixture()
def fixture_store() -> Store:
    store = Store.in_memory()
    store.oxigraph.load(path=str(HERE / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.oxigraph.load(path=str(HERE / "fixture.trig"), format=ox.RdfFormat.TRIG)
    return path


def _snapshot(store: Store) -> tuple[int, list[URIRef]]:
    return store.count(), store.graph_names()


# -- checking --------------------------------------------------------------------------------


def test_a_firm_is_a_slug_a_prefixed_name_or_an_iri(fixture_store: Store) -> None:
    t = CATALOGUE["firm-profile"]
    knows = StoreSource(fixture_store).knows
    for value in ("nvidia", "firm:nvidia", "firm/nvidia", str(NVIDIA), f"<{NVIDIA}>"):
        assert bind(t, {"firm": value}, knows=knows) == {"_firm_iri": NVIDIA}, value


def test_an_unknown_slug_is_refused(fixture_store: Store) -> None:
    t = CATALOGUE["firm-profile"]
    with pytest.raises(InputError) as err:
        bind(t, {"firm": "nvidai"}, knows=StoreSource(fixture_store).knows)
    assert "parameter 'firm' of firm-profile: expected a firm" in str(err.value)
    assert "the dataset has no https://w3id.org/aikg/id/firm/nvidai" in str(err.value)


def test_a_well_formed_iri_outside_the_dataset_is_accepted(fixture_store: Store) -> None:
    t = CATALOGUE["firm-profile"]
    knows = StoreSource(fixture_store).knows
    assert bind(t, {"firm": "http://example.org/acme"}, knows=knows) == {
        "_firm_iri": URIRef("http://example.org/acme")
    }


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "2025-13", "yesterday", "2025-9-1"])
def test_a_date_must_be_a_date(value: str) -> None:
    t = CATALOGUE["deals-of-firm"]
    with pytest.raises(InputError) as err:
        bind(t, {"firm": "nvidia", "as_of": value})
    expected = "parameter 'as_of' of deals-of-firm: expected a date YYYY-MM-DD (or YYYY-MM, YYYY:"
    assert expected in str(err.value) and f"got {value!r}" in str(err.value)


@pytest.mark.parametrize(
    ("value", "day"), [("2025-10", "2025-10-31"), ("2024-02", "2024-02-29"), ("2025", "2025-12-31")]
)
def test_a_month_or_a_year_is_its_last_day(value: str, day: str) -> None:
    bound = bind(CATALOGUE["deals-of-firm"], {"firm": "nvidia", "as_of": value})
    assert bound["__asOf_xsd_date"] == Literal(day, datatype=URIRef(XSD + "date"))


def test_a_date_is_bound_as_xsd_date() -> None:
    bound = bind(CATALOGUE["deals-of-firm"], {"firm": "nvidia", "as_of": "2025-12-31"})
    assert bound["__asOf_xsd_date"] == Literal("2025-12-31", datatype=URIRef(XSD + "date"))


@pytest.mark.parametrize("value", ["three", "3.5", "3; DROP ALL", "1", "6", ""])
def test_max_length_must_be_a_whole_number_from_2_to_5(value: str) -> None:
    t = CATALOGUE["capital-cycles"]
    if value == "":  # empty means "not given": the default applies
        assert bind(t, {"max_length": value})["__maxLength_xsd_integer"] == Literal(3)
        return
    with pytest.raises(InputError, match=r"parameter 'max_length' .* a whole number from 2 to 5"):
        bind(t, {"max_length": value})


def test_defaults_and_missing_and_unknown_parameters() -> None:
    assert bind(CATALOGUE["capital-cycles"], {}) == {"__maxLength_xsd_integer": Literal(3)}
    with pytest.raises(InputError, match="deal-timeline needs counterparty=VALUE"):
        bind(CATALOGUE["deal-timeline"], {"firm": "nvidia"})
    with pytest.raises(InputError, match=r"has no parameter 'frim' .*it takes: firm"):
        bind(CATALOGUE["firm-profile"], {"frim": "nvidia"})
    with pytest.raises(InputError, match="expected NAME=VALUE"):
        parse_assignments(["firm"])


def test_a_concept_parameter_takes_a_local_name() -> None:
    bound = bind(CATALOGUE["metric-compare"], {"metric": "TrailingPE"})
    assert bound["_metric_iri"] == URIRef("https://w3id.org/aikg/ontology#TrailingPE")
    with pytest.raises(InputError, match="parameter 'metric'"):
        bind(CATALOGUE["metric-compare"], {"metric": "Trailing PE"})


# -- binding for remote endpoints --------------------------------------------------------------


def test_sparql_terms_are_escaped() -> None:
    assert sparql_term(Literal('a "b" \\ c\nd')) == '"a \\"b\\" \\\\ c\\nd"'
    assert sparql_term(Literal("4", datatype=URIRef(XSD + "integer"))) == (f'"4"^^<{XSD}integer>')
    with pytest.raises(InputError):
        sparql_term(URIRef("http://x.org/a> } DROP ALL { <b"))


def test_values_go_first_in_the_top_level_where_group() -> None:
    t = CATALOGUE["deal-timeline"]
    bound = bind(t, {"firm": "nvidia", "counterparty": "openai"})
    text = with_values(t.query, t.where_offset, bound)
    block = values_block(bound)
    assert block.startswith("VALUES (?_counterparty_iri ?_firm_iri) {")
    head, _, tail = text.partition(block)
    assert head.rstrip().endswith("WHERE {") and tail
    assert ox.Store().query(text) is not None  # still one valid query


# -- injection: refused, data unchanged ----------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_the_cli_is_refused(
    value: str, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(store_dir) as store:
        before = _snapshot(store)
    status = kg_main(
        ["query", "firm-profile", "--store", str(store_dir), "--param", f"firm={value}"]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert "parameter 'firm' of firm-profile: expected a firm" in err
    assert "Traceback" not in err
    with Store.open(store_dir) as store:
        assert _snapshot(store) == before


@pytest.mark.parametrize("value", TEXT_INJECTIONS)
def test_crafted_text_is_bound_as_one_literal(value: str, fixture_store: Store) -> None:
    before = _snapshot(fixture_store)
    bound = bind(TEXT_TEMPLATE, {"label": value})
    assert bound == {"_label_literal": Literal(value)}
    result = run_template(TEXT_TEMPLATE, bound, source=StoreSource(fixture_store))
    assert isinstance(result, SelectResult) and result.rows == []
    assert _snapshot(fixture_store) == before
    honest = run_template(
        TEXT_TEMPLATE, bind(TEXT_TEMPLATE, {"label": "NVIDIA"}), source=StoreSource(fixture_store)
    )
    assert [row["s"] for row in honest.rows] == [NVIDIA]


def _server_count(query_url: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    request = urllib.request.Request(
        f"{query_url}?query={urllib.parse.quote(query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.server
def test_injection_against_a_server_is_refused_and_changes_nothing(
    tmp_path: Path, fixture_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with oxigraph_server(tmp_path / "db") as server:
        put_graphs(fixture_store, server)
        before = _server_count(server.query)
        assert before == fixture_store.count()
        for value in INJECTIONS:
            status = kg_main(
                ["query", "firm-profile", "--endpoint", server.query, "--param", f"firm={value}"]
            )
            assert status == 2, value
            assert "parameter 'firm'" in capsys.readouterr().err
        source = EndpointSource(server.query, timeout=10)
        for value in TEXT_INJECTIONS:
            result = run_template(
                TEXT_TEMPLATE, bind(TEXT_TEMPLATE, {"label": value}), source=source
            )
            assert isinstance(result, SelectResult) and result.rows == [], value
        honest = run_template(
            TEXT_TEMPLATE, bind(TEXT_TEMPLATE, {"label": "NVIDIA"}), source=source
        )
        assert [row["s"] for row in honest.rows] == [NVIDIA]
        assert _server_count(server.query) == before
