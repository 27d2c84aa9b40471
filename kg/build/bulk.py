"""Record files mapped in parallel to N-Quads: the mapping half of ``kg build``.

Each worker process reads, checks and maps a run of record files
(:func:`kg.records.reader.load_record`, :func:`kg.records.mapper.map_record`) and sends back
the article graphs as N-Quads text, ready for Oxigraph's bulk loader, with what the build
summary counts. Nothing holds the union of the graphs in rdflib.

A record may name an individual that another record declares, so the set of known individuals is
only complete once every record is read. The workers therefore check references against what is
known before (the reference data, the ontology's individuals) and report the others; afterwards
the parent checks those against everything the records declare, and maps a record whose
reference is still unknown again, alone, to raise the mapper's own error (file and line).
Problems are collected over all records and raised together: the first file's in full, the
others by name.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE
from kg.core.namespaces import AIKG
from kg.core.terms import nquads
from kg.records.mapper import Schema, map_record
from kg.records.reader import declared_individuals, load_record

__all__ = ["MappedRecord", "MappedRecords", "map_files", "worker_count"]

_FIRM = BASE + "firm/"
_DEAL = AIKG.Deal
#: below this many records the mapping runs in this process (starting workers costs more)
_PARALLEL_FROM = 48


def worker_count() -> int:
    """The processes to map with: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Collector(RdflibStore):
    """An rdflib store that only keeps the triples added, in order (no indexes)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node], context: object, quoted: bool = False) -> None:
        self.items.append(triple)


class _Recording(Container[URIRef]):
    """Every IRI counts as known; those outside ``known`` are remembered, to be checked once
    every record has said what it declares."""

    def __init__(self, known: Container[URIRef]) -> None:
        self.known = known
        self.unknown: set[str] = set()

    def __contains__(self, item: object) -> bool:
        if item not in self.known:
            self.unknown.add(str(item))
        return True


@dataclass(frozen=True)
class MappedRecord:
    """One record file, mapped: its article graph as N-Quads and what the summary counts; or
    the problem that stopped it (``error``: message, file, line)."""

    file: Path
    article_id: str = ""
    id_line: int | None = None
    nquads: bytes = b""
    facts: int = 0
    deals: frozenset[str] = frozenset()
    firms: frozenset[str] = frozenset()
    declared: frozenset[str] = frozenset()
    unknown: frozenset[str] = frozenset()
    error: tuple[str, str | None, int | None] | None = None


@dataclass
class MappedRecords:
    """Every record's outcome, in file order."""

    records: list[MappedRecord] = field(default_factory=list)

    @property
    def facts(self) -> int:
        return sum(r.facts for r in self.records)

    @property
    def deals(self) -> int:
        return len(set().union(*(r.deals for r in self.records)))

    @property
    def firms(self) -> int:
        return len(set().union(*(r.firms for r in self.records)))


@dataclass(frozen=True)
class _Job:
    schema: Schema
    known: Container[URIRef]
    corpus_dir: Path | None


_JOB: _Job | None = None  # set in the parent before the workers fork


def _map_file(path: Path, job: _Job) -> MappedRecord:
    try:
        record = load_record(path, corpus_dir=job.corpus_dir)
        recording = _Recording(job.known)
        collector = _Collector()
        graph = Graph(store=collector, identifier=URIRef(record.iri))
        map_record(record, schema=job.schema, known=recording, graph=graph)
    except InputError as exc:
        file = str(exc.file) if exc.file is not None else None
        return MappedRecord(path, error=(exc.message, file, exc.line))
    triples = collector.items
    deals = {
        str(s)
        for s, p, o in triples
        if p == RDF.type and isinstance(o, URIRef) and job.schema.is_a(o, _DEAL)
    }
    firms = {
        str(node)
        for s, _, o in triples
        for node in (s, o)
        if isinstance(node, URIRef) and node.startswith(_FIRM)
    }
    return MappedRecord(
        file=path,
        article_id=record.header.id,
        id_line=record.header.key_lines.get("id"),
        nquads=nquads(triples, record.iri).encode("utf-8"),
        facts=len(record.facts),
        deals=frozenset(deals),
        firms=frozenset(firms),
        declared=frozenset(declared_individuals([record])),
        unknown=frozenset(recording.unknown),
    )


def _map_chunk(paths: Sequence[Path]) -> list[MappedRecord]:
    job = _JOB
    if job is None:  # pragma: no cover - set before the workers fork
        raise RuntimeError("no mapping job in this worker")
    return [_map_file(p, job) for p in paths]


def _chunks(files: Sequence[Path], workers: int) -> list[Sequence[Path]]:
    size = max(16, len(files) // (workers * 8) + 1)
    return [files[i : i + size] for i in range(0, len(files), size)]


def map_files(
    files: Sequence[Path],
    *,
    schema: Schema,
    known: Container[URIRef],
    corpus_dir: Path | None = None,
    workers: int | None = None,
    sink: Callable[[MappedRecord], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> MappedRecords:
    """Read, check and map every record file, ``workers`` processes at a time (default: one per
    core). ``known``: the individuals a reference may name besides those the records declare.
    ``sink`` receives each mapped record as it comes (in file order), to be loaded while the
    others are mapped; the records returned then hold no N-Quads (every article graph's would
    otherwise be kept to the end of the build). Raises :class:`InputError` for every problem of
    every record at once."""
    global _JOB
    workers = worker_count() if workers is None else max(1, workers)
    job = _Job(schema=schema, known=known, corpus_dir=corpus_dir)
    out = MappedRecords()
    done = 0

    def take(found: list[MappedRecord]) -> None:
        nonlocal done
        for mapped in found:
            if sink is not None and mapped.error is None:
                sink(mapped)
                mapped = dataclasses.replace(mapped, nquads=b"")  # loaded: not kept twice
            out.records.append(mapped)
        done += len(found)
        if progress is not None:
            progress(f"mapping {done}/{len(files)} records")

    _JOB = job
    try:
        if workers == 1 or len(files) < _PARALLEL_FROM:
            for chunk in _chunks(files, 1):
                take(_map_chunk(chunk))
        else:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for found in pool.imap(_map_chunk, _chunks(files, workers)):
                    take(found)
    finally:
        _JOB = None
    _raise_problems(out, job)
    return out


def _raise_problems(mapped: MappedRecords, job: _Job) -> None:
    """Duplicate article ids, references that no record declares, and the workers' errors,
    raised as one :class:`InputError` (the first in full, the others by file name)."""
    failures: list[InputError] = []
    seen: dict[str, Path] = {}
    declared = set().union(*(r.declared for r in mapped.records))
    for record in mapped.records:
        if record.error is not None:
            message, file, line = record.error
            failures.append(InputError(message, file=file, line=line))
            continue
        other = seen.setdefault(record.article_id, record.file)
        if other != record.file:
            failures.append(
                InputError(
                    f"article id {record.article_id!r} is also the id in {other}",
                    file=record.file,
                    line=record.id_line,
                )
            )
        elif not record.unknown <= declared:
            failures.append(_remap(record.file, job, declared))
    if failures:
        first = failures[0]
        others = ", ".join(str(f.file) for f in failures[1:])
        message = first.message + (f"; other records with problems: {others}" if others else "")
        raise InputError(message, file=first.file, line=first.line)


class _Union(Container[URIRef]):
    def __init__(self, first: Container[URIRef], second: set[str]) -> None:
        self.first, self.second = first, second

    def __contains__(self, item: object) -> bool:
        return item in self.first or str(item) in self.second


def _remap(path: Path, job: _Job, declared: set[str]) -> InputError:
    """The mapper's own error for a record that names an individual nobody declares."""
    record = load_record(path, corpus_dir=job.corpus_dir)
    try:
        map_record(record, schema=job.schema, known=_Union(job.known, declared))
    except InputError as exc:
        return exc
    return InputError("names an individual that is not known", file=path)  # pragma: no cover
