"""Pictures of template results: graph-shaped results as DOT or SVG, metric results as charts.

``picture`` is the one entry point: ``kg query --format svg|dot`` and the explorer both call it.
Edge labels say what the deal is, how much and where it stands (its class, its latest amount,
its latest status and that status's date), in English or Traditional Chinese; the labels of
parties, classes and statuses come from the dataset (``rdfs:label`` in the chosen language).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.query.amounts import figure, parse_decimal
from kg.query.pictures.charts import CHART_TEMPLATES, metric_chart
from kg.query.pictures.flows import (
    ENDED_STATUSES,
    GRAPH_TEMPLATES,
    STALLED_STATUSES,
    FlowGraph,
    read_flows,
)
from kg.query.pictures.graphviz import dot_to_svg, to_dot
from kg.query.results import display
from kg.query.run import Labels, Source
from kg.query.templates import Template, parse_template
from kg.store.embedded import SelectResult

__all__ = ["DealFacts", "PictureFormat", "deal_facts", "drawable", "flow_dot", "picture"]

Href = Callable[[URIRef], str | None]


class PictureFormat(enum.Enum):
    """What ``picture`` writes: an SVG document or the Graphviz DOT text behind it."""

    SVG = "svg"
    DOT = "dot"


#: the words of picture titles that are not in the dataset
_TITLES = {
    "capital-cycles": {"en": "Circular financing", "zh-hant": "循環融資"},
    "exposure": {"en": "Who depends on {firm} paying", "zh-hant": "仰賴{firm}付款的各方"},
    "deals-of-firm": {"en": "Deals of {firm}", "zh-hant": "{firm}的交易"},
    "chip-sourcing": {"en": "Where AI labs get their chips", "zh-hant": "AI 實驗室的晶片來源"},
}
_LEGEND = {
    "en": {
        "flows": "arrows: money flows (payer → payee)",
        "chips": "arrows: AI lab → chip vendor",
        "cycle": "red: on a cycle of money flows",
        "undirected": "dashed: a party to a deal without a money flow",
        "faded": "dotted: a deal denied, withdrawn or cancelled (grey) or stalled (amber)",
    },
    "zh-hant": {
        "flows": "箭頭：資金流向（付款方 → 收款方）",
        "chips": "箭頭：AI 實驗室 → 晶片供應商",
        "cycle": "紅色：資金循環",
        "undirected": "虛線：無資金流向的交易方",
        "faded": "點線：遭否認、撤回或取消（灰）或停滯（橙）的交易",
    },
}
_WORDS = {"zh-hant": {"uses": "使用", "buys": "採購"}}


def _lang_key(lang: str) -> str:
    return "zh-hant" if lang.lower().startswith("zh") else "en"


def drawable(template: str) -> bool:
    """Whether ``picture`` can draw results of ``template``."""
    return template in GRAPH_TEMPLATES or template in CHART_TEMPLATES


@dataclass(frozen=True)
class DealFacts:
    """What an edge says about a deal: its classes, latest amount and latest status."""

    kinds: tuple[URIRef, ...] = ()
    amount: Decimal | None = None
    currency: str | None = None
    bound: URIRef | None = None
    status: URIRef | None = None
    status_as_of: str | None = None


def _deal_template() -> Template:
    text = resources.files("kg.query.pictures").joinpath("sparql/deal-facts.rq").read_text("utf-8")
    return parse_template(text, name="deal-facts")


def deal_facts(deals: Iterable[URIRef], *, source: Source) -> dict[URIRef, DealFacts]:
    """The facts an edge shows, for each deal (one small query per deal)."""
    template = _deal_template()
    out: dict[URIRef, DealFacts] = {}
    for deal in sorted(set(deals), key=str):
        result = source.run(template, {"_deal_iri": deal})
        if not isinstance(result, SelectResult):  # pragma: no cover - the query is a SELECT
            continue
        kinds: dict[URIRef, None] = {}
        facts = DealFacts()
        for row in result.rows:
            kind = row.get("type")
            if isinstance(kind, URIRef):
                kinds.setdefault(kind, None)
            amount = row.get("amount")
            if facts.amount is None and isinstance(amount, Literal):
                value = parse_decimal(amount)
                bound = row.get("bound")
                facts = DealFacts(
                    amount=value,
                    currency=str(row["currency"]) if "currency" in row else None,
                    bound=bound if isinstance(bound, URIRef) else None,
                    status=facts.status,
                    status_as_of=facts.status_as_of,
                )
            status = row.get("status")
            if facts.status is None and isinstance(status, URIRef):
                as_of = row.get("statusAsOf")
                facts = DealFacts(
                    amount=facts.amount,
                    currency=facts.currency,
                    bound=facts.bound,
                    status=status,
                    status_as_of=str(as_of) if as_of is not None else None,
                )
        out[deal] = DealFacts(
            kinds=tuple(kinds),
            amount=facts.amount,
            currency=facts.currency,
            bound=facts.bound,
            status=facts.status,
            status_as_of=facts.status_as_of,
        )
    return out


def _word(term: Node, labels: Labels, lang: str) -> str:
    if isinstance(term, Literal):
        return _WORDS.get(_lang_key(lang), {}).get(str(term), str(term))
    return display(term, labels=labels, lang=lang)


def _edge_label(
    edge_kind: URIRef | None,
    note: tuple[Node, ...],
    facts: DealFacts | None,
    labels: Labels,
    lang: str,
) -> str:
    lines: list[str] = []
    if note:
        lines.append(" · ".join(_word(term, labels, lang) for term in note))
    kind = edge_kind or (facts.kinds[0] if facts and facts.kinds else None)
    if kind is not None:
        lines.append(display(kind, labels=labels, lang=lang))
    if facts is not None and facts.amount is not None:
        lines.append(figure(value=facts.amount, unit=facts.currency, bound=facts.bound, lang=lang))
    if facts is not None and facts.status is not None:
        status = display(facts.status, labels=labels, lang=lang)
        lines.append(f"{status} · {facts.status_as_of}" if facts.status_as_of else status)
    return "\n".join(lines)


def _status_name(facts: DealFacts | None) -> str | None:
    if facts is None or facts.status is None:
        return None
    return str(facts.status).rsplit("#", 1)[-1]


def _title(graph: FlowGraph, labels: Labels, lang: str, *, faded: bool = False) -> str:
    key = _lang_key(lang)
    focus = ", ".join(display(f, labels=labels, lang=lang) for f in sorted(graph.focus, key=str))
    lines = [_TITLES[graph.template][key].format(firm=focus)]
    for cycle in graph.cycles:
        names = [display(p, labels=labels, lang=lang) for p in (*cycle, cycle[0])]
        lines.append(" → ".join(names))
    if not graph.edges:
        lines.append("(沒有資料)" if key == "zh-hant" else "(nothing found)")
    legend = _LEGEND[key]
    parts = [legend["chips" if graph.template == "chip-sourcing" else "flows"]]
    if any(e.on_cycle for e in graph.edges):
        parts.append(legend["cycle"])
    if any(not e.directed for e in graph.edges):
        parts.append(legend["undirected"])
    if faded:
        parts.append(legend["faded"])
    lines.append("；".join(parts) if key == "zh-hant" else "; ".join(parts))
    return "\n".join(lines)


def flow_dot(
    graph: FlowGraph, *, source: Source, lang: str = "en", href: Href | None = None
) -> str:
    """The DOT text of ``graph``, with labels in ``lang`` and deal facts from ``source``."""
    facts = deal_facts((e.deal for e in graph.edges if e.deal is not None), source=source)
    wanted: set[URIRef] = set(graph.nodes)
    for edge in graph.edges:
        wanted.update(t for t in (edge.kind, *edge.note) if isinstance(t, URIRef))
    for fact in facts.values():
        wanted.update(t for t in (*fact.kinds, fact.bound, fact.status) if t is not None)
    labels = source.labels(wanted)
    edge_labels = [
        _edge_label(e.kind, e.note, facts.get(e.deal) if e.deal is not None else None, labels, lang)
        for e in graph.edges
    ]
    statuses = [
        _status_name(facts.get(e.deal)) if e.deal is not None else None for e in graph.edges
    ]
    faded = any(s in ENDED_STATUSES or s in STALLED_STATUSES for s in statuses)
    return to_dot(
        graph,
        node_labels={n: display(n, labels=labels, lang=lang) for n in graph.nodes},
        edge_labels=edge_labels,
        title=_title(graph, labels, lang, faded=faded),
        href=href,
        edge_statuses=statuses,
    )


def picture(
    template: Template,
    result: SelectResult,
    bindings: Mapping[str, Node],
    *,
    source: Source,
    fmt: PictureFormat,
    lang: str = "en",
    href: Href | None = None,
) -> str:
    """A picture of ``result`` (the answer to ``template`` run with ``bindings``).

    Graph-shaped templates give DOT or SVG; metric templates give an SVG chart. Any other
    template, or DOT asked of a chart, is an ``InputError``.
    """
    if template.name in GRAPH_TEMPLATES:
        dot = flow_dot(
            read_flows(template.name, result, bindings), source=source, lang=lang, href=href
        )
        return dot if fmt is PictureFormat.DOT else dot_to_svg(dot)
    if template.name in CHART_TEMPLATES:
        if fmt is not PictureFormat.SVG:
            raise InputError(f"{template.name} draws a chart: use --format svg")
        return metric_chart(result, bindings, source=source, lang=lang)
    drawn = ", ".join(sorted(GRAPH_TEMPLATES | CHART_TEMPLATES))
    raise InputError(
        f"--format {fmt.value}: {template.name} has no picture (templates with one: {drawn})"
    )
