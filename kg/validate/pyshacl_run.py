"""SHACL validation of the dataset, one graph at a time.

Each article graph is validated together with the reference data it uses (the reference triples
about the individuals it names, two links deep), never with the union of the dataset, so adding
one article revalidates one article. The reference graph is validated once, on its own. Only the
graph's own nodes are focus nodes: the reference data a graph borrows and the ontology are there
to be looked at, never reported.

pyshacl runs with the ontology as ``ont_graph`` (so ``sh:targetClass`` and ``sh:class`` reach
subclasses) and inference ``none``. The shapes are parsed once per :class:`Shapes` and reused;
the ontology is mixed into the (throw-away) data graph as a plain union; SPARQL texts are parsed
once (:mod:`kg.validate.sparql_cache`); the LEI check digits are a registered SPARQL function
(:mod:`kg.validate.functions`).

>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix aikg: <https://w3id.org/aikg/ontology#> .
... <https://w3id.org/aikg/id/firm/acme> a aikg:Firm ; aikg:cik "104581" .''')
>>> report = validate_graph(data, reference=Graph())
>>> report.conforms
False
>>> sorted({r.shape_name for r in report.results if r.severity is Severity.VIOLATION})
['aikgsh:ChineseLabel', 'aikgsh:EnglishLabel', 'aikgsh:FirmCik']
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.errors import InputError, NonConformingError
from kg.core.iris import (
    BASE,
    GRAPH_INFERRED,
    GRAPH_LINKSET,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
    PREFIXES,
)
from kg.core.ontology import load_ontology, load_reference, load_shapes
from kg.core.paths import ontology_dir
from kg.store.embedded import Store, to_ox_quad
from kg.store.formats import RdfFormat, read_quads
from kg.validate import checks, sparql_cache
from kg.validate import compiled as fastcheck
from kg.validate import functions as shacl_functions

__all__ = [
    "SHAPES_NS",
    "GraphReport",
    "ReferenceData",
    "Report",
    "Result",
    "Severity",
    "Shapes",
    "check_store",
    "compact",
    "path_text",
    "validate_files",
    "validate_graph",
    "validate_graphs",
    "validate_store",
]

PROV_WAS_GENERATED_BY = URIRef(PREFIXES["prov"] + "wasGeneratedBy")
AIKG_METHOD = URIRef(PREFIXES["aikg"] + "method")

SHAPES_NS = shacl_functions.SHAPES
#: the annotation on a shape that says how to repair the data
FIX = URIRef(SHAPES_NS + "fix")
#: graphs that are never validated as data: the ontology, and what the reasoner derived from it
SKIPPED_GRAPHS = frozenset({GRAPH_ONTOLOGY, GRAPH_INFERRED})
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


# -- the shapes, parsed once -----------------------------------------------------------------------
class _Validator(pyshacl.Validator):
    """pyshacl's validator with a shapes graph parsed once (the ontology is in the data graph
    already, see :meth:`Shapes.validate`)."""

    def __init__(self, data: DataGraph, *, shapes: ShapesGraph, options: dict[str, Any]) -> None:
        super().__init__(data, shacl_graph=shapes.graph, ont_graph=None, options=options)
        self.shacl_graph = shapes


@dataclass(frozen=True)
class _Templates:
    """The messages of one shape or SPARQL constraint, by language, and its fix hints."""

    messages: Mapping[str, str]
    fixes: Mapping[str, str]


class Shapes:
    """The SHACL shapes (``ontology/*.shapes.ttl``) and the ontology, loaded and parsed once."""

    def __init__(self, *, shapes: Graph, ontology: Graph, mixed: Graph | None = None) -> None:
        shacl_functions.register()
        sparql_cache.install()
        self.graph = shapes
        self.ontology = ontology
        self._parsed = ShapesGraph(shapes)
        _ = self._parsed.shapes  # harvest the shapes now, once
        #: the ontology's own terms and individuals: never focus nodes
        self.ontology_terms = frozenset(s for s in ontology.subjects() if isinstance(s, URIRef))
        self._templates: dict[Node, _Templates] = {}
        self._restricted: dict[frozenset[Node], Shapes] = {}
        if mixed is None:
            mixed = Graph()
            mixed += ontology
        #: the ontology, to which each validated graph is added for its run
        self._mixed = mixed
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        self._top_level = frozenset(s for t in targets for s in shapes.subjects(t, None))

    @classmethod
    def load(cls, *, directory: Path | None = None) -> Shapes:
        """The project's shapes and ontology (cached per folder)."""
        return _load_shapes((directory or ontology_dir()).resolve())

    def restricted(self, keep: Sequence[Node]) -> Shapes | None:
        """These shapes with only the top-level shapes ``keep`` targeting anything (None when
        ``keep`` is empty; cached): what pyshacl checks where the compiled checks flagged
        something, or cannot check."""
        if not keep:
            return None
        key = frozenset(keep)
        found = self._restricted.get(key)
        if found is None:
            found = self._restricted[key] = self._restrict(key)
        return found

    def _restrict(self, keep: frozenset[Node]) -> Shapes:
        if keep >= self._top_level:
            return self
        graph = Graph()
        graph += self.graph
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        for target in targets:
            for shape in list(graph.subjects(target, None)):
                if shape not in keep:
                    graph.remove((shape, target, None))
        return Shapes(shapes=graph, ontology=self.ontology, mixed=self._mixed)

    def templates(self, node: Node) -> _Templates:
        """The ``sh:message`` and ``aikgsh:fix`` texts of a shape or constraint, by language."""
        found = self._templates.get(node)
        if found is None:
            found = _Templates(
                messages=_by_language(self.graph.objects(node, SH.message)),
                fixes=_by_language(self.graph.objects(node, FIX)),
            )
            self._templates[node] = found
        return found

    def validate(self, data: Graph) -> Graph:
        """Run pyshacl on ``data`` with the ontology mixed in; returns pyshacl's
        ``sh:ValidationReport`` graph, with results for every node the shapes target.

        The mix is a graph that holds the ontology already: ``data``'s triples are added to it
        for the run and taken out afterwards, which costs what ``data`` holds, not what the
        ontology holds (pyshacl's own mix-in copies the ontology into every data graph).
        ``data`` itself is not changed.
        """
        options: dict[str, Any] = {
            "inference": "none",
            "inplace": True,
            "allow_warnings": True,
            "allow_infos": True,
            "advanced": False,
        }
        mixed = self._mixed
        added = [t for t in data if t not in mixed]
        for triple in added:
            mixed.add(triple)
        try:
            validator = _Validator(
                DataGraph.from_rdflib(mixed), shapes=self._parsed, options=options
            )
            _, report, _ = validator.run()
        finally:
            for triple in added:
                mixed.remove(triple)
        return report


@functools.cache
def _load_shapes(directory: Path) -> Shapes:
    shapes = load_shapes(directory=directory)
    if len(shapes) == 0:
        raise InputError("no SHACL shapes (*.shapes.ttl) found", file=directory)
    return Shapes(shapes=shapes, ontology=load_ontology(directory=directory))


def _by_language(literals: Iterable[Node]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for literal in sorted(literals, key=str):
        if isinstance(literal, Literal):
            texts.setdefault(literal.language or "", str(literal))
    return texts


# -- the reference data a graph uses ---------------------------------------------------------
class ReferenceData:
    """The reference graph, indexed by subject, to hand each graph the part of it that it uses."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        index: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in graph:
            index.setdefault(s, []).append((p, o))
        self._index = index

    def closure(self, data: Graph) -> Iterator[tuple[Node, Node, Node]]:
        """The reference triples about the IRIs ``data`` uses, and the classes of the IRIs those
        triples point to (what ``sh:class`` needs to check a value of a value)."""
        used = {n for t in data for n in (t[0], t[2]) if isinstance(n, URIRef) and n in self._index}
        further: set[Node] = set()
        for subject in used:
            for p, o in self._index[subject]:
                yield subject, p, o
                if isinstance(o, URIRef) and o not in used:
                    further.add(o)
        for node in further & self._index.keys():
            for p, o in self._index[node]:
                if p == RDF.type:
                    yield node, p, o


# -- results ---------------------------------------------------------------------------------------
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


@dataclass(frozen=True)
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

    @property
    def is_draft(self) -> bool:
        """The graph was drafted by ``kg extract`` and not reviewed (PROV says so)."""
        return any(
            (activity, AIKG_METHOD, Literal("extracted")) in self.data
            for activity in self.data.objects(self.graph, PROV_WAS_GENERATED_BY)
        )


@dataclass(frozen=True)
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


def _results(report: Graph, *, graph: URIRef | None, shapes: Shapes) -> list[Result]:
    results: list[Result] = []
    # top-level results only: pyshacl also types the sh:detail results of sh:node as results
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        if focus is None or shape is None or not isinstance(component, URIRef):
            continue
        constraint = report.value(node, SH.sourceConstraint)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        own = shapes.templates(constraint) if constraint is not None else None
        templates = own if own is not None and own.messages else shapes.templates(shape)
        values = {"this": compact(focus), "value": compact(value)}
        if path is not None:
            values["path"] = path_text(report, path)
        # pyshacl fills a SPARQL constraint's {?var} itself but drops the language tag:
        # recover the variables from its text, then fill every language's template.
        for given in report.objects(node, SH.resultMessage):
            for template in templates.messages.values():
                match = _template_regex(template).fullmatch(str(given))
                if match:
                    for name, text in match.groupdict().items():
                        if name not in ("this", "value", "path"):
                            values.setdefault(name, _recovered(text))
        fixes = templates.fixes or shapes.templates(shape).fixes
        results.append(
            Result(
                graph=graph,
                focus=focus,
                severity=Severity.of(report.value(node, SH.resultSeverity)),
                component=component,
                shape=shape,
                path=path,
                value=value,
                constraint=constraint,
                messages={lang: _fill(t, values) for lang, t in templates.messages.items()},
                fixes=dict(fixes),
            )
        )
    order = list(Severity)
    results.sort(
        key=lambda r: (compact(r.focus), order.index(r.severity), compact(r.shape), str(r.value))
    )
    return results


# -- validating ------------------------------------------------------------------------------------
def _skolemized(graph: Graph) -> Graph:
    """Blank nodes as IRIs, so that they can be focus nodes."""
    if any(isinstance(n, BNode) for t in graph for n in (t[0], t[2])):
        return graph.skolemize()
    return graph


def validate_graph(
    data: Graph,
    *,
    graph: URIRef | None = None,
    reference: ReferenceData | Graph | None = None,
    shapes: Shapes | None = None,
) -> GraphReport:
    """Validate one graph: an article graph with the reference data it uses, or (``reference``
    None, or ``graph`` the reference graph) a graph on its own.

    ``reference`` defaults to the project's reference data; pass an empty ``Graph()`` for none.
    Only ``data``'s own subjects are focus nodes, never the ontology's terms.
    """
    shapes = shapes or Shapes.load()
    data = _skolemized(data)
    name = (
        graph
        if graph is not None
        else (data.identifier if isinstance(data.identifier, URIRef) else None)
    )
    working = Graph()
    working += data
    if name != GRAPH_REFERENCE:
        if reference is None:
            reference = _project_reference()
        if isinstance(reference, Graph):
            reference = ReferenceData(reference)
        for triple in reference.closure(data):
            working.add(triple)
    # pyshacl's own focus_nodes option also filters the value nodes of nested shapes (sh:node,
    # sh:or, qualified shapes on literals), so the whole graph is validated and the results about
    # nodes that are not the graph's own subjects (borrowed reference data, ontology) dropped.
    focus = {s for s in data.subjects() if isinstance(s, URIRef)} - shapes.ontology_terms
    if not focus:
        return GraphReport(graph=name, results=(), data=working)
    report = shapes.validate(working)
    results = [r for r in _results(report, graph=name, shapes=shapes) if r.focus in focus]
    return GraphReport(graph=name, results=tuple(results), data=working)


@functools.lru_cache(maxsize=4)
def _project_reference_cached(directory: Path, stamp: tuple[int, ...]) -> ReferenceData:
    del stamp  # part of the cache key only: a changed reference file is read again
    return ReferenceData(load_reference(directory=directory))


def _project_graph() -> Graph:
    return _project_reference().graph


def _project_reference() -> ReferenceData:
    directory = ontology_dir().resolve()
    files = sorted((directory / "reference").glob("*.ttl"))
    return _project_reference_cached(directory, tuple(f.stat().st_mtime_ns for f in files))


def _order(name: URIRef | None) -> tuple[int, str]:
    if name == GRAPH_REFERENCE:
        return 0, ""
    if name == GRAPH_LINKSET:
        return 1, ""
    return 2, str(name or "")


def validate_graphs(
    graphs: Mapping[URIRef | None, Graph],
    *,
    reference: Graph | None = None,
    shapes: Shapes | None = None,
    progress: Callable[[URIRef | None], None] | None = None,
) -> Report:
    """Validate a dataset graph by graph: the reference graph on its own, every other graph with
    the reference data it uses. ``reference`` defaults to ``graphs``' reference graph, else the
    project's. The ontology and inferred graphs are skipped."""
    shapes = shapes or Shapes.load()
    if reference is None:
        reference = graphs.get(GRAPH_REFERENCE)
    index = ReferenceData(reference) if reference is not None else _project_reference()
    reports: list[GraphReport] = []
    for name in sorted(graphs, key=_order):
        if name in SKIPPED_GRAPHS:
            continue
        if progress is not None:
            progress(name)
        reports.append(validate_graph(graphs[name], graph=name, reference=index, shapes=shapes))
    return Report(graphs=tuple(reports), shapes=shapes)


def _report_graph(
    name: URIRef,
    *,
    flagged: Sequence[Node],
    read: Callable[[URIRef], Graph],
    reference: Callable[[], ReferenceData],
    shapes: Shapes,
) -> GraphReport:
    """One graph's report: pyshacl's with the shapes the compiled checks flagged in it and those
    they could not compile (``flagged``); no results (nothing to validate) without any."""
    only = shapes.restricted(flagged)
    if only is None:
        return GraphReport(graph=name, results=(), data=Graph(identifier=name))
    return validate_graph(read(name), graph=name, reference=reference(), shapes=only)


def _validate_oxigraph(
    inner: Store,
    names: Sequence[URIRef],
    *,
    shapes: Shapes,
    reference: Callable[[], ReferenceData],
    progress: Callable[[URIRef | None], None] | None,
    violations_only: bool = False,
) -> Report:
    """The one validation path: the compiled checks (:mod:`.compiled`) over every graph of
    ``names`` at once, each with the store's reference and ontology graphs as its data graph's
    default part; pyshacl, for the detailed report, on the graphs they flag (any severity) and,
    if the compiler left shapes out, with those shapes on every graph."""
    defaults = [str(GRAPH_REFERENCE), str(GRAPH_ONTOLOGY)]
    compiled = fastcheck.compile_shapes(
        shapes.graph, context=checks.read_default_graph(inner, defaults)
    )
    findings = checks.check_store(
        inner, compiled, default_graph=defaults, graphs=[str(n) for n in names]
    )
    unsupported = [shape for shape, _ in compiled.unsupported]
    flagged: dict[str, set[Node]] = {}
    by_iri = {str(s): s for s in shapes.graph.subjects() if not isinstance(s, Literal)}
    for finding in findings:
        if violations_only and finding.severity != str(SH.Violation):
            continue
        flagged.setdefault(finding.graph, set()).add(by_iri[finding.top])
    convert = functools.partial(_read_graph, inner)
    reports: list[GraphReport] = []
    for name in sorted(names, key=_order):
        shapes_used = sorted(flagged.get(str(name), set()) | set(unsupported), key=str)
        if progress is not None and shapes_used:
            progress(name)
        reports.append(
            _report_graph(
                name, flagged=shapes_used, read=convert, reference=reference, shapes=shapes
            )
        )
    return Report(graphs=tuple(reports), shapes=shapes)


def _read_graph(inner: Store, name: URIRef) -> Graph:
    return inner.graph(name)


def _working_copy(
    quads: Iterable[ox.Quad], *, shapes: Shapes, reference: Graph | None = None
) -> Store:
    """An in-memory store of ``quads`` with an ontology graph and a reference graph (the
    project's, or ``reference``) where they have none."""
    inner = Store.in_memory()
    inner.add_quads(quads, bulk=True)
    for graph, fallback in (
        (GRAPH_ONTOLOGY, lambda: shapes.ontology),
        (GRAPH_REFERENCE, lambda: reference if reference is not None else _project_graph()),
    ):
        if not inner.has_graph(graph):
            inner.add_quads((to_ox_quad(s, p, o, graph) for s, p, o in fallback()), bulk=True)
    return inner


def validate_store(
    store: Store,
    *,
    graphs: Sequence[URIRef] | None = None,
    shapes: Shapes | None = None,
    progress: Callable[[URIRef | None], None] | None = None,
    violations_only: bool = False,
) -> Report:
    """Validate every graph of the store (or those of ``graphs``): each article graph with the
    reference data, the reference graph on its own; the ontology and inferred graphs are never
    data. The report is the one :func:`validate_graphs` would give, made by the compiled
    checks over all graphs at once and pyshacl only where they find something.

    ``violations_only``: pyshacl runs only where the compiled checks found a violation (the
    verdict is the same; graphs with warnings or notes only get no detailed results): what
    ``kg build`` needs before it swaps the store in."""
    shapes = shapes or Shapes.load()
    present = [n for n in store.graph_names() if n not in SKIPPED_GRAPHS]
    names = present if graphs is None else [n for n in graphs if n in set(present)]
    inner = store
    if not (store.has_graph(GRAPH_ONTOLOGY) and store.has_graph(GRAPH_REFERENCE)):
        inner = _working_copy(store.quads(), shapes=shapes)  # a store not made by kg build

    def reference() -> ReferenceData:
        return _reference_index(inner)

    return _validate_oxigraph(
        inner,
        names,
        shapes=shapes,
        reference=reference,
        progress=progress,
        violations_only=violations_only,
    )


def _reference_index(inner: Store) -> ReferenceData:
    found = _REFERENCE_INDEX.get(id(inner))
    if found is None or found[0] is not inner:
        found = (inner, ReferenceData(_read_graph(inner, GRAPH_REFERENCE)))
        _REFERENCE_INDEX.clear()
        _REFERENCE_INDEX[id(inner)] = found
    return found[1]


#: the reference data of the store being validated, read once per validation
_REFERENCE_INDEX: dict[int, tuple[Store, ReferenceData]] = {}


def validate_files(
    paths: Sequence[Path],
    *,
    shapes: Shapes | None = None,
    progress: Callable[[URIRef | None], None] | None = None,
) -> Report:
    """Validate RDF files (any common format). Named graphs are validated one by one; the
    triples of a file's default graph form one graph named after the file. The reference data is
    the files' reference graph if they hold one, else the project's."""
    shapes = shapes or Shapes.load()
    quads: list[ox.Quad] = []
    for path in paths:
        default = ox.NamedNode(Path(path).resolve().as_uri())
        quads += read_quads(Path(path), default_graph=default, fmt=RdfFormat.for_path(Path(path)))
    if not quads:
        raise InputError("no RDF statements to validate", file=paths[0] if paths else None)
    names = sorted(
        {URIRef(q.graph_name.value) for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        - SKIPPED_GRAPHS
    )
    inner = _working_copy(quads, shapes=shapes)
    if GRAPH_REFERENCE in names:

        def reference() -> ReferenceData:
            return _reference_index(inner)

    else:
        reference = _project_reference
    return _validate_oxigraph(inner, names, shapes=shapes, reference=reference, progress=progress)


def check_store(store: Store, *, graphs: Sequence[URIRef] | None = None) -> None:
    """Validate the store; :class:`NonConformingError` listing the first violations if a graph
    other than a draft does not conform (the check ``kg build`` runs before it replaces the old
    store). Drafts (graphs ``kg extract`` made, not yet reviewed) are taken as they are, to be
    reviewed: ``kg validate`` still reports their violations."""
    report = validate_store(store, graphs=graphs, violations_only=True)
    blocking = [g for g in report.graphs if not g.conforms and not g.is_draft]
    if not blocking:
        return
    violations = [r for g in blocking for r in g.results if r.severity is Severity.VIOLATION]
    affected = {r.graph for r in violations}
    lines = [
        f"the dataset does not conform: {len(violations)} violations in {len(affected)} graphs"
        " (build with --allow-invalid, then run kg validate, to see them all)"
    ]
    lines += [f"  {compact(r.focus)}: {r.message()}" for r in violations[:5]]
    if len(violations) > 5:
        lines.append(f"  ... and {len(violations) - 5} more")
    raise NonConformingError("\n".join(lines))
