"""kg validate and the validation kg build runs, on the real seed dataset and on copies of it with
one defect planted each."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from kg.cli import main
from kg.core.iris import GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.store.embedded import Store
from kg.validate import Severity, validate_files, validate_graph
from kg.validate.functions import LEI_CHECKSUM_VALID, lei_check_digits, lei_checksum_valid

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "records"
AIKG = Namespace("https://w3id.org/aikg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
ID = "https://w3id.org/aikg/id/"
ARTICLE_000 = URIRef(ID + "article/tradingkey-2025-09-nvidia-openai")
DEAL = URIRef(ID + "deal/nvidia-openai-10gw")
NVIDIA = URIRef(ID + "firm/nvidia")
OPENAI = URIRef(ID + "firm/openai")


@pytest.fixture(scope="module")
def seed_trig(seed_store, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "seed.trig"
    assert main(["export", "--format", "trig", "-o", str(path), "--store", str(seed_store)]) == 0
    return path


# -- the seed conforms -------------------------------------------------------------------------
def test_the_seed_store_conforms(seed_store, capsys):
    assert main(["validate", "--store", str(seed_store)]) == 0
    out = capsys.readouterr().out
    assert "; conforms" in out.splitlines()[-1]
    assert "0 violations" not in out and "violation:" not in out


def test_repeated_findings_are_grouped_with_a_count_and_examples(seed_store, capsys):
    """One line per kind of finding (shape and message), not one per node: the seed's 130-odd
    firms without an identifier are one line with their count and the first three."""
    assert main(["validate", "--store", str(seed_store), "--verbose"]) == 0
    full = capsys.readouterr().out
    unlinked = full.count("has no external identifier")
    firms = set(re.findall(r"(firm:\S+) has no external identifier", full))
    assert len(firms) > 100
    assert main(["validate", "--store", str(seed_store)]) == 0
    grouped = capsys.readouterr().out
    lines = grouped.splitlines()
    assert len(lines) < 20 < len(full.splitlines())
    (line,) = [ln for ln in lines if "has no external identifier" in ln]
    assert line.startswith(f"{unlinked} warnings: … has no external identifier")
    assert "aikgsh:FirmIdentifierShape" in line and f"and {len(firms) - 3} more" in line
    assert line.count("firm:") == 3
    assert sum("fix: Run kg link with a register that lists it" in ln for ln in lines) == 1
    assert lines[-1] == full.splitlines()[-1]  # the verdict, last, as before
    assert main(["validate", "--store", str(seed_store), "--summary"]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert summary[0].startswith("graph:reference: ") and summary[-1] == lines[-1]
    assert not any("fix:" in ln or "firm:" in ln for ln in summary)
    assert main(["validate", "--store", str(seed_store), "--lang", "zh-Hant"]) == 0
    assert "沒有任何外部識別碼" in capsys.readouterr().out


def test_validation_sees_the_linksets(seed_store, tmp_path, capsys):
    """A firm that kg link found in a register has the identifier the reference graph lacks:
    it is no longer reported as unlinked (a register file written here, in SEC's format)."""
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    register = tmp_path / "company_tickers.json"
    register.write_text(
        json.dumps({"0": {"cik_str": 2042853, "ticker": "CBRS", "title": "Cerebras Systems Inc."}}),
        encoding="utf-8",
    )
    args = ["validate", "--store", str(store), "--verbose"]
    assert main(args) == 0
    assert "firm:cerebras has no external identifier" in capsys.readouterr().out
    link = ["link", "--source", "sec", "--input", str(register), "--store", str(store)]
    assert main(link) == 0
    assert "1 linked" in capsys.readouterr().err
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "firm:cerebras has no external identifier" not in out
    assert "firm:cohere has no external identifier" in out  # the others still are


def test_the_exported_seed_conforms_and_the_ontology_is_never_reported(seed_trig, capsys):
    assert main(["validate", str(seed_trig), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True and report["counts"]["violation"] == 0
    graphs = {g["graph"] for g in report["graphs"]}
    assert str(GRAPH_ONTOLOGY) not in graphs and str(GRAPH_REFERENCE) in graphs
    focus = {r["focus"] for g in report["graphs"] for r in g["results"]}
    assert not any(f.startswith(str(AIKG)) for f in focus)


def test_an_ontology_file_is_not_data(capsys):
    assert main(["validate", str(ROOT / "ontology" / "deals.ttl")]) == 0
    assert "no results" in capsys.readouterr().out


# -- planted defects -----------------------------------------------------------------------------
def _plant(seed_trig: Path, tmp_path: Path, keep: set[URIRef], change) -> Path:
    """A copy of the seed's graphs in ``keep`` with one change made to them."""
    dataset = Dataset()
    dataset.parse(seed_trig, format="trig")
    copy = Dataset()
    for name in keep:
        target = copy.graph(name)
        for triple in dataset.graph(name):
            target.add(triple)
    change(copy)
    path = tmp_path / "planted.trig"
    copy.serialize(path, format="trig")
    return path


def _same_parties(ds: Dataset) -> None:
    graph = ds.graph(ARTICLE_000)
    graph.remove((DEAL, AIKG.investee, None))
    graph.add((DEAL, AIKG.investee, NVIDIA))


def _wrong_lei_digit(ds: Dataset) -> None:
    ds.graph(GRAPH_REFERENCE).set((NVIDIA, AIKG.lei, Literal("549300S4KLFTLO7GSQ81")))


def _negative_amount(ds: Dataset) -> None:
    graph = ds.graph(ARTICLE_000)
    amount = graph.value(DEAL, AIKG.amount)
    graph.set((amount, AIKG.value, Literal("-100000000000", datatype=XSD.decimal)))


def _span_past_the_end(ds: Dataset) -> None:
    graph = ds.graph(ARTICLE_000)
    length = int(graph.value(ARTICLE_000, AIKG.length))
    annotation = next(graph.subjects(OA.hasBody, DEAL))
    position = next(
        s
        for t in graph.objects(annotation, OA.hasTarget)
        for s in graph.objects(t, OA.hasSelector)
        if graph.value(s, OA.end) is not None
    )
    graph.set((position, OA.end, Literal(length + 40, datatype=XSD.nonNegativeInteger)))


def _no_chinese_label(ds: Dataset) -> None:
    graph = ds.graph(GRAPH_REFERENCE)
    for label in list(graph.objects(OPENAI, RDFS.label)):
        if (label.language or "").lower() == "zh-hant":  # the store keeps tags in lower case
            graph.remove((OPENAI, RDFS.label, label))


def _unknown_status(ds: Dataset) -> None:
    graph = ds.graph(ARTICLE_000)
    entry = graph.value(DEAL, AIKG.statusEntry)
    graph.set((entry, AIKG.status, AIKG.Postponed))


def _one_party(ds: Dataset) -> None:
    ds.graph(ARTICLE_000).remove((DEAL, AIKG.investee, None))


def _six_digit_cik(ds: Dataset) -> None:
    ds.graph(GRAPH_REFERENCE).set((NVIDIA, AIKG.cik, Literal("104581")))


ARTICLE_AND_REFERENCE = {ARTICLE_000, GRAPH_REFERENCE}
DEFECTS = [
    ("same-investor-and-investee", ARTICLE_AND_REFERENCE, _same_parties, "deal:nvidia-openai-10gw"),
    ("wrong-lei-check-digit", {GRAPH_REFERENCE}, _wrong_lei_digit, "firm:nvidia"),
    ("negative-amount", ARTICLE_AND_REFERENCE, _negative_amount, "deal:nvidia-openai-10gw"),
    ("span-past-the-end", ARTICLE_AND_REFERENCE, _span_past_the_end, "deal:nvidia-openai-10gw"),
    ("firm-without-zh-hant-label", {GRAPH_REFERENCE}, _no_chinese_label, "firm:openai"),
    ("unknown-status", ARTICLE_AND_REFERENCE, _unknown_status, "deal:nvidia-openai-10gw"),
    ("deal-with-one-party", ARTICLE_AND_REFERENCE, _one_party, "deal:nvidia-openai-10gw"),
    ("cik-of-six-digits", {GRAPH_REFERENCE}, _six_digit_cik, "firm:nvidia"),
]


@pytest.mark.parametrize(("name", "keep", "change", "focus"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_a_planted_defect_fails_and_names_its_focus_node(
    name, keep, change, focus, seed_trig, tmp_path, capsys
):
    planted = _plant(seed_trig, tmp_path, keep, change)
    assert main(["validate", str(planted), "--verbose"]) == 1
    out = capsys.readouterr().out
    # each violation line, with the heading of its focus node (which names the fact it is in)
    named, heading = [], ""
    for line in out.splitlines():
        if line.startswith("  ") and not line.startswith("    "):
            heading = line
        elif "violation:" in line:
            named.append(heading + line)
    assert any(focus in line for line in named), out


def test_the_unchanged_copy_conforms(seed_trig, tmp_path):
    planted = _plant(seed_trig, tmp_path, ARTICLE_AND_REFERENCE, lambda ds: None)
    assert validate_files([planted]).conforms


def test_the_report_says_where_and_how_to_fix(seed_trig, tmp_path, capsys):
    planted = _plant(seed_trig, tmp_path, ARTICLE_AND_REFERENCE, _unknown_status)
    assert main(["validate", str(planted), "--verbose"]) == 1
    out = capsys.readouterr().out
    block = out[out.index("fact/") :]
    assert "(in deal:nvidia-openai-10gw)" in block  # the fact the status entry belongs to
    assert "aikg:Postponed" in block and "fix: Use one of Rumoured" in block
    assert "evidence [13, 108) “" in block  # the span, with its quote from the text
    assert main(["validate", str(planted), "--lang", "zh-Hant"]) == 1
    assert "不屬於 aikg:DealStatusScheme" in capsys.readouterr().out


def test_the_json_and_turtle_reports(seed_trig, tmp_path, capsys):
    planted = _plant(seed_trig, tmp_path, ARTICLE_AND_REFERENCE, _same_parties)
    assert main(["validate", str(planted), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    disjoint = [
        r
        for g in report["graphs"]
        for r in g["results"]
        if r["component"] == str(SH.DisjointConstraintComponent)
    ]
    assert len(disjoint) == 1
    result = disjoint[0]
    assert (result["focus"], result["value"], result["path"]) == (
        str(DEAL),
        str(NVIDIA),
        "aikg:investor",
    )
    assert "firm:nvidia is both investor and investee" in result["messages"]["en"]
    assert "同時是投資方與被投資方" in result["messages"]["zh-Hant"]
    assert result["fact"] == str(DEAL) and result["evidence"][0]["quote"]

    assert main(["validate", str(planted), "--format", "turtle"]) == 1
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    (root,) = graph.subjects(None, SH.ValidationReport)
    assert graph.value(root, SH.conforms).toPython() is False
    results = [r for r in graph.objects(root, SH.result) if graph.value(r, SH.focusNode) == DEAL]
    messages = {m.language for r in results for m in graph.objects(r, SH.resultMessage)}
    assert messages == {"en", "zh-Hant"}
    assert SH.Violation in {graph.value(r, SH.resultSeverity) for r in results}


def test_bad_input_is_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    assert "broken.ttl:1" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert main(["validate", "--store", str(tmp_path / "no-store")]) == 2


# -- per graph -----------------------------------------------------------------------------------
def test_one_article_is_validated_with_the_reference_data_it_uses(seed_store):
    with Store.open(seed_store, read_only=True) as store:
        article = store.graph(ARTICLE_000)
        reference = store.graph(GRAPH_REFERENCE)
    report = validate_graph(article, reference=reference)
    assert report.graph == ARTICLE_000 and report.conforms
    used = set(report.data.subjects()) - set(article.subjects())
    assert NVIDIA in used  # a firm the article names
    assert URIRef(ID + "firm/cerebras") not in used  # a firm only the other article names
    assert len(report.data) < len(article) + len(reference)
    assert all(r.focus in set(article.subjects()) for r in report.results)
    assert {r.severity for r in report.results} <= {Severity.WARNING, Severity.INFO}


# -- kg build --------------------------------------------------------------------------------------
def _records(tmp_path: Path, edit=None) -> Path:
    folder = tmp_path / "records"
    shutil.copytree(FIXTURES / "good", folder, dirs_exist_ok=True)
    if edit is not None:
        path = folder / "alpha.yaml"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _self_investment(text: str) -> str:
    assert "investee: firm/openai" in text
    return text.replace("investee: firm/openai", "investee: firm/nvidia", 1)


def test_kg_build_keeps_the_store_when_the_new_data_does_not_conform(tmp_path, capsys):
    store = tmp_path / "store"
    texts = str(FIXTURES / "texts")
    good = _records(tmp_path / "good")
    assert main(["build", "--records", str(good), "--corpus", texts, "--store", str(store)]) == 0
    bad = _records(tmp_path / "bad", _self_investment)
    capsys.readouterr()
    assert main(["build", "--records", str(bad), "--corpus", texts, "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert "does not conform" in err and "deal:fixture-nvidia-openai" in err
    assert main(["validate", "--store", str(store)]) == 0  # the previous store, untouched
    args = ["build", "--records", str(bad), "--corpus", texts, "--store", str(store)]
    assert main([*args, "--allow-invalid"]) == 0
    assert main(["validate", "--store", str(store)]) == 1


def test_kg_build_takes_drafts_and_kg_validate_reports_them(tmp_path, capsys):
    def draft(text: str) -> str:
        return _self_investment(text).replace("method: reviewed", "method: extracted")

    store = tmp_path / "store"
    records = _records(tmp_path, draft)
    texts = str(FIXTURES / "texts")
    assert main(["build", "--records", str(records), "--corpus", texts, "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["validate", "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert "has not been reviewed by a person" in out and "both investor and investee" in out


# -- the LEI check digits --------------------------------------------------------------------------
def test_lei_check_digits_in_python_and_sparql():
    reference = Graph().parse(ROOT / "ontology" / "reference" / "firms.ttl")
    leis = [str(o) for o in reference.objects(None, AIKG.lei)]
    assert leis and all(lei_checksum_valid(lei) for lei in leis)
    assert lei_check_digits("549300S4KLFTLO7GSQ") == "80"
    assert not lei_checksum_valid("549300S4KLFTLO7GSQ08")  # swapped digits
    assert not lei_checksum_valid("549300S4KLFTLO7GSQ8")  # too short
    validate_graph(Graph(), reference=Graph())  # registers the function
    rows = Graph().query(
        f'SELECT ?ok ?bad WHERE {{ BIND (<{LEI_CHECKSUM_VALID}>("549300S4KLFTLO7GSQ80") AS ?ok) '
        f'BIND (<{LEI_CHECKSUM_VALID}>("549300S4KLFTLO7GSQ81") AS ?bad) }}'
    )
    ((ok, bad),) = list(rows)
    assert (ok.toPython(), bad.toPython()) == (True, False)


def test_the_build_check_runs_pyshacl_for_violations_only(seed_trig, tmp_path):
    """kg build's check (violations_only) gives the verdict of the full report, and the
    results of the violations, without pyshacl on graphs that only have warnings."""
    from kg.store import Store
    from kg.validate import validate_store

    planted = _plant(seed_trig, tmp_path, ARTICLE_AND_REFERENCE, _negative_amount)
    with Store.in_memory() as store:
        store.oxigraph.load(path=str(planted), format=ox.RdfFormat.TRIG)
        full = validate_store(store)
        quick = validate_store(store, violations_only=True)
    assert full.conforms is quick.conforms is False
    assert any(r.severity is not Severity.VIOLATION for r in full.results)  # warnings too
    violations = {(r.focus, r.shape) for r in full.results if r.severity is Severity.VIOLATION}
    assert {(r.focus, r.shape) for r in quick.results if r.severity is Severity.VIOLATION} == (
        violations
    )


# -- results written without pyshacl -------------------------------------------------------------
def _thin_facts(ds: Dataset) -> None:
    """Warnings of three kinds: a deal without its amount, a claim attributed to no one, a metric
    observation placed nowhere in time."""
    graph = ds.graph(ARTICLE_000)
    graph.remove((DEAL, AIKG.amount, None))
    for claim in graph.subjects(RDF.type, AIKG.Claim):
        graph.remove((claim, AIKG.attributedTo, None))
    for observation in graph.subjects(RDF.type, AIKG.MetricObservation):
        graph.remove((observation, AIKG.asOf, None))
        graph.remove((observation, AIKG.period, None))


def test_warnings_written_from_the_compiled_checks_are_pyshacl_s(seed_trig, tmp_path, monkeypatch):
    """Where the compiled checks' finding determines a warning's result (a missing value, a
    node shape's own focus node), kg validate writes it without running pyshacl: the results
    are pyshacl's, field by field (focus, path, value, shape, component, messages in both
    languages, fixes), and the JSON report still gives their evidence."""
    import kg.validate.run
    from kg.validate import render_json, validate_graphs

    planted = _plant(seed_trig, tmp_path, ARTICLE_AND_REFERENCE, _thin_facts)
    ran: list[URIRef | None] = []
    pyshacl_run = kg.validate.run.validate_graph

    def spy(data: Graph, **options):
        ran.append(options.get("graph"))
        return pyshacl_run(data, **options)

    monkeypatch.setattr(kg.validate.run, "validate_graph", spy)
    fast = validate_files([planted])
    assert ARTICLE_000 not in ran  # warnings only there: no pyshacl run
    dataset = Dataset()
    dataset.parse(planted, format="trig")
    graphs = {URIRef(str(g.identifier)): g for g in dataset.graphs() if len(g)}
    slow = validate_graphs(graphs)
    shapes = {r.shape_name for r in fast.results if r.severity is not Severity.VIOLATION}
    assert {"aikgsh:DealAmountGiven", "aikgsh:ClaimAttribution"} <= shapes
    assert "aikgsh:MetricObservationTimeShape" in shapes or any(
        r.component == SH.OrConstraintComponent for r in fast.results
    )
    assert fast.results == slow.results
    body = json.loads(render_json(fast))
    amount = next(
        r
        for g in body["graphs"]
        for r in g["results"]
        if r["shape"].endswith("DealAmountGiven") and r["focus"] == str(DEAL)
    )
    assert amount["fact"] == str(DEAL) and amount["evidence"], amount
