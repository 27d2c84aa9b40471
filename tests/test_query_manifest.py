"""Every template on the seed dataset, against expected results kept as files.

``tests/query-manifest/manifest.ttl`` lists the cases in the style of the W3C SPARQL query-
evaluation manifests (``mf:QueryEvaluationTest`` with ``qt:query``, ``qt:data`` and
``mf:result`` pointing to a ``.srj`` or ``.ttl`` file) plus ``kgt:param`` for the template's
parameters. ``qt:data`` names the records folder the seed dataset is built from (``kg build``)
or a TriG file (``kg load``, which also derives the graph of conflicting reports). Each case
runs on the embedded store (values bound by substitution) and on a real Oxigraph server loaded
graph by graph through the Graph Store Protocol (values in a VALUES block); both must give the
expected rows, in order.

Quotes of the articles never go into the expected files: a ``quote`` column is checked against
the article text itself (``$KG_CORPUS``) and left out of the comparison.

To write the expected files after a deliberate change of the data or the templates, run
``KG_UPDATE_EXPECTED=1 pytest tests/test_query_manifest.py`` and review the diff.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.cli import main as kg_main
from kg.query.params import bind
from kg.query.results import Format, render
from kg.query.run import EndpointSource, Source, StoreSource, run_template
from kg.query.sparql_results import parse_sparql_json, sparql_json
from kg.query.templates import load_template
from kg.store.embedded import SelectResult, Store
from tests.servers import OxigraphServer, oxigraph_server

HERE = Path(__file__).resolve().parent / "query-manifest"
MANIFEST = HERE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
KGT = Namespace("https://w3id.org/aikg/tests#")
UPDATE = os.environ.get("KG_UPDATE_EXPECTED") == "1"


@dataclass(frozen=True)
class Case:
    """One ``mf:QueryEvaluationTest`` of the manifest."""

    name: str
    query: Path
    data: Path
    result: Path
    params: dict[str, str]


def _path(node: Node) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(str(node)).path))


def load_manifest(path: Path = MANIFEST) -> list[Case]:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(predicate=MF.entries))
    entries = list(graph.items(graph.value(manifest, MF.entries)))
    cases = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        params = {
            str(graph.value(p, KGT.name)): str(graph.value(p, KGT.value))
            for p in graph.objects(action, KGT.param)
        }
        cases.append(
            Case(
                name=str(graph.value(entry, MF.name)),
                query=_path(graph.value(action, QT.query)),
                data=_path(graph.value(action, QT.data)),
                result=_path(graph.value(entry, MF.result)),
                params=params,
            )
        )
    return cases


CASES = load_manifest()


# -- the dataset: built once per session, and the same on a server -----------------------------


def _build(data: Path, target: Path, corpus: Path) -> Store:
    if data.is_dir():
        status = kg_main(
            ["build", "--records", str(data), "--corpus", str(corpus), "--store", str(target)]
        )
        assert status == 0, f"kg build failed with {status}"
        return Store.open(target, read_only=True)
    status = kg_main(["load", str(data), "--store", str(target)])  # as a user adds RDF files
    assert status == 0, f"kg load failed with {status}"
    return Store.open(target, read_only=True)


@pytest.fixture(scope="session")
def seed_stores(
    tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path
) -> Iterator[dict[Path, Store]]:
    """The stores of the datasets the manifest names, built on first use."""
    stores: dict[Path, Store] = {}
    root = tmp_path_factory.mktemp("seed")
    for data in sorted({case.data for case in CASES}):
        stores[data] = _build(data, root / f"store-{len(stores)}", corpus_dir)
    yield stores
    for store in stores.values():
        store.close()


def put_graphs(store: Store, server: OxigraphServer) -> int:
    """Copies every named graph of ``store`` to ``server`` with Graph Store Protocol PUTs."""
    names = store.graph_names()
    for name in names:
        body = store.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        url = f"{server.store}?graph={urllib.parse.quote(str(name), safe='')}"
        request = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        urllib.request.urlopen(request, timeout=30).close()
    return len(names)


@pytest.fixture(scope="session")
def seed_servers(
    seed_stores: dict[Path, Store], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[Path, OxigraphServer]]:
    """One Oxigraph server per dataset, loaded with the same graphs."""
    root = tmp_path_factory.mktemp("servers")
    with contextlib.ExitStack() as stack:
        servers: dict[Path, OxigraphServer] = {}
        for i, (data, store) in enumerate(seed_stores.items()):
            server = stack.enter_context(oxigraph_server(root / f"db-{i}"))
            put_graphs(store, server)
            servers[data] = server
        yield servers


# -- comparing results ----------------------------------------------------------------------------


def _key(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    return term.n3()


def comparable(result: SelectResult, *, quotes: bool = False) -> tuple[list[str], list[list[str]]]:
    variables = [v for v in result.variables if quotes or v != "quote"]
    return variables, [[_key(row.get(v)) for v in variables] for row in result.rows]


def check_quotes(result: SelectResult, store: Store, corpus: Path) -> int:
    """Each quote must be the article's text between its offsets; returns how many were seen."""
    seen = 0
    for row in result.rows:
        quote = row.get("quote")
        if quote is None:
            continue
        article = row["article"]
        files = store.select(
            "SELECT ?a ?f WHERE { GRAPH ?a { ?a <https://w3id.org/aikg/ontology#sourceFile> ?f } }",
            bindings={"a": article},
        ).rows
        text = (corpus / str(files[0]["f"])).read_text(encoding="utf-8")
        start, end = int(row["start"].toPython()), int(row["end"].toPython())
        assert str(quote) == text[start:end], f"quote of {article} [{start}, {end}) differs"
        seen += 1
    return seen


def run_case(case: Case, source: Source) -> SelectResult | Graph:
    template = load_template(case.query)
    bindings = bind(template, case.params, knows=source.knows)
    return run_template(template, bindings, source=source)


def srj_text(result: SelectResult) -> str:
    """SPARQL JSON results with one row per line, so a change shows as a small diff."""
    data = sparql_json(result)
    head = json.dumps(data["head"], ensure_ascii=False)
    rows = [json.dumps(b, ensure_ascii=False, sort_keys=True) for b in data["results"]["bindings"]]  # type: ignore[index]
    body = ",\n  ".join(rows)
    inner = f"\n  {body}\n " if rows else ""
    return f'{{"head": {head},\n "results": {{"bindings": [{inner}]}}}}\n'


def _expected(case: Case, actual: SelectResult | Graph) -> SelectResult | Graph:
    if UPDATE:
        if isinstance(actual, Graph):
            case.result.write_text(render(actual, Format.TURTLE), encoding="utf-8")
        else:
            trimmed = SelectResult(
                [v for v in actual.variables if v != "quote"],
                [{k: v for k, v in row.items() if k != "quote"} for row in actual.rows],
            )
            case.result.write_text(srj_text(trimmed), encoding="utf-8")
    if case.result.suffix == ".ttl":
        graph = Graph()
        graph.parse(case.result, format="turtle")
        return graph
    return parse_sparql_json(json.loads(case.result.read_text(encoding="utf-8")))


def assert_same(
    case: Case,
    actual: SelectResult | Graph,
    expected: SelectResult | Graph,
    *,
    quotes: bool = False,
) -> None:
    if isinstance(expected, Graph):
        assert isinstance(actual, Graph), f"{case.name}: expected triples"
        assert isomorphic(actual, expected), f"{case.name}: the triples differ"
        return
    assert isinstance(actual, SelectResult), f"{case.name}: expected rows"
    got_vars, got_rows = comparable(actual, quotes=quotes)
    want_vars, want_rows = comparable(expected, quotes=quotes)
    assert got_vars == want_vars, f"{case.name}: columns differ"
    assert got_rows == want_rows, f"{case.name}: rows differ"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_embedded_store(case: Case, seed_stores: dict[Path, Store], corpus_dir: Path) -> None:
    store = seed_stores[case.data]
    actual = run_case(case, StoreSource(store))
    if isinstance(actual, SelectResult) and "quote" in actual.variables and case.data.is_dir():
        assert check_quotes(actual, store, corpus_dir) == len(actual.rows) > 0
    assert_same(case, actual, _expected(case, actual))


@pytest.mark.server
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_oxigraph_server(
    case: Case, seed_stores: dict[Path, Store], seed_servers: dict[Path, OxigraphServer]
) -> None:
    server = seed_servers[case.data]
    actual = run_case(case, EndpointSource(server.query, timeout=30))
    local = run_case(case, StoreSource(seed_stores[case.data]))
    assert_same(case, actual, local, quotes=True)
    expected = case.result
    assert expected.is_file(), f"{case.name}: no expected result {expected.name}"
    if isinstance(actual, SelectResult):
        assert_same(case, actual, parse_sparql_json(json.loads(expected.read_text("utf-8"))))


def test_every_template_has_a_case() -> None:
    queried = {case.query.stem for case in CASES}
    templates = {p.stem for p in (HERE.parents[1] / "queries").glob("*.rq")}
    assert templates <= queried, f"templates without a case: {sorted(templates - queried)}"


def test_every_case_has_rows_or_says_why() -> None:
    """An empty expected result must be deliberate: named ``*-none`` in the manifest."""
    for case in CASES:
        if case.result.suffix != ".srj":
            continue
        rows = json.loads(case.result.read_text("utf-8"))["results"]["bindings"]
        assert rows or case.name.endswith("-none"), f"{case.name}: expected result is empty"


# -- the "done when", spelt out on the seed dataset ---------------------------------------

SEED = HERE.parents[1] / "corpus"
ID = "https://w3id.org/aikg/id/"
AIKG_NS = "https://w3id.org/aikg/ontology#"


def _seed_rows(name: str, params: dict[str, str], stores: dict[Path, Store]) -> list[dict]:
    store = stores[next(d for d in stores if d.is_dir())]
    case = Case(name, HERE.parents[1] / "queries" / f"{name}.rq", SEED, Path(), params)
    result = run_case(case, StoreSource(store))
    assert isinstance(result, SelectResult)
    return [{k: str(v) for k, v in row.items()} for row in result.rows]


def test_capital_cycles_finds_the_nvidia_openai_oracle_loop(seed_stores) -> None:
    rows = _seed_rows("capital-cycles", {}, seed_stores)
    loop = [r for r in rows if r["cycle"] == "nvidia → openai → oracle → nvidia"]
    steps = {(r["step"], r["from"], r["to"]) for r in loop}
    assert steps == {
        ("1", ID + "firm/nvidia", ID + "firm/openai"),
        ("2", ID + "firm/openai", ID + "firm/oracle"),
        ("3", ID + "firm/oracle", ID + "firm/nvidia"),
    }
    deals = {r["deal"] for r in loop}
    assert {ID + "deal/nvidia-openai-10gw", ID + "deal/oracle-nvidia-gpu-supply"} <= deals
    assert all(r["deal"] for r in loop)


def test_deal_timeline_lists_the_letter_of_intent_and_the_2026_entries(seed_stores) -> None:
    rows = _seed_rows("deal-timeline", {"firm": "nvidia", "counterparty": "openai"}, seed_stores)
    first = rows[0]
    assert (first["asOf"], first["status"]) == ("2025-09-22", AIKG_NS + "LetterOfIntent")
    assert first["deal"] == ID + "deal/nvidia-openai-10gw"
    later = [r for r in rows if r["asOf"].startswith("2026")]
    assert {r["status"] for r in later} >= {AIKG_NS + "Denied", AIKG_NS + "InNegotiation"}
    assert all(r["article"].startswith(ID + "article/") and r["issued"] for r in rows)
    assert first["article"] != later[0]["article"]
