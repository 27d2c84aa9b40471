"""Building the dataset: fact records → a new store beside the old one → swap.

The records are mapped in parallel (:mod:`kg.build.bulk`) and bulk-loaded with the ontology and the
reference graph (the project's, plus the user's ``--reference`` files); the validation that
runs before the swap is ``kg validate``'s (:func:`kg.validate.run.check_store`).

The new store is written as a new generation beside the current one and published only when it
is complete and valid (:mod:`kg.store.generations`), under the store's writer lock: a failed
build, a non-conforming one or a killed one leaves the previous store as it was, and readers
read the old store until the new one is in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.build.bulk import MappedRecord, map_files
from kg.build.derived import derive_all
from kg.core.errors import InputError, NonConformingError
from kg.core.iris import GRAPH_ONTOLOGY, GRAPH_REFERENCE, PREFIXES
from kg.core.ontology import load_ontology, load_reference
from kg.records.mapper import Schema, map_record
from kg.records.reader import Record, declared_individuals, record_files
from kg.store.embedded import Store, term_converter, to_ox_quad
from kg.store.formats import RdfFormat, read_quads

__all__ = [
    "BuildSummary",
    "Progress",
    "Validator",
    "build_dataset",
    "map_records",
    "read_reference_files",
]

#: called with the freshly built store before it replaces the old one; raises
#: :class:`kg.core.errors.NonConformingError` when the data does not conform
Validator = Callable[[Store], None]
#: told what the build is doing, one short line at a time
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildSummary:
    """What a build made."""

    store: Path
    triples: dict[str, int]  # graph IRI → triples, in IRI order
    articles: int
    facts: int
    deals: int
    firms: int
    #: None when no validation ran
    conforms: bool | None

    def lines(self) -> list[str]:
        total = sum(self.triples.values())
        width = max((len(g) for g in self.triples), default=0)
        lines = [f"built {self.store}: {len(self.triples)} graphs, {total} triples"]
        shown = list(self.triples.items())
        if len(shown) > _LISTED_GRAPHS:  # a big build: the shared graphs, then a count
            articles = PREFIXES["article"]
            sizes = sorted(n for g, n in shown if g.startswith(articles))
            shown = [(g, n) for g, n in shown if not g.startswith(articles)]
            median = sizes[len(sizes) // 2] if sizes else 0
            lines.append(
                f"  {len(sizes)} article graphs, {sum(sizes)} triples "
                f"(median {median}, largest {sizes[-1] if sizes else 0})"
            )
        lines += [f"  {g:<{width}}  {n:>8}" for g, n in shown]
        lines.append(
            f"{self.articles} articles, {self.facts} facts, {self.deals} deals, "
            f"{self.firms} firms mentioned"
        )
        return lines


#: a build of more graphs than this lists the shared graphs and counts the article graphs
_LISTED_GRAPHS = 12


def _canonical(graph: Graph, name: URIRef) -> ox.Dataset:
    """``graph`` as quads in graph ``name``, blank nodes relabelled from the graph's structure,
    so the labels (and the exports) are the same on every build."""
    dataset = ox.Dataset(to_ox_quad(s, p, o, name) for s, p, o in graph)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def map_records(
    records: list[Record],
    *,
    schema: Schema,
    reference: Graph,
    progress: Progress | None = None,
) -> list[Graph]:
    """Every record's article graph. Problems are collected over all records and raised
    together: the first file's in full, the others by name."""
    known: set[URIRef] = {s for s in reference.subjects() if isinstance(s, URIRef)}
    known |= schema.vocabulary.individuals
    known |= {URIRef(iri) for iri in declared_individuals(records)}
    graphs: list[Graph] = []
    failures: list[InputError] = []
    for i, record in enumerate(records, start=1):
        if progress is not None:
            progress(f"mapping {i}/{len(records)} {record.path.name}")
        try:
            graphs.append(map_record(record, schema=schema, known=known))
        except InputError as exc:
            failures.append(exc)
    if failures:
        first = failures[0]
        others = ", ".join(str(f.file) for f in failures[1:])
        message = first.message + (f"; other records with problems: {others}" if others else "")
        raise InputError(message, file=first.file, line=first.line)
    return graphs


def read_reference_files(paths: Sequence[Path]) -> Graph:
    """The user's own reference data (``kg build --reference``): every statement of the files
    (any RDF format, told by the extension), as one graph. A file that cannot be read or parsed
    is an :class:`InputError` naming it (and the line, where the parser gives one)."""
    graph = Graph()
    convert = term_converter()
    for path in paths:
        for quad in read_quads(Path(path), default_graph=ox.NamedNode(str(GRAPH_REFERENCE))):
            graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph


#: bytes of N-Quads handed to Oxigraph's bulk loader at a time (each load has a fixed cost)
_BATCH = 32 * 1024 * 1024


def build_dataset(
    *,
    records_dir: Path,
    store_dir: Path,
    corpus_dir: Path | None = None,
    ontology: Graph | None = None,
    reference: Graph | None = None,
    reference_files: Sequence[Path] = (),
    validate: Validator | None = None,
    allow_invalid: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    wait: float | None = None,
) -> BuildSummary:
    """Build the dataset from the records in ``records_dir`` into the store at ``store_dir``.

    The records are read, checked and mapped in ``workers`` processes (default: one per core,
    :mod:`kg.build.bulk`) and bulk-loaded with the ontology and the reference graph; the reference
    graph is the project's reference data plus the statements of ``reference_files``. With
    ``corpus_dir``, each record's article text is checked (SHA-256, length) and quotes are
    attached to the evidence. ``validate`` runs on the new store before it replaces the old one;
    a non-conforming dataset is refused (:class:`NonConformingError`) unless ``allow_invalid``.
    ``wait``: seconds to wait for another writer of the store (default: refuse at once,
    :class:`kg.store.generations.StoreBusy`).
    """
    files = record_files(Path(records_dir))
    ontology = ontology if ontology is not None else load_ontology()
    reference = reference if reference is not None else load_reference()
    if reference_files:
        merged = Graph()
        merged += reference
        merged += read_reference_files(reference_files)
        reference = merged
    schema = Schema.from_graph(ontology)
    known: frozenset[URIRef] = frozenset(
        {s for s in reference.subjects() if isinstance(s, URIRef)} | schema.vocabulary.individuals
    )

    target = Path(store_dir)
    # a new, empty generation: bulk loads are safe, nobody sees it before it is published
    with Store.open(target, fresh=True, wait=wait) as store:
        store.add_quads(
            [*_canonical(ontology, GRAPH_ONTOLOGY), *_canonical(reference, GRAPH_REFERENCE)],
            bulk=True,
        )
        pending: list[bytes] = []
        size = 0

        def flush() -> None:
            nonlocal size
            if pending:
                store.bulk_load(b"".join(pending), fmt=RdfFormat.NQUADS)
                pending.clear()
                size = 0

        def add(mapped: MappedRecord) -> None:
            nonlocal size
            pending.append(mapped.nquads)
            size += len(mapped.nquads)
            if size >= _BATCH:
                flush()

        mapped = map_files(
            files,
            schema=schema,
            known=known,
            corpus_dir=corpus_dir,
            workers=workers,
            sink=add,
            progress=progress,
        )
        flush()
        if progress is not None:
            progress("deriving the conflicting reports and the money flows")
        derive_all(store)
        if progress is not None:
            progress("compacting the store")
        store.optimize()
        conforms: bool | None = None
        if validate is not None:
            if progress is not None:
                progress("validating")
            try:
                validate(store)
                conforms = True
            except NonConformingError:
                if not allow_invalid:
                    raise
                conforms = False
        triples = dict(sorted(store.graph_sizes().items()))
    return BuildSummary(
        store=target,
        triples=triples,
        articles=len(mapped.records),
        facts=mapped.facts,
        deals=mapped.deals,
        firms=mapped.firms,
        conforms=conforms,
    )
