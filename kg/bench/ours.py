"""aikg's way, timed: records mapped in parallel straight to N-Quads, bulk-loaded into the
persistent Oxigraph store; SHACL by the compiled checks of :mod:`kg.fastcheck` over all graphs
at once (pyshacl only for graphs they flag, and for shapes they cannot compile); one new article
validated alone with pyshacl; templates in Oxigraph; exports by pyoxigraph's serializers.

Nothing here holds the union of the graphs in rdflib.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

from kg.bench.workload import QueryCase, Workload
from kg.export import write_export
from kg.fastcheck import Finding, check_store, compile_shapes, read_default_graph
from kg.iris import GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.mapper import map_record
from kg.query import StoreSource, run_template
from kg.rdfio import RdfFormat
from kg.records import Record
from kg.store import Store, from_ox, to_ox
from kg.templates import load_catalogue
from kg.validate import GraphReport, ReferenceData, Shapes, validate_graph

__all__ = ["OursResult", "load_all", "nquads", "run_ours", "validate_one", "validate_store"]


class _Collector(RdflibStore):
    """An rdflib store that only keeps the triples added, in order (no indexes)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node], context: object, quoted: bool = False) -> None:
        self.items.append(triple)


_IRI_CACHE: dict[str, str] = {}
#: bytes of N-Quads per bulk load
BATCH = 32 * 1024 * 1024


def _nt(node: Node) -> str:
    if type(node) is URIRef:
        text = _IRI_CACHE.get(node)
        if text is None:
            text = _IRI_CACHE[node] = f"<{node}>"
        return text
    if isinstance(node, Literal):
        value = (
            str(node)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if node.language:
            return f'"{value}"@{node.language}'
        if node.datatype is not None:
            return f'"{value}"^^{_nt(node.datatype)}'
        return f'"{value}"'
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def nquads(
    triples: Iterator[tuple[Node, Node, Node]] | list[tuple[Node, Node, Node]], graph: str
) -> str:
    """Triples as N-Quads lines in ``graph``."""
    g = f"<{graph}>"
    return "".join(f"{_nt(s)} {_nt(p)} {_nt(o)} {g} .\n" for s, p, o in triples)


# -- the parallel mapping ----------------------------------------------------------------------
_STATE: Workload | None = None


def _map_chunk(bounds: tuple[int, int]) -> bytes:
    workload = _STATE
    if workload is None:  # pragma: no cover - set before the pool forks
        raise RuntimeError("no workload in the worker")
    parts = []
    for record in workload.records[bounds[0] : bounds[1]]:
        parts.append(_map_one(record, workload))
    return "".join(parts).encode("utf-8")


def _mapped(record: Record, workload: Workload) -> list[tuple[Node, Node, Node]]:
    collector = _Collector()
    graph = Graph(store=collector, identifier=URIRef(record.iri))
    map_record(record, schema=workload.schema, known=workload.known, graph=graph)
    return collector.items


def _map_one(record: Record, workload: Workload) -> str:
    return nquads(_mapped(record, workload), record.iri)


def _chunks(total: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(total, i + size)) for i in range(0, total, size)]


def load_all(workload: Workload, store: Store, *, workers: int) -> None:
    """Map every record (``workers`` processes) and bulk-load the quads as they come, with the
    ontology and the reference graph."""
    global _STATE
    store.oxigraph.bulk_load(
        input=nquads(iter(workload.ontology), str(GRAPH_ONTOLOGY)).encode("utf-8"),
        format=ox.RdfFormat.N_QUADS,
    )
    store.oxigraph.bulk_load(
        input=nquads(iter(workload.reference), str(GRAPH_REFERENCE)).encode("utf-8"),
        format=ox.RdfFormat.N_QUADS,
    )
    chunks = _chunks(len(workload.records), max(50, len(workload.records) // (workers * 8) + 1))
    pending: list[bytes] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if pending:
            store.oxigraph.bulk_load(input=b"".join(pending), format=ox.RdfFormat.N_QUADS)
            pending.clear()
            size = 0

    _STATE = workload
    try:
        if workers <= 1 or len(chunks) == 1:
            results: Iterator[bytes] = map(_map_chunk, chunks)
            for data in results:
                pending.append(data)
            flush()
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            # each bulk load has a fixed cost: load in batches of about BATCH bytes
            for data in pool.imap(_map_chunk, chunks):
                pending.append(data)
                size += len(data)
                if size >= BATCH:
                    flush()
        flush()
    finally:
        _STATE = None


# -- validation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ValidationOutcome:
    findings: list[Finding]
    unsupported: int
    pyshacl_graphs: int
    conforms: bool


def validate_one(
    store: Store, graph: URIRef, *, reference: ReferenceData, shapes: Shapes
) -> GraphReport:
    """pyshacl on one graph of the store with the reference data it uses (``kg validate``)."""
    if graph == GRAPH_REFERENCE:
        return validate_graph(store.graph(graph), graph=graph, shapes=shapes)
    return validate_graph(store.graph(graph), graph=graph, reference=reference, shapes=shapes)


def validate_store(store: Store, *, reference: ReferenceData, shapes: Shapes) -> ValidationOutcome:
    """The compiled checks over every graph at once; pyshacl (the detailed report) for the
    graphs they flag and, for every graph, when the compiler left a shape out."""
    defaults = [str(GRAPH_REFERENCE), str(GRAPH_ONTOLOGY)]
    compiled = compile_shapes(shapes.graph, context=read_default_graph(store.oxigraph, defaults))
    findings = check_store(
        store.oxigraph,
        compiled,
        default_graph=defaults,
        graphs=[str(g) for g in store.graph_names() if g != GRAPH_ONTOLOGY],
        threads=2,
    )
    violations = [f for f in findings if f.severity.endswith("#Violation")]
    affected = sorted({URIRef(f.graph) for f in violations})
    if compiled.unsupported:
        affected = [g for g in store.graph_names() if g != GRAPH_ONTOLOGY]
    conforms = True
    for graph in affected:
        report = validate_one(store, graph, reference=reference, shapes=shapes)
        conforms = conforms and report.conforms
    return ValidationOutcome(findings, len(compiled.unsupported), len(affected), conforms)


# -- the run --------------------------------------------------------------------------------
@dataclass
class OursResult:
    seconds: dict[str, float]
    query_seconds: dict[str, float]
    #: templates stopped at the time limit (their time is the limit: a lower bound)
    timed_out: list[str]
    triples: int
    findings: int
    pyshacl_graphs: int
    unsupported: int


def query_child(path: Path, name: str, bindings: dict[str, str]) -> None:
    """In the child process: open the store read-only, say ``ready``, run the template, print
    its seconds (``bindings``: variable → N-Triples term)."""
    store = Store.open(path, read_only=True)
    template = load_catalogue()[name]
    terms = {k: from_ox(_parse_term(v)) for k, v in bindings.items()}
    source = StoreSource(store)
    print("ready", flush=True)
    start = time.perf_counter()
    run_template(template, terms, source=source)
    print(time.perf_counter() - start, flush=True)


def _parse_term(text: str) -> object:
    quad = next(iter(ox.parse(input=f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def query_seconds(path: Path, case: QueryCase, *, timeout: float) -> float | None:
    """Seconds the store at ``path`` takes to answer ``case``, in a process of its own (opening
    the store read-only) so that a query running past ``timeout`` can be stopped (None then)."""
    bindings = json.dumps({k: str(to_ox(v)) for k, v in case.bindings.items()})
    command = [
        *(sys.executable, "-m", "kg.bench.harness", "query"),
        *("--store", str(path), "--template", case.name, "--bindings", bindings),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    if child.stdout.readline().strip() != "ready":
        child.wait()
        raise RuntimeError(f"the query process for {case.name} failed")
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return None
    answer = child.stdout.read().strip()
    if child.returncode != 0 or not answer:
        raise RuntimeError(f"the query {case.name} failed")
    return float(answer)


def run_ours(
    workload: Workload, folder: Path, *, workers: int = 2, query_timeout: float = 10.0
) -> OursResult:
    """Every operation of the benchmark, aikg's way, in a store under ``folder``."""
    _ = workload.records, workload.known, workload.extra, workload.query_cases  # untimed set-up
    seconds: dict[str, float] = {}
    folder.mkdir(parents=True, exist_ok=True)
    store = Store.open(folder / "store")

    shapes = Shapes.load()  # parsed once per process, as kg validate does
    reference = ReferenceData(workload.reference)

    start = time.perf_counter()
    load_all(workload, store, workers=workers)
    store.optimize()  # as kg build does after its bulk load
    outcome = validate_store(store, reference=reference, shapes=shapes)
    seconds["build_validate"] = time.perf_counter() - start
    triples = len(store.oxigraph)

    # incremental: one more article, its graph replaced and validated alone
    start = time.perf_counter()
    extra = workload.extra
    store.replace_graph(URIRef(extra.iri), _mapped(extra, workload))
    validate_one(store, URIRef(extra.iri), reference=reference, shapes=shapes)
    seconds["incremental"] = time.perf_counter() - start

    for name, fmt in (("export_turtle", RdfFormat.TURTLE), ("export_nquads", RdfFormat.NQUADS)):
        path = folder / f"export.{fmt.value}"
        start = time.perf_counter()
        with path.open("wb") as output:
            write_export(store, output, fmt=fmt)
        seconds[name] = time.perf_counter() - start
        os.unlink(path)
    store.close()

    # each template once, in a process of its own (as the baseline's: a time limit each)
    timings: dict[str, float] = {}
    timed_out: list[str] = []
    for case in workload.query_cases:
        took = query_seconds(folder / "store", case, timeout=query_timeout)
        if took is None:
            timed_out.append(case.name)
            took = query_timeout
        timings[case.name] = took
    return OursResult(
        seconds=seconds,
        query_seconds=timings,
        timed_out=timed_out,
        triples=triples,
        findings=len(outcome.findings),
        pyshacl_graphs=outcome.pyshacl_graphs,
        unsupported=outcome.unsupported,
    )
