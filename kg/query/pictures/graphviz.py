"""A ``FlowGraph`` as Graphviz DOT, and DOT laid out as SVG by Graphviz's ``dot`` program.

Every label is passed through ``quote``, so no text from the data can end a DOT string or start
an escape sequence; Graphviz itself escapes what it writes into SVG.

>>> quote('say "hi" \\\\ bye')
'"say \\\\"hi\\\\" \\\\\\\\ bye"'
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from kg.core.errors import InputError
from kg.query.pictures.flows import Edge, FlowGraph

__all__ = ["FONT", "DotStyle", "dot_to_svg", "quote", "to_dot"]

#: one font for both languages: Noto Sans CJK has Latin glyphs too (Debian fonts-noto-cjk)
FONT = "Noto Sans CJK TC"

#: seconds ``dot`` may take to lay out one picture
_TIMEOUT = 60


@dataclass(frozen=True)
class DotStyle:
    """Colours of a picture (hex RGB)."""

    node_fill: str = "#e8eef7"
    node_line: str = "#3d5a80"
    focus_fill: str = "#3d5a80"
    focus_text: str = "#ffffff"
    edge: str = "#5f6b7a"
    cycle: str = "#c62828"


def quote(text: str) -> str:
    """``text`` as a DOT double-quoted string; line breaks become centred DOT line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{escaped}"'


def _attrs(items: Mapping[str, str | None]) -> str:
    parts = [f"{key}={quote(value)}" for key, value in items.items() if value is not None]
    return "[" + ", ".join(parts) + "]"


def to_dot(
    graph: FlowGraph,
    *,
    node_labels: Mapping[URIRef, str],
    edge_labels: Sequence[str],
    title: str,
    href: Callable[[URIRef], str | None] | None = None,
    style: DotStyle | None = None,
) -> str:
    """The DOT text of ``graph``; ``edge_labels[i]`` belongs to ``graph.edges[i]``.

    ``href`` (if given) makes nodes and deal edges links (an explorer page, say).
    """
    style = style or DotStyle()
    link = href or (lambda iri: None)
    lines = [
        f"digraph {quote(graph.template)} {{",
        "  graph "
        + _attrs(
            {
                "rankdir": "LR",
                "label": title,
                "labelloc": "t",
                "fontname": FONT,
                "fontsize": "16",
                "bgcolor": "white",
                "pad": "0.3",
                "nodesep": "0.45",
                "ranksep": "1.1",
            }
        )
        + ";",
        "  node "
        + _attrs(
            {
                "shape": "box",
                "style": "rounded,filled",
                "fillcolor": style.node_fill,
                "color": style.node_line,
                "fontname": FONT,
                "fontsize": "13",
                "margin": "0.18,0.08",
            }
        )
        + ";",
        "  edge " + _attrs({"fontname": FONT, "fontsize": "10", "color": style.edge}) + ";",
    ]
    for node in graph.nodes:
        label = node_labels.get(node, str(node))
        focus = node in graph.focus
        attrs: dict[str, str | None] = {
            "label": label,
            "tooltip": label,
            "URL": link(node),
            "target": "_top" if link(node) else None,
            # Graphviz writes "-" in ids as "&#45;": "_" keeps them plain for CSS and tests
            "id": "node_" + "_".join(str(node).split("/")[-2:]).replace("-", "_"),
        }
        if focus:
            attrs.update({"fillcolor": style.focus_fill, "fontcolor": style.focus_text})
        lines.append(f"  {quote(str(node))} {_attrs(attrs)};")
    for edge, label in zip(graph.edges, edge_labels, strict=True):
        ends = f"{quote(str(edge.source))} -> {quote(str(edge.target))}"
        lines.append(f"  {ends} {_edge(edge, label, link, style)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edge(edge: Edge, label: str, link: Callable[[URIRef], str | None], style: DotStyle) -> str:
    url = link(edge.deal) if edge.deal is not None else None
    attrs: dict[str, str | None] = {
        "label": label,
        "tooltip": label.replace("\n", " · "),
        "URL": url,
        "target": "_top" if url else None,
    }
    if edge.on_cycle:
        attrs.update({"color": style.cycle, "fontcolor": style.cycle, "penwidth": "2.4"})
    if not edge.directed:
        attrs.update({"dir": "none", "style": "dashed"})
    return _attrs(attrs)


def dot_to_svg(dot: str) -> str:
    """``dot`` laid out by Graphviz as an SVG document (raises ``InputError`` without Graphviz)."""
    program = shutil.which("dot")
    if program is None:
        raise InputError("Graphviz is not installed: 'dot' is not on PATH (Debian: graphviz)")
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"Graphviz 'dot' failed: {exc}") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"Graphviz 'dot' failed: {reason[0] if reason else done.returncode}")
    return done.stdout.decode("utf-8")
