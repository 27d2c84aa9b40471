"""`kg build --update RECORD.yaml`: one article graph replaced in an existing store, alone."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.cli import main as kg_main

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "corpus" / "000_2866ef9cdc55d130.yaml"
ARTICLE = "https://w3id.org/aikg/id/article/tradingkey-2025-09-nvidia-openai"


@pytest.fixture
def store(seed_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    return copy


def quads_by_graph(path: Path) -> dict[str, set[str]]:
    """Each graph's quads as N-Quads lines (blank nodes are kept by the update)."""
    store = ox.Store.read_only(str(path))
    out: dict[str, set[str]] = {}
    for q in store:
        out.setdefault(str(q.graph_name), set()).add(str(q))
    del store
    return out


def edited(tmp_path: Path, old: str, new: str, *, name: str = RECORD.name) -> Path:
    text = RECORD.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "records" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_update_replaces_only_its_graph(store, tmp_path, corpus_dir, capsys):
    before = quads_by_graph(store)
    record = edited(tmp_path, "up to US$100 billion in all.", "up to US$100 billion overall.")
    assert (
        kg_main(
            ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
        )
        == 0
    )
    assert f"replaced <{ARTICLE}>" in capsys.readouterr().out.replace(ARTICLE, f"<{ARTICLE}>")
    after = quads_by_graph(store)
    assert set(after) == set(before)
    changed = {g for g in before if before[g] != after[g]}
    assert changed == {f"<{ARTICLE}>"}
    gone = before[f"<{ARTICLE}>"] - after[f"<{ARTICLE}>"]
    came = after[f"<{ARTICLE}>"] - before[f"<{ARTICLE}>"]
    assert len(gone) == len(came) == 1
    assert "overall." in next(iter(came))


def test_unchanged_record_gives_the_same_graph_as_a_build(store, corpus_dir, capsys):
    before = quads_by_graph(store)
    args = ["build", "--update", str(RECORD), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 0
    capsys.readouterr()
    assert quads_by_graph(store) == before


def test_new_article_is_added(store, tmp_path, capsys):
    record = edited(
        tmp_path,
        "id: tradingkey-2025-09-nvidia-openai",
        "id: tradingkey-2025-09-copy",
        name="x.yaml",
    )
    # no --corpus: the copy names a text it is not the sha256 of, so texts are not checked
    assert kg_main(["build", "--update", str(record), "--store", str(store)]) == 0
    assert "added" in capsys.readouterr().out
    graphs = quads_by_graph(store)
    assert len(graphs["<https://w3id.org/aikg/id/article/tradingkey-2025-09-copy>"]) > 1000
    assert f"<{ARTICLE}>" in graphs


def test_non_conforming_record_is_refused_and_the_store_kept(store, tmp_path, corpus_dir, capsys):
    before = quads_by_graph(store)
    # the 10 GW investment loses its investor: a SHACL violation, found in this graph alone
    record = edited(
        tmp_path,
        "    investor: firm/nvidia\n    investee: firm/openai\n    amount: {value: 1000",
        "    investee: firm/openai\n    amount: {value: 1000",
    )
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 1
    err = capsys.readouterr().err
    assert f"{ARTICLE} does not conform" in err
    assert "deal:nvidia-openai-10gw" in err
    assert quads_by_graph(store) == before
    assert kg_main([*args, "--allow-invalid"]) == 0
    assert "does not conform" in capsys.readouterr().err
    assert quads_by_graph(store) != before


def test_bad_record_names_file_and_line(store, tmp_path, capsys):
    record = edited(tmp_path, "    investee: firm/openai\n", "    investee: firm/no-such-firm\n")
    assert kg_main(["build", "--update", str(record), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert f"{record}:" in err
    assert "no-such-firm" in err


def test_update_needs_an_existing_store(tmp_path, capsys):
    args = ["build", "--update", str(RECORD), "--store", str(tmp_path / "none")]
    assert kg_main(args) == 2
    assert "run 'kg build' first" in capsys.readouterr().err


# -- what depends on the article: the inferred graph and the links ----------------------------

AIKG = "https://w3id.org/aikg/ontology#"
BASE = "https://w3id.org/aikg/id/"
OTHER = "https://w3id.org/aikg/id/article/unattributed-2026-02-nvidia-openai-reversal"
INFERRED = "https://w3id.org/aikg/id/graph/inferred"
#: the 10 GW investment gets another investor; the Microsoft cloud contract another supplier
NEW_INVESTOR = (
    "    investor: firm/nvidia\n    investee: firm/openai\n    amount: {value: 1000",
    "    investor: firm/meta\n    investee: firm/openai\n    amount: {value: 1000",
)
NEW_SUPPLIER = ("    supplier: firm/microsoft\n", "    supplier: firm/oracle\n")


def t(s: str, p: str, o: str) -> str:
    """A triple of the inferred graph as an N-Quads line."""
    obj = f"<{AIKG}{o}>" if o[0].isupper() else f"<{BASE}{o}>"
    pred = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" if p == "a" else f"<{AIKG}{p}>"
    return f"<{BASE}{s}> {pred} {obj} <{INFERRED}>"


def rule_part(path: Path) -> tuple[set[str], set[str]]:
    """What the inferred graph holds of the rules' kind (chains of flows left out), and what the
    rules give from scratch over every graph of the store: the two must be equal."""
    from kg.core.iris import DERIVED_GRAPHS, GRAPH_INFERRED, GRAPH_REFERENCE
    from kg.reason.rules import load_rules, materialise
    from kg.store.embedded import Store

    rules = load_rules()
    flows = f"{AIKG}capitalFlowsTo"
    with Store.open(path, read_only=True) as store:
        articles = [g for g in store.graph_names() if str(g).startswith(BASE + "article/")]
        scratch = materialise(store, graphs=[*articles, GRAPH_REFERENCE])
        inferred = ox.NamedNode(str(GRAPH_INFERRED))
        expected: set[str] = set()
        for s, p, o in scratch:
            quads = store.oxigraph.quads_for_pattern(*(ox.NamedNode(str(x)) for x in (s, p, o)))
            # stated only in the inferred graph (kg reason reads no derived graph: the money
            # flows' aikg:paysTo is inferred all the same)
            stated = [q for q in quads if URIRef(q.graph_name.value) not in DERIVED_GRAPHS]
            if all(q.graph_name == inferred for q in stated) and str(p) != flows:
                expected.add(f"<{s}> <{p}> <{o}> <{INFERRED}>")
        held: set[str] = set()
        for q in store.oxigraph.quads_for_pattern(None, None, None, inferred):
            subject, obj = q.subject, q.object
            if not (isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode)):
                continue
            triple = (URIRef(subject.value), URIRef(q.predicate.value), URIRef(obj.value))
            if q.predicate.value != flows and any(next(r.bindings(triple), None) for r in rules):
                held.add(str(q))
    return held, expected


@pytest.mark.java
def test_update_maintains_the_inferred_graph(reasoned_seed_store, tmp_path, corpus_dir, capsys):
    store = tmp_path / "store"
    shutil.copytree(reasoned_seed_store, store)
    before = quads_by_graph(store)
    held, expected = rule_part(store)
    assert held == expected  # kg reason and the rules agree to begin with
    record = edited(tmp_path, *NEW_INVESTOR)
    record.write_text(record.read_text(encoding="utf-8").replace(*NEW_SUPPLIER), encoding="utf-8")
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 0
    out = capsys.readouterr().out
    assert "inferred: +" in out and "chains of flows" in out
    after = quads_by_graph(store)
    inferred = after[f"<{INFERRED}>"]
    # the new investor's flows, roles and their inverses came
    for triple in [
        t("firm/meta", "paysTo", "firm/openai"),
        t("firm/openai", "receivesFrom", "firm/meta"),
        t("firm/meta", "capitalFlowsTo", "firm/openai"),
        t("firm/meta", "investorIn", "deal/nvidia-openai-10gw"),
        t("deal/nvidia-openai-10gw", "party", "firm/meta"),
        t("firm/oracle", "supplierIn", "deal/microsoft-openai-cloud"),
    ]:
        assert triple in inferred and triple not in before[f"<{INFERRED}>"]
    # what only this article entailed went: Microsoft no longer supplies anything here
    for triple in [
        t("firm/openai", "paysTo", "firm/microsoft"),
        t("firm/microsoft", "receivesFrom", "firm/openai"),
        t("firm/microsoft", "supplierIn", "deal/microsoft-openai-cloud"),
        t("firm/microsoft", "a", "CloudProvider"),
    ]:
        assert triple in before[f"<{INFERRED}>"] and triple not in inferred
    # what the other article still entails stayed: it names NVIDIA as the 10 GW investor too
    from kg.reason.rules import materialise
    from kg.store.embedded import Store

    with Store.open(store, read_only=True) as opened:
        other = materialise(opened, graphs=[URIRef(OTHER)])
    nvidia = URIRef(BASE + "firm/nvidia")
    assert (nvidia, URIRef(AIKG + "investorIn"), URIRef(BASE + "deal/nvidia-openai-10gw")) in other
    assert t("firm/nvidia", "investorIn", "deal/nvidia-openai-10gw") in inferred
    assert t("firm/nvidia", "paysTo", "firm/openai") in inferred
    # the rules' part is what the rules give from scratch; no other graph changed
    held, expected = rule_part(store)
    assert held == expected
    # (and the money flows, which follow the roles: test_an_update_keeps_the_money_flows_in_step)
    assert {g for g in before if before[g] != after[g]} == {
        f"<{ARTICLE}>",
        f"<{INFERRED}>",
        f"<{FLOWS}>",
    }
    # and back: the inferred graph is again what kg reason wrote
    args[2] = str(RECORD)
    assert kg_main(args) == 0
    capsys.readouterr()
    assert quads_by_graph(store) == before


def test_without_an_inferred_graph_none_is_made(store, corpus_dir, capsys):
    args = ["build", "--update", str(RECORD), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 0
    assert "the store has no inferred graph" in capsys.readouterr().out
    assert f"<{INFERRED}>" not in quads_by_graph(store)


# -- links --------------------------------------------------------------------------------------

NEW_FIRM = """facts:
  - id: firm/acme-compute
    type: Firm
    rdfs:label: {en: Acme Compute Inc., zh-Hant: 艾克米運算}
    skos:altLabel: ACMC
    evidence: [[0, 5]]
"""
LINKSET = "<https://w3id.org/aikg/id/graph/linkset-sec>"


@pytest.fixture
def linked(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    """The store linked to a small SEC company_tickers.json, run in the file's folder."""
    registers = tmp_path / "registers"
    registers.mkdir()
    entries = [
        (1045810, "NVDA", "NVIDIA CORP"),
        (1341439, "ORCL", "ORACLE CORP"),
        (1999999, "ACMC", "ACME COMPUTE INC"),
        (1888888, "ACMX", "ACME MATERIALS CORP"),
    ]
    body = {
        str(n): {"cik_str": c, "ticker": k, "title": name} for n, (c, k, name) in enumerate(entries)
    }
    (registers / "company_tickers.json").write_text(json.dumps(body), encoding="utf-8")
    monkeypatch.chdir(registers)
    args = ["link", "--source", "sec", "--input", "company_tickers.json", "--store", str(store)]
    assert kg_main(args) == 0
    capsys.readouterr()
    return store


def test_a_declared_firm_is_linked_from_the_register_the_linkset_names(
    linked, tmp_path, corpus_dir, capsys
):
    before = quads_by_graph(linked)
    nvidia_cik = f'<{BASE}firm/nvidia> <{AIKG}cik> "0001045810" {LINKSET}'
    assert nvidia_cik in before[LINKSET]
    record = edited(tmp_path, "facts:\n", NEW_FIRM)
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(linked)]
    assert kg_main(args) == 0
    out = capsys.readouterr().out
    assert "links: sec: 1 firm(s) linked again from company_tickers.json" in out
    assert "1 linked (firm/acme-compute)" in out
    after = quads_by_graph(linked)
    acme = f'<{BASE}firm/acme-compute> <{AIKG}cik> "0001999999" {LINKSET}'
    assert acme in after[LINKSET] and nvidia_cik in after[LINKSET]
    came = after[LINKSET] - before[LINKSET]
    assert before[LINKSET] <= after[LINKSET]  # the other firms' links and the provenance stay
    assert any("link/sec/acme-compute/cik" in line for line in came)
    assert {g for g in before if before[g] != after[g]} == {f"<{ARTICLE}>", LINKSET}


def test_no_firm_declared_leaves_the_links(linked, tmp_path, corpus_dir, capsys):
    before = quads_by_graph(linked)
    record = edited(tmp_path, "up to US$100 billion in all.", "up to US$100 billion overall.")
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(linked)]
    assert kg_main(args) == 0
    assert "links: unchanged (no firm declared or changed)" in capsys.readouterr().out
    assert quads_by_graph(linked)[LINKSET] == before[LINKSET]


def test_a_register_file_not_at_hand_is_a_note(linked, tmp_path, corpus_dir, capsys, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (tmp_path / "registers" / "company_tickers.json").unlink()  # gone from its recorded place
    before = quads_by_graph(linked)
    record = edited(tmp_path, "facts:\n", NEW_FIRM)
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(linked)]
    assert kg_main(args) == 0
    out = capsys.readouterr().out
    assert "links: sec: company_tickers.json is not in" in out
    assert "re-run 'kg link --source sec' to link firm/acme-compute" in out
    assert quads_by_graph(linked)[LINKSET] == before[LINKSET]


# -- the cost follows the article ---------------------------------------------------------------


def _with_other_articles(seed: Path, target: Path, count: int) -> Path:
    """A copy of the seed store with ``count`` more article graphs (their own deals and
    firms, each mentioning NVIDIA) and an inferred graph made by the rules."""
    from rdflib import RDF, RDFS, Literal

    from kg.core.iris import GRAPH_INFERRED, GRAPH_REFERENCE
    from kg.reason.rules import materialise
    from kg.store.embedded import Store, to_ox_quad

    shutil.copytree(seed, target)
    with Store.open(target) as store:
        quads = []
        for n in range(count):
            g = URIRef(f"{BASE}article/synthetic-{n:04d}")
            deal, a, b = (URIRef(f"{BASE}{k}/synthetic-{n:04d}") for k in ("deal", "firm", "firm"))
            b = URIRef(f"{b}-b")
            for s, p, o in [
                (g, RDF.type, URIRef(AIKG + "Article")),
                (g, URIRef(AIKG + "mentions"), URIRef(BASE + "firm/nvidia")),
                (deal, RDF.type, URIRef(AIKG + "Investment")),
                (deal, URIRef(AIKG + "investor"), a),
                (deal, URIRef(AIKG + "investee"), b),
                (a, RDF.type, URIRef(AIKG + "Firm")),
                (a, RDFS.label, Literal(f"Synthetic {n} Holdings", lang="en")),
                (b, RDF.type, URIRef(AIKG + "Firm")),
            ]:
                quads.append(to_ox_quad(s, p, o, g))
        store.add_quads(quads)
        articles = [g for g in store.graph_names() if str(g).startswith(BASE + "article/")]
        inferred = materialise(store, graphs=[*articles, GRAPH_REFERENCE])
        store.replace_graph(GRAPH_INFERRED, inferred)
    return target


def test_the_work_of_an_update_does_not_grow_with_the_other_articles(seed_store, tmp_path):
    from kg.build.update import update_record

    record = edited(tmp_path, *NEW_INVESTOR)
    record.write_text(record.read_text(encoding="utf-8").replace(*NEW_SUPPLIER), encoding="utf-8")
    summaries = []
    for count in (2, 200):
        store = _with_other_articles(seed_store, tmp_path / f"store-{count}", count)
        summaries.append(update_record(record, store_dir=store, register_dir=tmp_path))
    small, large = summaries
    assert large.before == small.before > 1000 and large.after == small.after
    assert small.inferred is not None and large.inferred is not None
    assert small.inferred.added and small.inferred.removed
    assert large.inferred == small.inferred
    assert large.work == small.work
    assert small.work.read > small.after  # it did read the article and what it touches


def test_the_thresholds_of_a_linkset_are_typed_rdf_read_back(store, tmp_path, monkeypatch):
    """The scores a linking run used are typed literals in its provenance, and the update reads
    them from there (not out of a sentence)."""
    from kg.link.refresh import registers
    from kg.reason.rules import Work
    from kg.store import Store

    registers_dir = tmp_path / "registers"
    registers_dir.mkdir()
    body = {"0": {"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"}}
    (registers_dir / "company_tickers.json").write_text(json.dumps(body), encoding="utf-8")
    monkeypatch.chdir(registers_dir)
    args = ["link", "--source", "sec", "--input", "company_tickers.json", "--store", str(store)]
    assert kg_main([*args, "--accept", "0.95"]) == 0
    with Store.open(store, read_only=True) as opened:
        assert opened.ask(
            f"ASK {{ GRAPH {LINKSET} {{ ?run <{AIKG}acceptThreshold> 0.95 ;"
            f" <{AIKG}reviewThreshold> ?review FILTER (datatype(?review) = "
            "<http://www.w3.org/2001/XMLSchema#decimal>) } }"
        )
        (sec,) = [r for r in registers(opened, Work()) if r.source == "sec"]
    assert sec.accept == 0.95 and sec.review is not None and sec.review < 0.95


# -- the graph of money flows ---------------------------------------------------------------------
FLOWS = "https://w3id.org/aikg/id/graph/flows"


def pays(payer: str, payee: str) -> str:
    """A pair of the graph of money flows as an N-Quads line."""
    return f"<{BASE}firm/{payer}> <{AIKG}paysTo> <{BASE}firm/{payee}> <{FLOWS}>"


def derived_whole(store: Path, derive: Callable[[Any], object]) -> Path:
    """A copy of ``store`` with a derived graph derived whole again by ``derive`` (what
    ``kg build`` and ``kg load`` do)."""
    from kg.store.embedded import Store

    copy = Path(tempfile.mkdtemp(dir=store.parent)) / "store"
    shutil.copytree(store, copy)
    with Store.open(copy) as opened:
        derive(opened)
    return copy


def _flows_whole(store: Path) -> set[str]:
    """The graph of money flows derived whole again, in a copy of ``store``."""
    from kg.build.flows import derive_flows

    return quads_by_graph(derived_whole(store, derive_flows))[f"<{FLOWS}>"]


def test_an_update_keeps_the_money_flows_in_step(store, tmp_path, corpus_dir, capsys):
    """An article that names another investor and another supplier: its flows change, the flows
    another article still reports stay, and the graph is what deriving it whole gives; the update
    that restores the article restores the graph."""
    before = quads_by_graph(store)[f"<{FLOWS}>"]
    assert before == _flows_whole(store)
    assert {pays("nvidia", "openai"), pays("openai", "microsoft")} <= before
    assert pays("meta", "openai") not in before
    record = edited(tmp_path, *NEW_INVESTOR)
    record.write_text(record.read_text(encoding="utf-8").replace(*NEW_SUPPLIER), encoding="utf-8")
    command = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(command) == 0
    assert "flows: +" in capsys.readouterr().out
    after = quads_by_graph(store)[f"<{FLOWS}>"]
    assert after == _flows_whole(store)
    assert pays("meta", "openai") in after
    assert pays("openai", "microsoft") not in after  # only this article had Microsoft supply
    assert pays("nvidia", "openai") in after  # the other article names NVIDIA as the investor
    command[2] = str(RECORD)
    assert kg_main(command) == 0
    assert quads_by_graph(store)[f"<{FLOWS}>"] == before


# -- the graph of conflicting reports -------------------------------------------------------------
def _conflicts(store: Path) -> list[dict[str, str]]:
    """The rows of the conflicting-reports template, as ``kg query`` gives them in JSON."""
    from kg.query.run import StoreSource, run_template
    from kg.query.templates import load_catalogue
    from kg.store.embedded import Store

    with Store.open(store, read_only=True) as opened:
        result = run_template(
            load_catalogue()["conflicting-reports"], {}, source=StoreSource(opened)
        )
        return [{k: str(v) for k, v in row.items()} for row in result.rows]


def _derived_whole(store: Path) -> list[dict[str, str]]:
    """The template's rows after deriving the whole graph of conflicting reports again, in a
    copy of ``store``."""
    from kg.build.conflicts import derive_conflicts

    return _conflicts(derived_whole(store, derive_conflicts))


def test_an_update_that_contradicts_another_article_is_listed_then_withdrawn(
    store, tmp_path, corpus_dir, capsys
):
    """The seed articles agree on the NVIDIA-OpenAI amount; an update that reports another
    figure puts both articles' reports side by side, and the update that restores it takes them
    away: the derived graph follows the article graphs, and deriving again only the nodes the
    article reports on gives what deriving the whole graph gives."""
    assert _conflicts(store) == []
    record = edited(
        tmp_path,
        "amount: {value: 100000000000, currency: USD, bound: AtMost}",
        "amount: {value: 90000000000, currency: USD, bound: AtMost}",
    )
    command = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(command) == 0
    assert "conflicts: +2 -0 conflicting reports" in capsys.readouterr().out
    rows = _conflicts(store)
    deal = "https://w3id.org/aikg/id/deal/nvidia-openai-10gw"
    assert {(r["subject"], r["property"]) for r in rows} == {
        (deal, "https://w3id.org/aikg/ontology#amount")
    }
    reports = {(r["report"], r["article"]) for r in rows}
    assert ("90000000000 USD", ARTICLE) in reports
    assert {report for report, _ in reports} == {"90000000000 USD", "100000000000 USD"}
    assert len({article for _, article in reports}) == 2
    assert rows == _derived_whole(store)

    assert (
        kg_main(
            ["build", "--update", str(RECORD), "--corpus", str(corpus_dir), "--store", str(store)]
        )
        == 0
    )
    assert "conflicts: +0 -2 conflicting reports" in capsys.readouterr().out
    assert _conflicts(store) == []
