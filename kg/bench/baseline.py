"""The plain way, timed: the same record files read and mapped by the same code, one after the
other, into an in-memory rdflib ``Dataset`` (one named graph per article), with the reference
file parsed by rdflib; pyshacl over the whole union, rdflib's SPARQL engine for the templates,
rdflib's Turtle and N-Quads serializers for the exports.
"""

from __future__ import annotations

import functools
import io
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyshacl
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Identifier

from kg.bench.peers import report_findings
from kg.bench.workload import QueryCase, Workload
from kg.build.conflicts import derivation as conflicts_derivation
from kg.build.flows import derivation as flows_derivation
from kg.core.iris import GRAPH_FLOWS, GRAPH_ONTOLOGY, GRAPH_REFERENCE, PREFIXES
from kg.core.ontology import load_reference
from kg.records.mapper import map_record
from kg.records.reader import Record, declared_individuals, load_record, record_files
from kg.validate import functions as shacl_functions
from kg.validate import sparql_cache

__all__ = ["BaselineResult", "load_dataset", "run_baseline"]


@dataclass
class BaselineResult:
    seconds: dict[str, float]
    query_seconds: dict[str, float]
    triples: int
    #: the first validation pass's verdict; None when it was stopped at the time limit
    conforms: bool | None
    #: operations and templates stopped at the time limit (their time is a lower bound)
    timed_out: list[str]
    #: the first validation pass's results: [focus, component, severity, shape], sorted
    findings: list[list[str]] | None = None


def _add(dataset: Dataset, name: URIRef, triples: Graph) -> None:
    graph = dataset.graph(name)
    for triple in triples:
        graph.add(triple)


def _validate(dataset: Dataset, shapes: Graph) -> tuple[bool, Graph]:
    """pyshacl over the union of every graph (the ontology included, so ``sh:class`` and
    ``sh:targetClass`` reach subclasses): its verdict and its report graph."""
    conforms, report, _ = pyshacl.validate(
        dataset,  # with default_union, pyshacl sees the union of the named graphs
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
    )
    return bool(conforms), report


def _findings(report: Graph, ontology: Graph) -> list[list[str]]:
    """The top-level results of a pyshacl report, about data (not the ontology's terms)."""
    return report_findings(report, skip=set(ontology.subjects()))


class _TimeUp(BaseException):
    """Raised by the interval timer (a BaseException, so no ``except Exception`` swallows it)."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _TimeUp


def _limited(work: Callable[[], object], *, timeout: float) -> tuple[float | None, object]:
    """Run ``work`` here, in this process, stopped by an interval timer after ``timeout``
    seconds: its seconds and value, or ``(None, None)`` if it was stopped. pyshacl and rdflib's
    SPARQL engine are Python code, so the timer's exception stops them promptly; and nothing
    is forked, so the peak memory sampled is the plain stack's own."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        value = work()
        took = time.perf_counter() - start
    except _TimeUp:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return took, value


def run_baseline(
    workload: Workload,
    *,
    query_timeout: float = 10.0,
    time_limit: float = 3600.0,
    incremental_limit: float | None = None,
) -> BaselineResult:
    """Every operation of the benchmark, the plain way. The validation pass, the incremental
    pass and each query are stopped after ``time_limit``, ``incremental_limit`` (default:
    ``time_limit``) and ``query_timeout`` seconds (the limit then counts: a lower bound, listed
    in ``timed_out``)."""
    _ = workload.ontology, workload.schema, workload.shapes, workload.query_cases  # untimed
    project_reference = load_reference()
    shacl_functions.register()
    sparql_cache.install()  # as kg validate does: each SPARQL constraint parsed once
    seconds: dict[str, float] = {}
    timed_out: list[str] = []
    files = workload.files

    start = time.perf_counter()
    dataset, reference, records = load_dataset(workload, project_reference)
    loaded = time.perf_counter() - start
    took, verdict_report = _limited(lambda: _validate(dataset, workload.shapes), timeout=time_limit)
    if took is None:
        timed_out.append("build_validate")
    seconds["build_validate"] = loaded + (took if took is not None else time_limit)
    seconds["validate"] = took if took is not None else time_limit
    conforms: bool | None = None
    findings: list[list[str]] | None = None
    if isinstance(verdict_report, tuple):
        conforms = verdict_report[0]
        findings = _findings(verdict_report[1], workload.ontology)
    triples = sum(len(dataset.graph(g.identifier)) for g in dataset.graphs() if len(g))

    start = time.perf_counter()
    extra = load_record(files.extra)
    known = _known(workload, reference, [*records, extra])
    _add(dataset, URIRef(extra.iri), map_record(extra, schema=workload.schema, known=known))
    added = time.perf_counter() - start
    again = incremental_limit or time_limit
    took, _ = _limited(lambda: _validate(dataset, workload.shapes), timeout=again)
    if took is None:
        timed_out.append("incremental")
    seconds["incremental"] = added + (took if took is not None else again)

    query_seconds: dict[str, float] = {}
    for case in workload.query_cases:
        took, _ = _limited(functools.partial(_query, dataset, case), timeout=query_timeout)
        if took is None:
            timed_out.append(case.name)
        query_seconds[case.name] = took if took is not None else query_timeout

    for name, fmt in (("export_turtle", "turtle"), ("export_nquads", "nquads")):
        start = time.perf_counter()
        # with default_union, the Turtle serializer writes the union, each triple once
        dataset.serialize(destination=io.BytesIO(), format=fmt)
        seconds[name] = time.perf_counter() - start
    return BaselineResult(seconds, query_seconds, triples, conforms, timed_out, findings)


def load_dataset(
    workload: Workload, project_reference: Graph
) -> tuple[Dataset, Graph, list[Record]]:
    """The plain way of reading the corpus: the ontology, the reference file (with the project's
    reference data) and every record file mapped, one named graph each, in a ``Dataset`` whose
    default graph is their union."""
    files = workload.files
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    _add(dataset, GRAPH_ONTOLOGY, workload.ontology)
    reference = Graph().parse(files.reference, format="turtle")
    reference += project_reference
    _add(dataset, GRAPH_REFERENCE, reference)
    records = [load_record(path) for path in record_files(files.records)]
    known = _known(workload, reference, records)
    for record in records:
        _add(dataset, URIRef(record.iri), map_record(record, schema=workload.schema, known=known))
    return dataset, reference, records


def _known(workload: Workload, reference: Graph, records: list[Record]) -> frozenset[URIRef]:
    """Every individual a record may name: the reference data's, the ontology's, and those the
    records declare."""
    found = {s for s in reference.subjects() if isinstance(s, URIRef)}
    found |= workload.schema.vocabulary.individuals
    found |= {URIRef(i) for i in declared_individuals(records)}
    return frozenset(found)


def _query(dataset: Dataset, case: QueryCase) -> int:
    """The template's rows. The plain dataset has none of the graphs ``kg build`` derives, so a
    template that reads one pays for the derivation at each call: conflicting-reports is the
    whole-store comparison of ``ontology/derived/conflicts.rq``; a template that reads the money
    flows runs on the flows of ``ontology/derived/flows.rq``, derived into the dataset for the
    call and taken away after it."""
    bindings = {k: v for k, v in case.bindings.items() if isinstance(v, Identifier)}
    if case.name == "conflicting-reports":
        return len(list(dataset.query(conflicts_derivation(), initBindings=bindings)))
    if str(GRAPH_FLOWS) not in case.template.query and "graphs:flows" not in case.template.query:
        return len(list(dataset.query(case.template.query, initBindings=bindings)))
    flows = dataset.graph(GRAPH_FLOWS)
    try:
        derived = dataset.query(flows_derivation()).graph  # a CONSTRUCT's answer is a graph
        assert derived is not None
        for triple in derived:
            flows.add(triple)
        return len(list(dataset.query(case.template.query, initBindings=bindings)))
    finally:
        dataset.remove_graph(flows)
