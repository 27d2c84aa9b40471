"""The one validation path of every verb (``kg validate``, ``kg build``, ``kg build --update``,
``kg bench``): the compiled checks (:mod:`kg.validate.checks`) over all graphs at once, pyshacl
(:mod:`kg.validate.pyshacl_run`) only for the graphs and shapes they flag, and for shapes they
cannot express; the report is the one pyshacl on every graph would give.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.errors import InputError, NonConformingError
from kg.core.iris import (
    GRAPH_LINKSET,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
)
from kg.store.embedded import Store, to_ox_quad
from kg.store.formats import RdfFormat, read_quads
from kg.validate import checks
from kg.validate import compiled as fastcheck
from kg.validate.dataset_checks import run_checks
from kg.validate.pyshacl_run import (
    SKIPPED_GRAPHS,
    ReferenceData,
    graph_order,
    project_graph,
    project_reference,
    validate_graph,
)
from kg.validate.results import (
    GraphReport,
    Report,
    Result,
    Severity,
    compact,
    make_result,
    result_order,
)
from kg.validate.shapes import Shapes

__all__ = ["check_store", "linkset_graphs", "validate_files", "validate_store"]


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


#: the constraint components whose result a finding determines: pyshacl gives no value on a
#: property shape ...
_NO_VALUE = frozenset(URIRef(f"{SH}{c}ConstraintComponent") for c in ("MinCount", "MaxCount"))
#: ... and the focus node itself as the value on a node shape
_FOCUS_VALUE = frozenset(
    URIRef(f"{SH}{c}ConstraintComponent")
    for c in (
        *("Not", "And", "Or", "Node", "Class", "Datatype", "NodeKind", "In", "Pattern"),
        *("MinLength", "MaxLength", "LanguageIn", "MinInclusive", "MaxInclusive"),
        *("MinExclusive", "MaxExclusive"),
    )
)


def _direct_result(finding: fastcheck.Finding, shapes: Shapes, shape: Node) -> Result | None:
    """The result pyshacl would write for a warning or note the compiled checks found, where
    the finding determines it (a missing value, a node shape's own focus node); None where
    only pyshacl can say it (the value that fails, a SPARQL constraint's variables), and for
    violations, which pyshacl reports with the graph's data (drafts, evidence)."""
    component = URIRef(str(SH) + finding.component)
    if finding.severity == str(SH.Violation) or not finding.iri:
        return None
    path = shapes.graph.value(shape, SH.path)
    focus = URIRef(finding.focus)
    if path is not None and component in _NO_VALUE:
        value: Node | None = None
    elif path is None and component in _FOCUS_VALUE:
        value = focus
    else:
        return None
    return make_result(
        graph=URIRef(finding.graph),
        focus=focus,
        severity=Severity.of(URIRef(finding.severity)),
        component=component,
        shape=shape,
        shapes=shapes,
        path=path,
        value=value,
    )


def _split(
    findings: Iterable[fastcheck.Finding], shapes: Shapes
) -> tuple[dict[str, set[Node]], dict[str, list[Result]]]:
    """The top-level shapes pyshacl must run per graph, and the results written without it
    (:func:`_direct_result`): a graph's findings of one top-level shape are all written
    directly, or pyshacl runs that shape on the graph and reports them all."""
    by_iri = {str(s): s for s in shapes.graph.subjects() if not isinstance(s, Literal)}
    written: dict[tuple[str, str], list[Result]] = {}
    flagged: dict[str, set[Node]] = {}
    for finding in findings:
        key = (finding.graph, finding.top)
        top = by_iri[finding.top]
        if top in flagged.get(finding.graph, ()):
            continue
        result = _direct_result(finding, shapes, by_iri[finding.shape])
        if result is None:
            flagged.setdefault(finding.graph, set()).add(top)
            written.pop(key, None)
        elif result.focus not in shapes.ontology_terms:
            written.setdefault(key, []).append(result)
    direct: dict[str, list[Result]] = {}
    for (graph, _), results in written.items():
        direct.setdefault(graph, []).extend(results)
    return flagged, direct


def _validate_oxigraph(
    inner: Store,
    names: Sequence[URIRef],
    *,
    shapes: Shapes,
    reference: Callable[[], ReferenceData],
    progress: Callable[[URIRef | None], None] | None,
    violations_only: bool = False,
    evidence: bool = True,
) -> Report:
    """The one validation path: the compiled checks (:mod:`.compiled`) over every graph of
    ``names`` at once, each with the store's reference, linkset and ontology graphs as its data
    graph's default part; pyshacl, for the detailed report, on the graphs they flag (any
    severity) and, if the compiler left shapes out, with those shapes on every graph; the
    warnings and notes whose results the findings determine are written without pyshacl, with
    the graph's data read for their evidence (``evidence``) or not."""
    defaults = [str(GRAPH_REFERENCE), str(GRAPH_ONTOLOGY), *map(str, linkset_graphs(inner))]
    compiled = fastcheck.compile_shapes(
        shapes.graph, context=checks.read_default_graph(inner, defaults)
    )
    run = compiled
    if violations_only:  # the warnings' and notes' checks are not run at all
        kept = [c for c in compiled.checks if c.severity == SH.Violation]
        run = dataclasses.replace(compiled, checks=kept)
    findings = checks.check_store(
        inner, run, default_graph=defaults, graphs=[str(n) for n in names]
    )
    unsupported = [shape for shape, _ in compiled.unsupported]
    flagged, direct = _split(findings, shapes)
    convert = functools.partial(_read_graph, inner)
    across = run_checks(inner, names)  # what no one graph shows (kg.validate.dataset_checks)
    reports: list[GraphReport] = []
    for name in sorted(names, key=graph_order):
        shapes_used = sorted(flagged.get(str(name), set()) | set(unsupported), key=str)
        if progress is not None and shapes_used:
            progress(name)
        report = _report_graph(
            name, flagged=shapes_used, read=convert, reference=reference, shapes=shapes
        )
        written = direct.get(str(name), [])
        if written:
            data = report.data if shapes_used or not evidence else convert(name)
            results = sorted((*report.results, *written), key=result_order)
            report = GraphReport(graph=name, results=tuple(results), data=data)
        extra = across.get(name)
        if extra:
            report = dataclasses.replace(report, results=(*report.results, *extra))
        reports.append(report)
    return Report(graphs=tuple(reports), shapes=shapes)


def _read_graph(inner: Store, name: URIRef) -> Graph:
    return inner.graph(name)


def linkset_graphs(store: Store) -> list[URIRef]:
    """The store's linkset graphs (``graph/linkset``, ``graph/linkset-<register>``): what
    ``kg link`` found in the registers is part of the reference data every graph is validated
    with, so a firm linked there has the identifier the reference graph lacks."""
    prefix = str(GRAPH_LINKSET)
    return [n for n in store.graph_names() if str(n).startswith(prefix)]


def _working_copy(
    quads: Iterable[ox.Quad], *, shapes: Shapes, reference: Graph | None = None
) -> Store:
    """An in-memory store of ``quads`` with an ontology graph and a reference graph (the
    project's, or ``reference``) where they have none."""
    inner = Store.in_memory()
    inner.add_quads(quads, bulk=True)
    for graph, fallback in (
        (GRAPH_ONTOLOGY, lambda: shapes.ontology),
        (GRAPH_REFERENCE, lambda: reference if reference is not None else project_graph()),
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
    evidence: bool = True,
) -> Report:
    """Validate every graph of the store (or those of ``graphs``): each article graph with the
    reference data, the reference graph on its own; the ontology and inferred graphs are never
    data. The report is the one :func:`validate_graphs` would give, made by the compiled
    checks over all graphs at once and pyshacl only where they find something.

    ``violations_only``: pyshacl runs only where the compiled checks found a violation (the
    verdict is the same; graphs with warnings or notes only get no detailed results): what
    ``kg build`` needs before it swaps the store in.

    ``evidence`` False: the reports of graphs whose results were all written without pyshacl
    hold no data, so their results have no evidence (the text and Turtle reports show none;
    the JSON report and ``kg validate --verbose`` do)."""
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
        evidence=evidence,
    )


def _reference_index(inner: Store) -> ReferenceData:
    found = _REFERENCE_INDEX.get(id(inner))
    if found is None or found[0] is not inner:
        graph = _read_graph(inner, GRAPH_REFERENCE)
        for name in linkset_graphs(inner):
            graph += _read_graph(inner, name)
        found = (inner, ReferenceData(graph))
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
    evidence: bool = True,
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
        reference = project_reference
    return _validate_oxigraph(
        inner, names, shapes=shapes, reference=reference, progress=progress, evidence=evidence
    )


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
