"""Pictures: `kg query --format svg|dot` on the seed store, drawn by Graphviz and matplotlib."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main as kg_main
from kg.query.pictures import Edge, FlowGraph, dot_to_svg, read_flows, to_dot
from kg.store.embedded import SelectResult

SVG = "{http://www.w3.org/2000/svg}"
FIRM = "https://w3id.org/aikg/id/firm/"
CYCLE_RED = "#c62828"

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def draw(tmp_path: Path, seed_store: Path, name: str, *args: str, suffix: str = ".svg") -> str:
    out = tmp_path / f"{name}{suffix}"
    status = kg_main(["query", name, "--store", str(seed_store), "-o", str(out), *args])
    assert status == 0
    return out.read_text(encoding="utf-8")


def graph_of(svg: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Nodes (SVG id → label) and edges (from label, to label, edge text, stroke colour)."""
    root = ET.fromstring(svg)
    nodes: dict[str, str] = {}
    titles: dict[str, str] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            text = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
            title = group.find(f"{SVG}title")
            nodes[group.get("id", "")] = text
            if title is not None and title.text:
                titles[title.text] = text
    edges = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "edge":
            title = group.find(f"{SVG}title")
            assert title is not None and title.text
            source, target = title.text.split("->")
            label = "\n".join(t.text or "" for t in group.iter(f"{SVG}text"))
            path = next(group.iter(f"{SVG}path"))
            edges.append((titles[source], titles[target], label, path.get("stroke", "")))
    return nodes, edges


def test_capital_cycles_draws_the_nvidia_openai_oracle_loop(tmp_path, seed_store) -> None:
    nodes, edges = graph_of(draw(tmp_path, seed_store, "capital-cycles"))
    assert set(nodes.values()) == {"NVIDIA", "OpenAI", "Oracle"}
    flows = {(a, b) for a, b, _, _ in edges}
    assert flows == {("NVIDIA", "OpenAI"), ("OpenAI", "Oracle"), ("Oracle", "NVIDIA")}
    assert all(colour == CYCLE_RED for *_, colour in edges)
    labels = [label for a, b, label, _ in edges if (a, b) == ("NVIDIA", "OpenAI")]
    # the 10 GW letter of intent: its class, its latest amount and its latest status with date
    assert "investment\nat most US$100 bn\ndenied · 2026-01" in labels
    assert any("compute contract" in label and "US$300 bn" in label for *_, label, _ in edges)


def test_capital_cycles_in_traditional_chinese(tmp_path, seed_store) -> None:
    svg = draw(tmp_path, seed_store, "capital-cycles", "--lang", "zh-Hant")
    nodes, edges = graph_of(svg)
    assert set(nodes.values()) == {"輝達", "OpenAI", "甲骨文"}
    assert any("至多 1,000億美元" in label and "遭否認" in label for *_, label, _ in edges)
    assert "輝達 → OpenAI → 甲骨文 → 輝達" in svg
    assert 'font-family="Noto Sans CJK TC' in svg


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_a_font_with_traditional_chinese_glyphs_is_installed() -> None:
    """Without one, Graphviz and librsvg draw Chinese labels as empty boxes."""
    found = subprocess.run(
        ["fc-list", ":lang=zh-tw", "family"], capture_output=True, text=True, check=True
    )
    assert "Noto Sans CJK TC" in found.stdout


def test_dot_format_and_file_extension(tmp_path, seed_store) -> None:
    dot = draw(tmp_path, seed_store, "capital-cycles", suffix=".dot")
    assert dot.startswith('digraph "capital-cycles" {')
    assert f'"{FIRM}oracle" -> "{FIRM}nvidia"' in dot
    svg = dot_to_svg(dot)
    assert ET.fromstring(svg).tag == f"{SVG}svg"


def test_deals_of_firm_shows_flows_both_ways_and_a_licence_without_flow(tmp_path, seed_store):
    _, edges = graph_of(draw(tmp_path, seed_store, "deals-of-firm", "--param", "firm=nvidia"))
    flows = {(a, b) for a, b, _, _ in edges}
    assert ("Oracle", "NVIDIA") in flows  # NVIDIA supplies Oracle: Oracle pays NVIDIA
    assert ("NVIDIA", "Anthropic") in flows
    dot = draw(tmp_path, seed_store, "deals-of-firm", "--param", "firm=nvidia", suffix=".dot")
    licence = [line for line in dot.splitlines() if "export licence" in line]
    assert licence and 'dir="none"' in licence[0] and 'style="dashed"' in licence[0]
    # NVIDIA is the page's focus: filled dark
    assert 'fillcolor="#3d5a80"' in next(
        line for line in dot.splitlines() if "node_firm_nvidia" in line
    )


def test_exposure_reaches_three_flows_out_without_false_cycles(tmp_path, seed_store) -> None:
    _, edges = graph_of(draw(tmp_path, seed_store, "exposure", "--param", "firm=openai"))
    flows = {(a, b) for a, b, _, _ in edges}
    assert {("OpenAI", "Oracle"), ("Oracle", "NVIDIA"), ("NVIDIA", "Intel")} <= flows
    assert all(colour != CYCLE_RED for *_, colour in edges)


def test_chip_sourcing_labels_edges_with_kind_and_product(tmp_path, seed_store) -> None:
    _, edges = graph_of(draw(tmp_path, seed_store, "chip-sourcing"))
    assert ("Anthropic", "Google", "uses · TPU · Google TPU") in {(a, b, c) for a, b, c, _ in edges}
    assert any(a == "OpenAI" and b == "Broadcom" and "custom ASIC" in c for a, b, c, _ in edges)


def test_metric_compare_draws_a_bar_per_firm(tmp_path, seed_store) -> None:
    svg = draw(tmp_path, seed_store, "metric-compare", "--param", "metric=TrailingPE")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    bars = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("patch_")]
    assert len(bars) >= 3 + 1  # three firms' bars, plus the axes' background
    # matplotlib keeps each drawn string as a comment beside its glyph outlines
    assert "50.62" in svg and "86.18" in svg and "NVIDIA" in svg
    zh = draw(
        tmp_path, seed_store, "metric-compare", "--param", "metric=TrailingPE", "--lang", "zh-Hant"
    )
    assert "輝達" in zh and "歷史本益比" in zh


def test_formats_that_have_no_picture_are_refused(tmp_path, seed_store, capsys) -> None:
    status = kg_main(
        [
            "query",
            "firm-profile",
            "--param",
            "firm=nvidia",
            "--format",
            "svg",
            "--store",
            str(seed_store),
        ]
    )
    assert status == 2
    assert "firm-profile has no picture" in capsys.readouterr().err
    status = kg_main(
        [
            "query",
            "metric-compare",
            "--param",
            "metric=TrailingPE",
            "--format",
            "dot",
            "--store",
            str(seed_store),
        ]
    )
    assert status == 2
    assert "use --format svg" in capsys.readouterr().err


def test_labels_cannot_break_out_of_dot_or_svg() -> None:
    a, b = URIRef(FIRM + "a"), URIRef(FIRM + "b")
    evil = 'x" ]; "a" -> "b" [label="pwned\\'
    graph = FlowGraph("t", (Edge(a, b),))
    dot = to_dot(
        graph,
        node_labels={a: evil, b: "<script>alert(1)</script>"},
        edge_labels=["& <b>"],
        title="t",
    )
    svg = dot_to_svg(dot)
    nodes, edges = graph_of(svg)
    assert sorted(nodes.values()) == sorted([evil, "<script>alert(1)</script>"])
    assert len(edges) == 1 and edges[0][2] == "& <b>"
    assert "<script>" not in svg


def test_cycles_are_found_in_any_graph_shaped_result() -> None:
    firm = {name: URIRef(FIRM + name) for name in "abcd"}
    rows = [
        {"payer": firm["a"], "dependent": firm["b"]},
        {"payer": firm["b"], "dependent": firm["c"]},
        {"payer": firm["c"], "dependent": firm["a"]},
        {"payer": firm["c"], "dependent": firm["d"]},
    ]
    graph = read_flows("exposure", SelectResult(["payer", "dependent"], rows), {})
    marked = {(e.source[-1], e.target[-1]): e.on_cycle for e in graph.edges}
    assert marked == {("a", "b"): True, ("b", "c"): True, ("c", "a"): True, ("c", "d"): False}
