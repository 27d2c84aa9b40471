"""Every query template answers the same on Virtuoso (the scale-out target) as on the embedded
store: the seed dataset and a synthetic `kg bench` corpus, each built by `kg build`, pushed with
`kg push` to a Virtuoso of its own on loopback (tests/virtuoso.py), and every template run on
both with its defaults (and, where a parameter is required or changes the query's shape, with
values that find something). Answers are compared as sets of rows, numbers by value.

What Virtuoso 7.2 itself changes, and so is normalised on both sides before comparing (see
docs/stores.md): language tags in lower case, ``xsd:string`` literals reported as typed,
characters outside Latin-1 of a string the query sorts on given as ``?``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.cli import main as kg_main
from kg.query.params import bind
from kg.query.run import EndpointSource, StoreSource, run_template
from kg.query.templates import Template, load_catalogue
from kg.store.embedded import SelectResult, Store
from tests.virtuoso import PASSWORD, USER, VirtuosoServer, have_virtuoso, virtuoso_server

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not have_virtuoso(), reason="virtuoso-t not installed"),
]

AUTH = ["--user", USER, "--password", PASSWORD, "--auth", "digest"]
#: the synthetic corpus: large enough for deal histories, cycles and chains of flows
ARTICLES = 300
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}

#: values for the seed dataset (the synthetic corpus takes kg bench's own, kg.bench.workload)
SEED_VALUES = {
    "firm": "nvidia",
    "counterparty": "openai",
    "fact": "deal/nvidia-openai-10gw",
    "metric": "Revenue",
    "round": "deal/openai-2026-funding-round",
    "speaker": "person/jensen-huang",
    "licensee": "nvidia",
}
#: parameters whose non-default value changes the query's shape: run with and without ("{firm}"
#: is the value of ``firm``; capital-cycles with max_length 4 or 5 is not here: Virtuoso 7.2
#: picks other cycles of four and five for its first 100, docs/stores.md)
EXTRA_CASES = {
    "deals-of-firm": [{"as_of": "2025-10-01"}],
    "metric-compare": [{"as_of": "2025-10-01"}],
    "conflicting-reports": [{"about": "firm/{firm}"}, {"about": "{fact}"}],
    # a named individual: its column is bound from the VALUES block (Virtuoso 7.2 gave
    # BIND(COALESCE(?x, ?x) AS ?y) of such a value as a literal; the templates use IRI(?x))
    "funding-round": [{"round": "{round}"}],
    "claims": [{"speaker": "{speaker}"}],
    "export-controls": [{"licensee": "{licensee}"}],
}
#: templates not compared (none since conflicting-reports reads the derived graph of conflicts)
NOT_COMPARED: set[str] = set()
#: on the synthetic store only: capital-cycles' first 100 cycles on Virtuoso 7.2 lose some rows
#: in one run out of two (the same in the next; the sub-select bug of docs/stores.md)
NOT_COMPARED_SYNTHETIC = {"capital-cycles"}


#: the first funding round with an investor and the first speaker of a synthetic store
NAMED = {
    "round": "PREFIX aikg: <https://w3id.org/aikg/ontology#> SELECT ?x WHERE { GRAPH ?g {"
    " ?x a aikg:FundingRound ; aikg:investor ?i } } ORDER BY ?x LIMIT 1",
    "speaker": "PREFIX aikg: <https://w3id.org/aikg/ontology#> SELECT ?x WHERE { GRAPH ?g {"
    " ?c a aikg:Claim ; aikg:attributedTo ?x } } ORDER BY ?x LIMIT 1",
}


def _latin1(text: str) -> str:
    return "".join(c if ord(c) < 256 else "?" for c in text)


def _value(term: Node | None) -> object:
    """A term as compared: numbers by value, strings with what Virtuoso changes undone."""
    if isinstance(term, Literal):
        if term.datatype in _NUMERIC:
            try:
                return ("number", Decimal(str(term)).normalize())
            except InvalidOperation:
                return ("number", str(term))
        language = term.language.lower() if term.language else None
        datatype = None if term.datatype in (None, XSD.string) else str(term.datatype)
        return ("literal", _latin1(str(term)), language, datatype)
    if isinstance(term, URIRef | BNode):
        return ("iri", str(term))
    return ("other", None if term is None else str(term))


def _rows(result: SelectResult | Graph) -> set[tuple[object, ...]]:
    """A SELECT's rows, or a CONSTRUCT's triples, as a set of compared values (blank nodes
    of a CONSTRUCT are compared by their statements: the graph's canonical form)."""
    if isinstance(result, Graph):
        canonical = to_canonical_graph(result)
        return {tuple(_value(t) for t in triple) for triple in canonical}
    return {tuple(sorted((k, _value(v)) for k, v in row.items())) for row in result.rows}


def _cases(
    values: dict[str, str], *, skip: set[str] = NOT_COMPARED
) -> list[tuple[str, Template, dict[str, str]]]:
    cases = []
    for name, template in sorted(load_catalogue().items()):
        if name in skip:
            continue
        given = {p.name: values[p.name] for p in template.parameters if p.required}
        cases.append((name, template, given))
        for extra in EXTRA_CASES.get(name, []):
            try:
                named = {k: v.format(**values) for k, v in extra.items()}
            except KeyError:
                continue  # a value this store has none of (the synthetic corpus: no licences)
            cases.append((name, template, {**given, **named}))
    return cases


def _push(store: Path, server: VirtuosoServer) -> None:
    args = ["push", "--store", str(store), "--endpoint", server.query, *AUTH]
    assert kg_main([*args, "--graph-store", server.store]) == 0


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    from kg.bench.synthetic import SyntheticCorpus, write_corpus
    from kg.bench.workload import Workload

    folder = tmp_path_factory.mktemp("synthetic")
    files = write_corpus(SyntheticCorpus(articles=ARTICLES, seed=0), folder / "corpus")
    store = folder / "store"
    argv = ["build", "--records", str(files.records), "--reference", str(files.reference)]
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("KG_CORPUS", raising=False)  # synthetic articles have no texts
        assert kg_main([*argv, "--store", str(store)]) == 0
    # the values kg bench runs the templates with (only the required parameters are given),
    # and a round and a speaker of the corpus for the optional parameters
    values = dict(Workload(ARTICLES, 0, folder / "corpus").template_values)
    with Store.open(store, read_only=True) as opened:
        for key, query in NAMED.items():
            values[key] = str(opened.select(query).rows[0]["x"])  # a parameter takes an IRI
    yield store, values
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module", params=["seed", "synthetic"])
def pushed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, seed_store: Path
) -> Iterator[tuple[Path, dict[str, str], VirtuosoServer]]:
    """A store and a Virtuoso holding the same dataset (one Virtuoso per store)."""
    if request.param == "seed":
        store, values = seed_store, SEED_VALUES
    else:
        store, values = request.getfixturevalue("synthetic_store")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso") / "db") as server:
        _push(store, server)
        yield store, values, server


def test_every_template_answers_the_same_on_virtuoso(pushed) -> None:
    store_path, values, server = pushed
    differ, answered = [], 0
    remote = EndpointSource(server.query, timeout=120)
    with Store.open(store_path, read_only=True) as store:
        local = StoreSource(store)
        skip = NOT_COMPARED | (NOT_COMPARED_SYNTHETIC if values is not SEED_VALUES else set())
        for name, template, given in _cases(values, skip=skip):
            bindings = bind(template, given)
            here = run_template(template, bindings, source=local)
            there = run_template(template, bindings, source=remote)
            answered += bool(here.rows if isinstance(here, SelectResult) else len(here))
            mine, theirs = _rows(here), _rows(there)
            if mine != theirs:
                differ.append(
                    f"{name} {given}: {len(mine)} rows here, {len(theirs)} there, "
                    f"{len(mine - theirs)} only here, {len(theirs - mine)} only there"
                )
    assert not differ, "\n".join(differ)
    # most templates found something, so the comparison means something
    assert answered >= len(load_catalogue()) - 4
