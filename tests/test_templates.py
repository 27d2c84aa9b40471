"""The template catalogue: every ``queries/*.rq`` parses, is documented, is grlc-compatible and
reads named graphs only; header mistakes are reported with file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main as kg_main
from kg.core.errors import InputError
from kg.query.params import bind
from kg.query.run import StoreSource, run_template
from kg.query.templates import load_catalogue, parse_template, tokens, where_offset
from kg.store.embedded import SelectResult, Store
from tests.test_query_manifest import CASES, HERE

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
CATALOGUE = load_catalogue(QUERIES)
FIXTURE = HERE / "fixture.trig"

#: grlc's own rule for parameter variables (grlc/src/gquery.py, get_parameters)
GRLC_VARIABLE = re.compile(
    r"(?P<required>[_]{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?_?"
    r"(?P<userdefined>[a-zA-Z0-9]+)?.*$"
)

REQUIRED_TEMPLATES = {
    "firm-profile",
    "deals-of-firm",
    "capital-cycles",
    "deal-timeline",
    "exposure",
    "datacenter-capacity",
    "chip-sourcing",
    "funding-round",
    "metric-compare",
    "export-controls",
    "claims",
    "conflicting-reports",
    "unlinked-firms",
    "evidence",
}


def test_the_catalogue_has_every_question() -> None:
    assert set(CATALOGUE) >= REQUIRED_TEMPLATES


def test_fixed_names_and_parameters() -> None:
    assert [p.name for p in CATALOGUE["firm-profile"].parameters] == ["firm"]
    assert {p.name for p in CATALOGUE["deal-timeline"].parameters} == {"firm", "counterparty"}
    (max_length,) = CATALOGUE["capital-cycles"].parameters
    assert (max_length.name, max_length.required, max_length.default) == ("max_length", False, "3")


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_template_is_documented_and_ordered(name: str) -> None:
    t = CATALOGUE[name]
    assert t.summary and t.description and t.tags, f"{name}: summary, description and tags"
    for p in t.parameters:
        assert p.description, f"{name}: parameter {p.name} has no description"
    if t.form == "SELECT":
        top_level = _top_level_words(t.query)
        assert "ORDER" in top_level, f"{name}: a SELECT needs a top-level ORDER BY"
        projected = _projection(t.query)
        for p in t.parameters:  # SEP-0007 substitution needs the variable projected
            assert f"?{p.variable}" in projected, f"{name}: ?{p.variable} is not projected"
    else:
        assert t.form == "CONSTRUCT"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_parameters_are_never_tested_for_boundness(name: str) -> None:
    """Substitution leaves BOUND(?param) false and BIND(?param AS ?x) unbound: test it with
    isIRI(COALESCE(?param, "")), copy it with BIND(IRI(?param) AS ?x)."""
    body = " ".join(t.text for t in tokens(CATALOGUE[name].query) if t.kind != "comment")
    compact = re.sub(r"\s+", "", body).upper()
    for p in CATALOGUE[name].parameters:
        variable = f"?{p.variable}".upper()
        assert f"BOUND({variable})" not in compact, f"{name}: BOUND(?{p.variable})"
        assert f"BIND({variable}AS" not in compact, f"{name}: BIND(?{p.variable} AS ...)"


def _variables(node: object) -> set[str]:
    """Every variable named anywhere below an rdflib algebra node (patterns and expressions)."""
    from rdflib import Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, Variable):
        return {str(node)}
    if isinstance(node, CompValue):
        return set().union(*(_variables(v) for v in node.values()))
    if isinstance(node, list | tuple | set):
        return set().union(*(_variables(v) for v in node))
    return set()


def _selects(node: object) -> list[object]:
    """Every SELECT below an algebra node, sub-selects included (as their Project nodes)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[object] = []
    if isinstance(node, CompValue):
        if node.name == "Project":
            found.append(node)
        for value in node.values():
            found.extend(_selects(value))
    elif isinstance(node, list | tuple):
        for value in node:
            found.extend(_selects(value))
    return found


def _pattern_variables(node: object) -> set[str]:
    """The variables of the triple patterns below an algebra node."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    if isinstance(node, CompValue):
        if node.name == "BGP":
            found |= {str(t) for triple in node.triples for t in triple}  # type: ignore[attr-defined]
        for value in node.values():
            found |= _pattern_variables(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found |= _pattern_variables(value)
    return found


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_a_sub_select_reads_a_parameter_only_where_it_binds_it(name: str) -> None:
    """pyoxigraph's substitution reaches a sub-select only through its projection (one that reads
    the parameter without projecting it runs as if no value were given: capital-cycles computed
    every cycle of up to five flows, 70 s instead of 0.3 s at 10,000 articles), and Virtuoso
    joins a projected variable left unbound as NULL (no rows): so a sub-select that reads a
    parameter projects it and binds it in a triple pattern."""
    from rdflib.plugins.sparql import prepareQuery

    template = CATALOGUE[name]
    top, *subs = _selects(prepareQuery(template.query).algebra)
    assert {p.variable for p in template.parameters} <= {str(v) for v in top.PV}  # type: ignore[attr-defined]
    for select in subs:
        projected = {str(v) for v in select.PV}  # type: ignore[attr-defined]
        read = _variables(select.p)  # type: ignore[attr-defined]
        bound = _pattern_variables(select.p)  # type: ignore[attr-defined]
        for p in template.parameters:
            if p.variable in read:
                assert p.variable in projected, f"{name}: a sub-select reads ?{p.variable}"
            if p.variable in projected:
                assert p.variable in bound, f"{name}: a sub-select projects ?{p.variable} unbound"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_parameters_read_the_same_in_grlc(name: str) -> None:
    for p in CATALOGUE[name].parameters:
        match = GRLC_VARIABLE.match(p.variable)
        assert match is not None
        assert match["name"] == p.grlc_name
        assert (match["required"] == "_") == p.required


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_header_is_what_grlc_reads(name: str) -> None:
    """grlc strips the leading ``#+`` of each header line and reads the rest as YAML."""
    import yaml

    text = CATALOGUE[name].query
    header = "\n".join(line.lstrip("#+") for line in text.split("\n") if line.startswith("#+"))
    data = yaml.safe_load(header)
    assert data["summary"] == CATALOGUE[name].summary


def test_templates_read_named_graphs_only() -> None:
    """The fixture put in the default graph alone: no template may find anything."""
    store = Store.in_memory()
    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.add_quads(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    assert store.count() > 300 and store.graph_names() == []
    source = StoreSource(store)
    for case in CASES:
        template = CATALOGUE[case.query.stem]
        result = run_template(template, bind(template, case.params), source=source)
        size = len(result.rows) if isinstance(result, SelectResult) else len(result)
        assert size == 0, f"{case.name} read the default graph"


def test_readme_documents_every_template() -> None:
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for name, t in CATALOGUE.items():
        assert f"`{name}`" in readme, f"queries/README.md does not describe {name}"
        for p in t.parameters:
            assert f"`{p.name}`" in readme, f"queries/README.md: {name} parameter {p.name}"


def test_kg_queries_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert kg_main(["queries", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in listed] == sorted(CATALOGUE)
    by_name = {t["name"]: t for t in listed}
    assert by_name["deal-timeline"]["summary"] == CATALOGUE["deal-timeline"].summary
    firm = by_name["firm-profile"]["parameters"][0]
    assert (firm["name"], firm["required"], firm["kind"]) == ("firm", True, "firm")
    assert kg_main(["queries"]) == 0
    text = capsys.readouterr().out
    for name in CATALOGUE:
        assert f"{name}: " in text
    assert "--param max_length=" in text


# -- the header and the tokenizer -----------------------------------------------------------


def _top_level_words(text: str) -> list[str]:
    depth, words = 0, []
    for token in tokens(text):
        if token.kind == "punct" and token.text == "{":
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
        elif token.kind == "word" and depth == 0:
            words.append(token.text.upper())
    return words


def _projection(text: str) -> str:
    body = "".join(t.text for t in tokens(text) if t.kind != "comment")
    return body[body.upper().index("SELECT") : body.upper().index("WHERE")]


def test_where_offset_skips_strings_iris_and_comments() -> None:
    query = (
        '# WHERE { not here\nSELECT ?x (STR("WHERE { }") AS ?y)\n'
        "WHERE { ?x <http://example.org/WHERE> '''{''' }"
    )
    assert query[where_offset(query) :] == " ?x <http://example.org/WHERE> '''{''' }"
    construct = "CONSTRUCT { ?s ?p 'WHERE {' } WHERE { ?s ?p ?o }"
    assert construct[where_offset(construct) :] == " ?s ?p ?o }"
    bare = "SELECT * { ?s ?p ?o }"
    assert bare[where_offset(bare) :] == " ?s ?p ?o }"


def test_unknown_header_key_names_file_and_line() -> None:
    text = "#+ summary: s\n#+ sumary: typo\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n"
    with pytest.raises(InputError) as err:
        parse_template(text, name="t", path=Path("queries/t.rq"))
    assert str(err.value).startswith("queries/t.rq:2: unknown header key 'sumary'")


def test_parameter_without_description_is_refused() -> None:
    text = "#+ summary: s\nSELECT ?_firm_iri WHERE { GRAPH ?g { ?_firm_iri ?p ?o } } ORDER BY ?p\n"
    with pytest.raises(InputError, match=r"parameter 'firm' .* has no description"):
        parse_template(text, name="t", path=Path("t.rq"))


def test_bad_yaml_names_its_line() -> None:
    text = "#+ summary: s\n#+ tags: [a\n#+ description: d\nSELECT * WHERE { ?s ?p ?o }\n"
    with pytest.raises(InputError) as err:
        parse_template(text, name="t", path=Path("t.rq"))
    assert err.value.file == "t.rq" and err.value.line in (2, 3)


def test_unsupported_parameter_type_is_refused() -> None:
    text = (
        "#+ summary: s\n#+ params:\n#+   when: {description: d}\n"
        "SELECT ?_when_xsd_dateTimeStamp WHERE { GRAPH ?g { ?s ?p ?_when_xsd_dateTimeStamp } }"
        " ORDER BY ?s\n"
    )
    with pytest.raises(InputError, match="unsupported parameter type"):
        parse_template(text, name="t")


def test_kinds_and_bounds_come_from_the_header() -> None:
    t = CATALOGUE["capital-cycles"]
    (p,) = t.parameters
    assert (p.variable, str(p.minimum), str(p.maximum)) == ("__maxLength_xsd_integer", "2", "5")
    assert t.parameter("maxLength") is p and t.parameter("max_length") is p


# -- index and market parameters -----------------------------------------------------------------

MARKET_TEMPLATE = (
    "#+ summary: Metric observations about an index or a market\n"
    "#+ params:\n"
    "#+   index: {kind: index, description: the market index}\n"
    "#+   market: {kind: market, description: the group of firms}\n"
    "PREFIX aikg: <https://w3id.org/aikg/ontology#>\n"
    "SELECT ?_index_iri ?_market_iri ?o WHERE {\n"
    "  GRAPH ?g { ?o aikg:metricOf ?s } FILTER(?s IN (?_index_iri, ?_market_iri))\n"
    "}\n"
)


def _reference_markets() -> Store:
    store = Store.in_memory()
    store.oxigraph.load(
        path=str(Path(__file__).resolve().parents[1] / "ontology/reference/markets.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/aikg/id/graph/reference"),
    )
    return store


def test_a_parameter_may_name_an_index_or_a_market() -> None:
    template = parse_template(MARKET_TEMPLATE, name="market-metrics")
    assert [(p.name, p.kind) for p in template.parameters] == [
        ("index", "index"),
        ("market", "market"),
    ]
    assert template.parameters[0].expects.startswith("an index (a name or slug such as 'sox'")
    knows = StoreSource(_reference_markets()).knows
    sox = "https://w3id.org/aikg/id/index/sox"
    hyperscalers = "https://w3id.org/aikg/id/market/us-hyperscalers"
    for index, market in (
        ("sox", "us-hyperscalers"),
        ("index:sox", "market:us-hyperscalers"),
        ("index/sox", "market/us-hyperscalers"),
    ):
        bound = bind(template, {"index": index, "market": market}, knows=knows)
        assert {k: str(v) for k, v in bound.items()} == {
            "_index_iri": sox,
            "_market_iri": hyperscalers,
        }
    with pytest.raises(InputError, match=r"the dataset has no https://w3id\.org/aikg/id/index/dax"):
        bind(template, {"index": "dax", "market": "us-hyperscalers"}, knows=knows)


def test_an_unknown_parameter_kind_is_still_refused() -> None:
    with pytest.raises(InputError, match="unknown kind 'exchange'"):
        parse_template(MARKET_TEMPLATE.replace("kind: market", "kind: exchange"), name="x")
