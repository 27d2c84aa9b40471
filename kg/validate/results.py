"""Validation results with their messages filled in, by language: one graph's (``GraphReport``),
several graphs' (``Report``), read from pyshacl's report graph; and how nodes and paths are
shown to people (``compact``, ``path_text``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.iris import (
    BASE,
    PREFIXES,
)
from kg.validate.shapes import SHAPES_NS, Shapes

__all__ = [
    "AIKG_METHOD",
    "PROV_WAS_GENERATED_BY",
    "GraphReport",
    "Report",
    "Result",
    "Severity",
    "compact",
    "make_result",
    "path_text",
    "read_results",
    "result_order",
]


PROV_WAS_GENERATED_BY = URIRef(PREFIXES["prov"] + "wasGeneratedBy")


AIKG_METHOD = URIRef(PREFIXES["aikg"] + "method")


_DISPLAY_PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {**PREFIXES, "aikgsh": SHAPES_NS, "sh": str(SH), "graph": BASE + "graph/"}.items(),
        key=lambda kv: -len(kv[1]),
    )
)


_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


class Severity(enum.Enum):
    """``sh:Violation`` makes the data wrong, ``sh:Warning`` weak; ``sh:Info`` is a note."""

    VIOLATION = SH.Violation
    WARNING = SH.Warning
    INFO = SH.Info

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, node: Node | None) -> Severity:
        for severity in cls:
            if severity.value == node:
                return severity
        return cls.VIOLATION  # a custom severity counts as a violation


def compact(node: Node | str | None) -> str:
    """An IRI as ``prefix:local`` where a known prefix fits; a literal as its lexical form.

    >>> compact(URIRef("https://w3id.org/aikg/id/firm/nvidia"))
    'firm:nvidia'
    >>> compact(Literal("0001045810"))
    '0001045810'
    """
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    text = str(node)
    if isinstance(node, BNode):
        return f"_:{text}"
    for prefix, namespace in _DISPLAY_PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>" if isinstance(node, URIRef) else text


def path_text(graph: Graph, path: Node | None) -> str:
    """A SHACL property path in SPARQL syntax (``aikg:investor``, ``^oa:hasBody``, ``a|b``)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return compact(path)
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(graph, p) for p in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(path_text(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    return compact(path)


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, with its messages filled in (by language)."""

    graph: URIRef | None
    focus: Node
    severity: Severity
    component: URIRef
    shape: Node
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    messages: Mapping[str, str] = field(default_factory=dict)
    fixes: Mapping[str, str] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return _pick(self.messages, lang) or f"{compact(self.component)} on {compact(self.focus)}"

    def fix(self, lang: str = "en") -> str:
        return _pick(self.fixes, lang)

    @property
    def shape_name(self) -> str:
        return compact(self.shape)


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or texts.get("") or next(iter(texts.values()), "")


@dataclass(frozen=True, repr=False)
class GraphReport:
    """The results of validating one graph; ``data`` is what was validated (without the
    ontology): the graph and the reference data it uses."""

    graph: URIRef | None
    results: tuple[Result, ...]
    data: Graph

    @property
    def conforms(self) -> bool:
        """No violation (warnings and notes are allowed)."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def __repr__(self) -> str:
        return f"<GraphReport of {compact(self.graph)}: {len(self.results)} results>"

    @property
    def is_draft(self) -> bool:
        """The graph was drafted by ``kg extract`` and not reviewed (PROV says so)."""
        return any(
            (activity, AIKG_METHOD, Literal("extracted")) in self.data
            for activity in self.data.objects(self.graph, PROV_WAS_GENERATED_BY)
        )


@dataclass(frozen=True, repr=False)
class Report:
    """The results of validating several graphs."""

    graphs: tuple[GraphReport, ...]
    shapes: Shapes

    @property
    def conforms(self) -> bool:
        return all(g.conforms for g in self.graphs)

    @property
    def results(self) -> list[Result]:
        return [r for g in self.graphs for r in g.results]

    def counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for result in self.results:
            counts[result.severity] += 1
        return counts

    def __repr__(self) -> str:
        words = {
            Severity.VIOLATION: "violations",
            Severity.WARNING: "warnings",
            Severity.INFO: "notes",
        }
        counts = ", ".join(f"{n} {words[s]}" for s, n in self.counts().items())
        verdict = "conforms" if self.conforms else "does not conform"
        return f"<Report of {len(self.graphs)} graphs: {counts}; {verdict}>"


def _template_regex(template: str) -> re.Pattern[str]:
    """A template with placeholders as a regex that recovers the values pyshacl filled in."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _recovered(text: str) -> str:
    return compact(URIRef(text)) if re.match(r"[a-z][a-z0-9+.-]*://", text) else text


def make_result(
    *,
    graph: URIRef | None,
    focus: Node,
    severity: Severity,
    component: URIRef,
    shape: Node,
    shapes: Shapes,
    path: Node | None = None,
    value: Node | None = None,
    constraint: Node | None = None,
    given: Iterable[str] = (),
) -> Result:
    """A result with its messages filled in every language of the shape's (or SPARQL
    constraint's) templates: ``{$this}``, ``{$value}``, ``{$path}``, and the ``{?var}`` of a
    SPARQL constraint recovered from the messages pyshacl wrote (``given``)."""
    own = shapes.templates(constraint) if constraint is not None else None
    templates = own if own is not None and own.messages else shapes.templates(shape)
    values = {"this": compact(focus), "value": compact(value)}
    if path is not None:
        values["path"] = path_text(shapes.graph, path)
    # pyshacl fills a SPARQL constraint's {?var} itself but drops the language tag:
    # recover the variables from its text, then fill every language's template.
    for text in given:
        for template in templates.messages.values():
            match = _template_regex(template).fullmatch(text)
            if match:
                for name, found in match.groupdict().items():
                    if name not in ("this", "value", "path"):
                        values.setdefault(name, _recovered(found))
    fixes = templates.fixes or shapes.templates(shape).fixes
    return Result(
        graph=graph,
        focus=focus,
        severity=severity,
        component=component,
        shape=shape,
        path=path,
        value=value,
        constraint=constraint,
        messages={lang: _fill(t, values) for lang, t in templates.messages.items()},
        fixes=dict(fixes),
    )


def result_order(result: Result) -> tuple[str, int, str, str]:
    """The order of a graph's results: by focus node, severity, shape, value."""
    return (
        compact(result.focus),
        list(Severity).index(result.severity),
        compact(result.shape),
        str(result.value),
    )


def read_results(report: Graph, *, graph: URIRef | None, shapes: Shapes) -> list[Result]:
    """The results of pyshacl's report graph, in :func:`result_order`."""
    results: list[Result] = []
    # top-level results only: pyshacl also types the sh:detail results of sh:node as results
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        if focus is None or shape is None or not isinstance(component, URIRef):
            continue
        results.append(
            make_result(
                graph=graph,
                focus=focus,
                severity=Severity.of(report.value(node, SH.resultSeverity)),
                component=component,
                shape=shape,
                shapes=shapes,
                path=report.value(node, SH.resultPath),
                value=report.value(node, SH.value),
                constraint=report.value(node, SH.sourceConstraint),
                given=[str(m) for m in report.objects(node, SH.resultMessage)],
            )
        )
    results.sort(key=result_order)
    return results
