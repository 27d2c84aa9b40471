"""Building the dataset: fact records → a new store beside the old one → swap.

The new store is written in a temporary folder next to the target and only then renamed into
place (:func:`kg.store.swap_store_dir`), so a failed build, or a non-conforming one, leaves the
previous store as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg.errors import InputError, NonConformingError
from kg.iris import BASE, GRAPH_ONTOLOGY, GRAPH_REFERENCE, ONTOLOGY
from kg.mapper import Schema, map_record
from kg.ontology import load_ontology, load_reference
from kg.records import Record, declared_individuals, load_records, record_files
from kg.store import Store, swap_store_dir, to_ox_quad

__all__ = ["BuildSummary", "Progress", "Validator", "build_dataset", "map_records"]

#: called with the freshly built store before it replaces the old one; raises
#: :class:`kg.errors.NonConformingError` when the data does not conform
Validator = Callable[[Store], None]
#: told what the build is doing, one short line at a time
Progress = Callable[[str], None]

_FIRM = BASE + "firm/"
_DEAL = URIRef(ONTOLOGY + "Deal")


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
        lines += [f"  {g:<{width}}  {n:>8}" for g, n in self.triples.items()]
        lines.append(
            f"{self.articles} articles, {self.facts} facts, {self.deals} deals, "
            f"{self.firms} firms mentioned"
        )
        return lines


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


def _deals(graphs: Iterable[Graph], schema: Schema) -> set[Node]:
    return {
        s
        for g in graphs
        for s, cls in g.subject_objects(RDF.type)
        if isinstance(cls, URIRef) and schema.is_a(cls, _DEAL)
    }


def _firms(graphs: Iterable[Graph]) -> set[Node]:
    return {
        node
        for g in graphs
        for s, _, o in g
        for node in (s, o)
        if isinstance(node, URIRef) and node.startswith(_FIRM)
    }


def build_dataset(
    *,
    records_dir: Path,
    store_dir: Path,
    corpus_dir: Path | None = None,
    ontology: Graph | None = None,
    reference: Graph | None = None,
    validate: Validator | None = None,
    allow_invalid: bool = False,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the dataset from the records in ``records_dir`` into the store at ``store_dir``.

    With ``corpus_dir``, each record's article text is checked (SHA-256, length) and quotes are
    attached to the evidence. ``validate`` runs on the new store before it replaces the old one;
    a non-conforming dataset is refused (:class:`NonConformingError`) unless ``allow_invalid``.
    """
    records = load_records(record_files(Path(records_dir)), corpus_dir=corpus_dir)
    ontology = ontology if ontology is not None else load_ontology()
    reference = reference if reference is not None else load_reference()
    schema = Schema.from_graph(ontology)
    graphs = map_records(records, schema=schema, reference=reference, progress=progress)

    target = Path(store_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    except OSError as exc:
        raise InputError(f"cannot create the store: {exc.strerror or exc}", file=target) from exc
    try:
        with Store.open(folder) as store:
            if progress is not None:
                progress("writing the store")
            # one bulk load: the folder is new and private until the swap
            quads: list[ox.Quad] = [
                *_canonical(ontology, GRAPH_ONTOLOGY),
                *_canonical(reference, GRAPH_REFERENCE),
            ]
            for graph in graphs:
                name = URIRef(str(graph.identifier))
                quads += (to_ox_quad(s, p, o, name) for s, p, o in graph)
            store.add_quads(quads, bulk=True)
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
            triples = {str(g): store.count(g) for g in store.graph_names()}
        swap_store_dir(folder, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return BuildSummary(
        store=target,
        triples=triples,
        articles=len(records),
        facts=sum(len(r.facts) for r in records),
        deals=len(_deals(graphs, schema)),
        firms=len(_firms(graphs)),
        conforms=conforms,
    )
