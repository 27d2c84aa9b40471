"""The embedded store: a persistent pyoxigraph (RocksDB) store on disk, behind one small API.

Graph data goes in and out as rdflib graphs (what pyshacl, owlready2's loader and our users speak);
queries run in Oxigraph's own SPARQL engine, with parameters bound through SEP-0007 substitutions,
never pasted into the query text.

>>> from rdflib import Graph, URIRef, Literal
>>> store = Store.in_memory()
>>> g = Graph()
>>> nvidia = URIRef("https://w3id.org/aikg/id/firm/nvidia")
>>> label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
>>> _ = g.add((nvidia, label, Literal("NVIDIA", lang="en")))
>>> store.replace_graph(URIRef("https://example.org/g"), g)
1
>>> store.select("SELECT ?l WHERE { GRAPH ?g { ?s ?p ?l } }").rows
[{'l': rdflib.term.Literal('NVIDIA', lang='en')}]
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.store import generations
from kg.store.formats import RdfFormat

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    from kg.core.terms import from_ox, term_converter, to_ox, to_ox_quad

__all__ = [
    "SelectResult",
    "Store",
    "from_ox",
    "select_result",
    "term_converter",
    "to_ox",
    "to_ox_quad",
]

# the term bridge lives in kg.core.terms; the store's API re-exports it for its callers. rdflib
# and the bridge are imported when first used, not with this module: a command that only moves
# quads (kg export, kg push's counts) starts without rdflib's import (about 0.2 s, the whole of
# an N-Quads export of a small store)
_BRIDGE = ("from_ox", "term_converter", "to_ox", "to_ox_quad")


def __getattr__(name: str) -> Any:
    if name in _BRIDGE:
        from kg.core import terms

        return getattr(terms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class SelectResult:
    """The answer to a SELECT query: variables in order and one dict per row (unbound = absent)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)


def select_result(solutions: ox.QuerySolutions, limit: int | None = None) -> SelectResult:
    """pyoxigraph's solutions as a :class:`SelectResult` of rdflib terms, the first ``limit``
    (default: all). Each solution is read by position, in the order of the variables: by name
    each value took 2.7 µs, a tenth of a second for the 4,011 rows of funding-round at 10,000
    articles."""
    from kg.core.terms import term_converter

    variables = [v.value for v in solutions.variables]
    convert = term_converter()
    rows: list[dict[str, Node]] = [
        {
            name: convert(term)
            for name, term in zip(variables, solution, strict=True)
            if term is not None
        }
        for solution in islice(solutions, limit)
    ]
    return SelectResult(variables, rows)


class Store:
    """A dataset of named graphs, persistent when opened on a folder.

    Opened on a folder, a store is one generation of it (:mod:`kg.store.generations`): a reader
    reads the generation that was current when it opened, to the end; a writer writes a new
    generation, published when it closes (and dropped if the ``with`` block raises).
    """

    def __init__(
        self,
        inner: ox.Store,
        *,
        path: Path | None = None,
        folder: Path | None = None,
        hold: generations.ReaderHold | None = None,
        writer: contextlib.ExitStack | None = None,
    ) -> None:
        self._inner = inner
        #: the store's path as the user names it
        self.path = path
        #: the folder this store reads (a generation) or writes (a new one)
        self.folder = folder if folder is not None else path
        self._hold = hold
        self._writer = writer
        #: the most rows (or triples) :meth:`select` and :meth:`construct` read of an answer
        #: (None: all); see :meth:`capped`
        self.row_cap: int | None = None

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        wait: float | None = None,
        fresh: bool = False,
    ) -> Store:
        """Open the store at ``path``.

        ``read_only``: read its current generation (an error if there is no store). Otherwise a
        writer: the store's writer lock is taken (:class:`kg.store.generations.StoreBusy` if
        another process holds it, unless ``wait`` seconds are given; ``math.inf`` waits as
        long as it takes), and the changes go to a new generation, a copy of the current one
        (or an empty one if there is none, or with ``fresh``), published by :meth:`close`.
        """
        path = Path(path)
        if read_only:
            return cls._reader(path)
        return cls._writer_on(path, wait=wait, fresh=fresh)

    @classmethod
    def _reader(cls, path: Path) -> Store:
        generations.try_recover(path)
        try:
            hold = generations.hold_current(path)
        except OSError as exc:
            raise InputError(f"cannot open the store: {exc.strerror or exc}", file=path) from exc
        if hold is None:
            raise InputError("no store here: run 'kg build' first", file=path)
        try:
            inner = ox.Store.read_only(str(hold.folder))
            return cls(inner, path=path, folder=hold.folder, hold=hold)
        except OSError as exc:
            hold.release()
            raise InputError(f"cannot open the store: {exc}", file=path) from exc

    @classmethod
    def _writer_on(cls, path: Path, *, wait: float | None, fresh: bool) -> Store:
        stack = contextlib.ExitStack()
        folder: Path | None = None
        try:
            stack.enter_context(generations.writer_lock(path, wait=wait))
            generations.recover(path)
            folder = generations.new_folder(path)
            current = None if fresh else generations.current_generation(path)
            if current is not None:
                source = ox.Store.read_only(str(current))
                source.backup(str(folder))  # a RocksDB checkpoint: hard links, not copies
                del source
            return cls(ox.Store(str(folder)), path=path, folder=folder, writer=stack)
        except OSError as exc:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            stack.close()
            raise InputError(f"cannot open the store: {exc.strerror or exc}", file=path) from exc
        except BaseException:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            stack.close()
            raise

    @classmethod
    def in_memory(cls) -> Store:
        return cls(ox.Store())

    @contextlib.contextmanager
    def capped(self, rows: int | None) -> Iterator[Store]:
        """Within the block, :meth:`select` and :meth:`construct` read at most ``rows`` rows
        (or triples) of an answer: ``kg serve`` bounds what one template can hold in memory."""
        before, self.row_cap = self.row_cap, rows
        try:
            yield self
        finally:
            self.row_cap = before

    @property
    def writes(self) -> bool:
        """Whether this is a writer (its changes are published when it closes)."""
        return self._writer is not None

    def close(self) -> None:
        """Close the store; a writer's new generation becomes the current one."""
        if not hasattr(self, "_inner"):
            return
        if self.path is not None:
            with contextlib.suppress(OSError, RuntimeError):  # read-only stores cannot flush
                self._inner.flush()
        del self._inner
        if self._hold is not None:
            self._hold.release()
        writer, self._writer = self._writer, None
        if writer is None or self.path is None or self.folder is None:
            return
        with writer:  # the lock is released when the generation is in place (or dropped)
            try:
                self.folder = generations.publish(self.path, self.folder)
            except OSError as exc:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise InputError(
                    f"cannot put the new store in place: {exc.strerror or exc}", file=self.path
                ) from exc

    def discard(self) -> None:
        """Close a writer without publishing: the store stays as it was."""
        if hasattr(self, "_inner"):
            del self._inner
        if self._writer is not None:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
            self._writer.close()
            self._writer = None
        if self._hold is not None:
            self._hold.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and self._writer is not None:
            self.discard()
        else:
            self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store underneath: for tests and tools. The package's own modules use
        the methods below (``tests/test_architecture.py`` checks it)."""
        return self._inner

    # -- the engine's own terms, unconverted -----------------------------------------------------
    def query(self, sparql: str, **options: Any) -> Any:
        """pyoxigraph's answer to ``sparql`` as it comes (solutions, boolean or triples), with
        pyoxigraph's options (``default_graph``, ``custom_functions``, ``substitutions`` ...):
        for answers written out as they are, and for the compiled SHACL checks. A syntax
        error is an :class:`InputError`."""
        try:
            return self._inner.query(sparql, **options)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (one transaction)."""
        self._inner.update(sparql)

    def match(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None: any), as pyoxigraph quads."""
        return iter(self._inner.quads_for_pattern(subject, predicate, obj, graph))

    def dump(
        self,
        output: Any = None,
        *,
        fmt: ox.RdfFormat,
        graph: ox.NamedNode | ox.DefaultGraph | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None:
        """pyoxigraph's serialisation of the store (or of one graph) to ``output`` (or bytes)."""
        if graph is not None:
            return self._inner.dump(output, format=fmt, from_graph=graph, prefixes=prefixes)
        return self._inner.dump(output, format=fmt, prefixes=prefixes)

    # -- graphs --------------------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        """The named graphs, sorted."""
        from rdflib import URIRef

        return sorted(
            URIRef(g.value) for g in self._inner.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def has_graph(self, name: URIRef) -> bool:
        return bool(self._inner.contains_named_graph(ox.NamedNode(str(name))))

    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph as an rdflib ``Graph`` (identifier ``name``)."""
        from rdflib import Graph

        from kg.core.terms import term_converter

        graph = Graph(identifier=name)
        convert = term_converter()
        for quad in self._inner.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return graph

    def union(self, names: Iterable[URIRef]) -> Graph:
        """Several named graphs merged into one rdflib ``Graph``."""
        from rdflib import Graph

        from kg.core.terms import term_converter

        graph = Graph()
        convert = term_converter()
        for name in names:
            for quad in self._inner.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
                graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return graph

    def replace_graph(
        self, name: URIRef, triples: Graph | Iterable[tuple[Node, Node, Node]]
    ) -> int:
        """Replace named graph ``name`` by ``triples`` in one transaction; returns the count.

        Readers see the old graph or the new one, never a half-written one.
        """
        from kg.core.terms import to_ox_quad

        quads = [to_ox_quad(s, p, o, name) for s, p, o in triples]
        self.change(drop=name, insert=quads)
        return len(quads)

    def change(
        self,
        *,
        drop: URIRef | None = None,
        delete: Sequence[ox.Quad] = (),
        insert: Sequence[ox.Quad] = (),
    ) -> None:
        """In one transaction: graph ``drop`` emptied, the quads of ``delete`` removed and those
        of ``insert`` added (readers see the store before or after, never between)."""
        parts = [f"DROP SILENT GRAPH {ox.NamedNode(str(drop))}"] if drop is not None else []
        if delete:
            parts.append(f"DELETE DATA {{ {_graph_blocks(delete)} }}")
        if insert:
            parts.append(f"INSERT DATA {{ {_graph_blocks(insert)} }}")
        if parts:
            self._inner.update(" ; ".join(parts))

    def add_quads(self, quads: Iterable[ox.Quad], *, bulk: bool = False) -> None:
        """Add quads (``bulk`` for very many: not transactional, not kept in memory)."""
        if bulk:
            self._inner.bulk_extend(quads)
        else:
            self._inner.extend(quads)

    def bulk_load(self, data: bytes, *, fmt: RdfFormat) -> None:
        """Load serialised RDF (N-Quads, usually) with Oxigraph's bulk loader: fast, not
        transactional (for a store nobody else sees yet, or data that may be half-loaded)."""
        self._inner.bulk_load(input=data, format=fmt.oxigraph)

    def optimize(self) -> None:
        """Compact the indexes (after a bulk load): a bulk load leaves many overlapping files,
        each of which a read must probe; compacted, a full read of a 1.45 M-quad store takes
        7.4 s instead of 10.6 s, and every query reads less. No-op for an in-memory store."""
        if self.path is not None:
            self._inner.optimize()

    def remove_graph(self, name: URIRef) -> None:
        node = ox.NamedNode(str(name))
        if self._inner.contains_named_graph(node):
            self._inner.remove_graph(node)

    def count(self, name: URIRef | None = None) -> int:
        """Triples in graph ``name``, or quads in the whole store (counted by Oxigraph, not by
        making a Python object of each quad)."""
        if name is None:
            return len(self._inner)
        return self.graph_sizes([name]).get(str(name), 0)

    def graph_sizes(self, names: Iterable[URIRef] | None = None) -> dict[str, int]:
        """Triples in each named graph (or in those of ``names``), by graph IRI: one grouped
        count in Oxigraph (10,000 graphs, 1.5 M quads: under 2 s, against 9 s quad by quad)."""
        chosen = "" if names is None else " ".join(str(ox.NamedNode(str(n))) for n in names)
        values = f"VALUES ?g {{ {chosen} }}" if names is not None else ""
        found = self._inner.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        )
        assert isinstance(found, ox.QuerySolutions)
        return {row["g"].value: int(row["n"].value) for row in found}

    def quads(self, name: URIRef | None = None) -> Iterator[ox.Quad]:
        graph = ox.NamedNode(str(name)) if name is not None else None
        return iter(self._inner.quads_for_pattern(None, None, None, graph))

    # -- queries -------------------------------------------------------------------------------
    def _run(self, sparql: str, bindings: Mapping[str, Node] | None, union_default: bool) -> object:
        from kg.core.terms import to_ox

        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()
        }
        try:
            return self._inner.query(
                sparql, substitutions=subs or None, use_default_graph_as_union=union_default
            )
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from exc

    def select(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        union_default: bool = False,
    ) -> SelectResult:
        """Run a SELECT query; ``bindings`` pre-bind variables (values are never pasted in)."""
        result = self._run(sparql, bindings, union_default)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("expected a SELECT query")
        return select_result(result, self.row_cap)

    def ask(self, sparql: str, *, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self._run(sparql, bindings, False)
        if not isinstance(result, ox.QueryBoolean):
            raise InputError("expected an ASK query")
        return bool(result)

    def construct(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        union_default: bool = False,
    ) -> Graph:
        result = self._run(sparql, bindings, union_default)
        if not isinstance(result, ox.QueryTriples):
            raise InputError("expected a CONSTRUCT or DESCRIBE query")
        from rdflib import Graph

        from kg.core.terms import term_converter

        graph = Graph()
        convert = term_converter()
        for t in islice(result, self.row_cap):
            graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
        return graph


def _graph_blocks(quads: Iterable[ox.Quad]) -> str:
    """``GRAPH <g> { s p o . ... }`` blocks of an update, in pyoxigraph's own term syntax."""
    graphs: dict[str, list[str]] = {}
    for q in quads:
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{ {' '.join(body)} }}" for g, body in graphs.items())
