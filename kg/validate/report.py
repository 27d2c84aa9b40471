"""Validation reports for people and for machines.

:func:`render_text` says in plain words what is wrong and how to fix it, at one of three levels
of :class:`Detail`: ``GROUPED`` (the default) one line per kind of finding (its shape and
message) with a count and a few of the nodes it is about, then its fix; ``SUMMARY`` the counts
only; ``FULL`` every result, by graph and focus node, with where it is (the fact the node
belongs to, the evidence spans with their quotes when the store has them).
:func:`render_json` is the same as data; :func:`report_graph` is the standard
``sh:ValidationReport`` (messages in every language).
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.iris import PREFIXES
from kg.validate.results import GraphReport, Report, Result, Severity, compact, path_text
from kg.validate.shapes import SHAPES_NS

__all__ = [
    "Detail",
    "Evidence",
    "ReportFormat",
    "evidence_of",
    "fact_of",
    "render",
    "render_json",
    "render_text",
    "report_graph",
]

OA = Namespace(PREFIXES["oa"])
_MAX_SPANS = 3
_MAX_QUOTE = 80


class ReportFormat(enum.Enum):
    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


class Detail(enum.Enum):
    """How much the text report says: counts only, one line per kind of finding, or all."""

    SUMMARY = "summary"
    GROUPED = "grouped"
    FULL = "full"


#: focus nodes named per kind of finding in the grouped report
_EXAMPLES = 3
#: a placeholder of a message template ({$this}, {$value}, {?var})
_PLACEHOLDER = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Evidence:
    """One evidence span of a fact: code-point offsets, and the quote if the store has it."""

    start: int
    end: int
    quote: str | None = None

    def text(self) -> str:
        where = f"[{self.start}, {self.end})"
        if self.quote is None:
            return where
        quote = " ".join(self.quote.split())
        if len(quote) > _MAX_QUOTE:
            quote = quote[: _MAX_QUOTE - 1] + "…"
        return f"{where} “{quote}”"


def _is_annotation(data: Graph, node: Node) -> bool:
    return (node, RDF.type, OA.Annotation) in data or (node, OA.hasTarget, None) in data


def fact_of(data: Graph, node: Node) -> Node | None:
    """The fact (or mentioned individual) a node belongs to: itself if evidence points to it,
    the body of an annotation, or the nearest node above it (an amount's deal, a selector's
    annotation's body) that has evidence; None for reference data without evidence."""
    seen: set[Node] = set()
    frontier: list[Node] = [node]
    for _ in range(4):
        above: list[Node] = []
        for current in frontier:
            if _is_annotation(data, current):
                return data.value(current, OA.hasBody)
            if (None, OA.hasBody, current) in data:
                return current
            seen.add(current)
            for subject, predicate in data.subject_predicates(current):
                if predicate not in (OA.hasBody, OA.hasSource) and subject not in seen:
                    above.append(subject)
        frontier = above
        if not frontier:
            break
    return None


def evidence_of(data: Graph, fact: Node) -> list[Evidence]:
    """The evidence spans of a fact (those that describe it first, then its mentions)."""
    annotations = sorted(
        data.subjects(OA.hasBody, fact),
        key=lambda a: ((a, OA.motivatedBy, OA.describing) not in data, str(a)),
    )
    spans: list[Evidence] = []
    for annotation in annotations:
        for target in sorted(data.objects(annotation, OA.hasTarget), key=str):
            start = end = None
            quote = None
            for selector in data.objects(target, OA.hasSelector):
                if data.value(selector, OA.start) is not None:
                    start, end = data.value(selector, OA.start), data.value(selector, OA.end)
                exact = data.value(selector, OA.exact)
                if exact is not None:
                    quote = str(exact)
            if isinstance(start, Literal) and isinstance(end, Literal):
                try:
                    spans.append(Evidence(int(start), int(end), quote))
                except ValueError:
                    continue
    return spans


def _counts_text(counts: dict[Severity, int]) -> str:
    words = {Severity.VIOLATION: "violation", Severity.WARNING: "warning", Severity.INFO: "note"}
    parts = [f"{n} {words[s]}{'' if n == 1 else 's'}" for s, n in counts.items() if n]
    return ", ".join(parts) or "no results"


def _graph_counts(graph: GraphReport) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for result in graph.results:
        counts[result.severity] += 1
    return counts


def _by_focus(results: tuple[Result, ...]) -> Iterator[tuple[Node, list[Result]]]:
    groups: dict[Node, list[Result]] = {}
    for result in results:
        groups.setdefault(result.focus, []).append(result)
    yield from groups.items()


def _render_full(report: Report, *, lang: str) -> str:
    """Every result, by graph, then by focus node."""
    lines: list[str] = []
    for graph in report.graphs:
        if not graph.results:
            continue
        name = compact(graph.graph) if graph.graph is not None else "(default graph)"
        lines.append(f"{name}: {_counts_text(_graph_counts(graph))}")
        for focus, results in _by_focus(graph.results):
            fact = fact_of(graph.data, focus)
            heading = f"  {compact(focus)}"
            if fact is not None and fact != focus:
                heading += f"  (in {compact(fact)})"
            lines.append(heading)
            for result in results:
                where = []
                if result.path is not None:
                    where.append(f"path {path_text(report.shapes.graph, result.path)}")
                if result.value is not None and result.value != result.focus:
                    where.append(f"value {compact(result.value)}")
                detail = f" [{'; '.join(where)}]" if where else ""
                lines.append(f"    {result.severity.label}: {result.message(lang)}{detail}")
                fix = result.fix(lang)
                if fix:
                    lines.append(f"      fix: {fix}")
            spans = evidence_of(graph.data, fact) if fact is not None else []
            for span in spans[:_MAX_SPANS]:
                lines.append(f"      evidence {span.text()}")
            if len(spans) > _MAX_SPANS:
                lines.append(f"      … and {len(spans) - _MAX_SPANS} more spans")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def _verdict(report: Report) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{len(report.graphs)} graphs: {_counts_text(report.counts())}; {verdict}"


def _graph_lines(report: Report) -> list[str]:
    return [
        f"{compact(g.graph) if g.graph is not None else '(default graph)'}: "
        f"{_counts_text(_graph_counts(g))}"
        for g in report.graphs
        if g.results
    ]


@dataclass
class _Group:
    """The results of one kind: one shape, one path, one message template."""

    severity: Severity
    shape: Node
    message: str
    fix: str
    results: list[Result] = field(default_factory=list)


def _generic_message(report: Report, result: Result, lang: str) -> str:
    """The result's message with the values that vary (``{$this}``, ``{$value}`` ...) as "…";
    the filled message when the shape has no template (the dataset checks)."""
    shapes = report.shapes
    for node in (result.constraint, result.shape):
        if node is None:
            continue
        messages = shapes.templates(node).messages
        template = messages.get(lang) or messages.get("en") or messages.get("")
        if template:
            return _PLACEHOLDER.sub("…", template)
    return result.message(lang)


def _groups(report: Report, lang: str) -> list[_Group]:
    groups: dict[tuple[object, ...], _Group] = {}
    for result in report.results:
        message = _generic_message(report, result, lang)
        key = (result.severity, result.shape, result.path, message)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(result.severity, result.shape, message, result.fix(lang))
        group.results.append(result)
    order = list(Severity)
    return sorted(
        groups.values(),
        key=lambda g: (order.index(g.severity), -len(g.results), compact(g.shape), g.message),
    )


def _group_line(report: Report, group: _Group) -> str:
    n = len(group.results)
    word = {Severity.VIOLATION: "violation", Severity.WARNING: "warning", Severity.INFO: "note"}
    head = f"{n} {word[group.severity]}{'' if n == 1 else 's'}"
    focus = list(dict.fromkeys(compact(r.focus) for r in group.results))
    shown = ", ".join(focus[:_EXAMPLES])
    if len(focus) > _EXAMPLES:
        shown += f" and {len(focus) - _EXAMPLES} more"
    graphs = list(dict.fromkeys(r.graph for r in group.results))
    where = compact(graphs[0]) if len(graphs) == 1 and graphs[0] is not None else None
    place = f"in {where}" if where else f"in {len(graphs)} graphs"
    shape = compact(group.shape) if isinstance(group.shape, URIRef) else None
    if shape is None and group.results[0].path is not None:
        shape = path_text(report.shapes.graph, group.results[0].path)
    about = f"{shape}; {place}" if shape else place
    return f"{head}: {group.message}  [{about}: {shown}]"


def _render_grouped(report: Report, *, lang: str) -> str:
    lines = _graph_lines(report)
    groups = _groups(report, lang)
    if groups:
        lines.append("")
    for group in groups:
        lines.append(_group_line(report, group))
        if group.fix:
            lines.append(f"  fix: {group.fix}")
    if groups:
        lines.append("(every result with its evidence: kg validate --verbose)")
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def render_text(report: Report, *, lang: str = "en", detail: Detail = Detail.GROUPED) -> str:
    """The report for people: counts per graph, then one line per kind of finding (a shape and
    its message) with a count and the first nodes it is about, and its fix; ``Detail.SUMMARY``
    the counts only; ``Detail.FULL`` every result by graph and focus node, with evidence."""
    if detail is Detail.FULL:
        return _render_full(report, lang=lang)
    if detail is Detail.SUMMARY:
        return "\n".join([*_graph_lines(report), _verdict(report)]) + "\n"
    return _render_grouped(report, lang=lang)


def _result_json(
    result: Result, graph: GraphReport, report: Report, lang: str
) -> dict[str, object]:
    fact = fact_of(graph.data, result.focus)
    return {
        "focus": str(result.focus),
        "severity": result.severity.label,
        "message": result.message(lang),
        "messages": dict(result.messages),
        "path": path_text(report.shapes.graph, result.path) if result.path is not None else None,
        "value": str(result.value) if result.value is not None else None,
        "component": str(result.component),
        "shape": str(result.shape),
        "fix": result.fix(lang) or None,
        "fact": str(fact) if fact is not None else None,
        "evidence": [
            {"start": e.start, "end": e.end, "quote": e.quote}
            for e in (evidence_of(graph.data, fact) if fact is not None else [])
        ],
    }


def render_json(report: Report, *, lang: str = "en") -> str:
    """The report as one JSON object: conforms, counts, and the results graph by graph."""
    body = {
        "conforms": report.conforms,
        "counts": {s.label: n for s, n in report.counts().items()},
        "graphs": [
            {
                "graph": str(g.graph) if g.graph is not None else None,
                "conforms": g.conforms,
                "results": [_result_json(r, g, report, lang) for r in g.results],
            }
            for g in report.graphs
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _copy_structure(source: Graph, node: Node, target: Graph) -> None:
    """A blank node's description (a property path), copied with its blank nodes."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for p, o in source.predicate_objects(current):
            target.add((current, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def report_graph(report: Report) -> Graph:
    """The standard ``sh:ValidationReport`` of every graph's results (messages in every
    language, placeholders filled in)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("aikgsh", SHAPES_NS)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    shapes = report.shapes.graph
    for result in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultSeverity, result.severity.value))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        graph.add((node, SH.sourceShape, result.shape))
        if isinstance(result.shape, BNode):
            _copy_structure(shapes, result.shape, graph)
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
            if isinstance(result.path, BNode):
                _copy_structure(shapes, result.path, graph)
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if isinstance(result.constraint, URIRef):
            graph.add((node, SH.sourceConstraint, result.constraint))
        for lang, text in sorted(result.messages.items()):
            graph.add((node, SH.resultMessage, Literal(text, lang=lang or None)))
    return graph


def render(
    report: Report, *, fmt: ReportFormat, lang: str = "en", detail: Detail = Detail.GROUPED
) -> str:
    """The report in ``fmt``; ``detail`` is for the text format (JSON and Turtle hold every
    result)."""
    if fmt is ReportFormat.JSON:
        return render_json(report, lang=lang)
    if fmt is ReportFormat.TURTLE:
        return report_graph(report).serialize(format="turtle")
    return render_text(report, lang=lang, detail=detail)
