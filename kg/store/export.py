"""Writing the dataset in one RDF format, byte for byte the same across rebuilds.

N-Quads and TriG are written graph by graph in the store's own order: Oxigraph keeps its quads
in sorted indexes keyed by the terms' encodings (inline bytes for short values, a fixed hash for
long ones), so the same data is read back in the same order whatever order it was loaded in,
and the write is one pass over an index, in Rust. N-Triples and Turtle are the union of the
named graphs, each triple once: every graph is dumped as N-Triples, by two threads at once
(pyoxigraph releases the GIL while it reads), and the distinct lines, sorted, are the N-Triples
export; Turtle is the same triples in the same order through Oxigraph's Turtle writer with the
project's prefixes, so each subject's statements stand together. (A union ``CONSTRUCT`` reads on
one core and de-duplicates only within a bounded window: a 1.45 M-quad store gave 4,345
repeated triples.) JSON-LD is written here, sorted, with the published context
(``ontology/context.jsonld``) inlined.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.core.atomic import write_atomically
from kg.core.errors import InputError
from kg.core.paths import ontology_dir
from kg.store.embedded import Store
from kg.store.formats import RdfFormat

__all__ = ["export_bytes", "export_to_file", "jsonld_context", "write_export"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _prefixes() -> dict[str, str]:
    """The project's prefixes (imported here, not with the module: kg.core.iris imports rdflib,
    which an N-Quads export does not need)."""
    from kg.core.iris import PREFIXES

    return PREFIXES


@cache
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context: the project's prefixes and a few common terms."""
    path = ontology_dir() / "context.jsonld"
    try:
        context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"cannot read the JSON-LD context: {exc}", file=path) from exc
    return context


# -- sorted statements -------------------------------------------------------------------------
def _graphs(store: Store) -> list[ox.NamedNode]:
    return [ox.NamedNode(str(g)) for g in store.graph_names()]


def _dump(store: Store, fmt: ox.RdfFormat, graph: ox.NamedNode | None) -> bytes:
    """One graph (or, for N-Quads, the whole dataset) in a line-based format, unsorted."""
    return store.dump(fmt=fmt, graph=graph) or b""


def _sorted_lines(data: bytes, *, unique: bool = False) -> list[bytes]:
    lines = [line for line in data.split(b"\n") if line]
    return sorted(set(lines)) if unique else sorted(lines)


def _graph_triples(store: Store, graph: ox.NamedNode) -> Iterator[ox.Triple]:
    """One graph's triples, sorted (by their N-Triples form)."""
    lines = _sorted_lines(_dump(store, ox.RdfFormat.N_TRIPLES, graph))
    for quad in ox.parse(input=b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES):
        yield quad.triple


def _dump_lines(store: Store, graphs: list[ox.NamedNode]) -> list[bytes]:
    lines: list[bytes] = []
    for graph in graphs:
        lines += _dump(store, ox.RdfFormat.N_TRIPLES, graph).splitlines()
    return lines


#: threads that dump graphs at once (pyoxigraph releases the GIL while it reads)
_DUMP_THREADS = 2


def _union_ntriples(store: Store) -> bytes:
    """The union of the named graphs as N-Triples, each triple once, its lines sorted (bytewise,
    so the order depends on the data only)."""
    graphs = _graphs(store)
    shares = [graphs[i::_DUMP_THREADS] for i in range(_DUMP_THREADS)]
    with ThreadPoolExecutor(max_workers=_DUMP_THREADS) as pool:
        parts = list(pool.map(lambda share: _dump_lines(store, share), shares))
    distinct: set[bytes] = set()
    for part in parts:
        distinct.update(part)
    lines = sorted(distinct)
    if lines:
        lines.append(b"")
    return b"\n".join(lines)


#: graphs a task of the N-Quads export dumps (small enough that the writer is never far behind)
_NQUADS_CHUNK = 64


def _graph_nquads(store: Store, graphs: list[ox.NamedNode]) -> bytes:
    """Some graphs as N-Quads: each dumped as N-Triples, its name put in before each line's
    final `` .`` (N-Triples escapes line breaks in literals, so a line ends only there)."""
    parts = []
    for graph in graphs:
        name = b" " + str(graph).encode("utf-8") + b" .\n"
        parts.append(_dump(store, ox.RdfFormat.N_TRIPLES, graph).replace(b" .\n", name))
    return b"".join(parts)


def _write_nquads(store: Store, output: IO[bytes]) -> None:
    """The dataset as N-Quads, graph by graph in the order of their names, each graph's quads
    in the store's index order: dumped by two threads (pyoxigraph releases the GIL while it reads
    the store), written in order as they come."""
    output.write(_dump(store, ox.RdfFormat.N_TRIPLES, None) if _has_default(store) else b"")
    graphs = _graphs(store)
    chunks = [graphs[i : i + _NQUADS_CHUNK] for i in range(0, len(graphs), _NQUADS_CHUNK)]
    with ThreadPoolExecutor(max_workers=_DUMP_THREADS) as pool:
        for data in pool.map(lambda chunk: _graph_nquads(store, chunk), chunks):
            output.write(data)


def _has_default(store: Store) -> bool:
    return next(store.match(graph=ox.DefaultGraph()), None) is not None


# -- JSON-LD -------------------------------------------------------------------------------------
class _Compactor:
    """IRIs as compact IRIs or terms of the context (terms only map, never coerce)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(
            ((iri, name) for name, iri in context.items() if isinstance(iri, str)),
            key=lambda item: -len(item[0]),
        )
        self.prefixes = [(iri, name) for iri, name in self.prefixes if iri[-1:] in "/#"]
        self.terms: dict[str, str] = {}
        for name, value in context.items():
            if isinstance(value, str) and ":" in value and value[-1:] not in "/#":
                self.terms[self.expand(value)] = name

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        for iri, name in self.prefixes:
            if name == prefix:
                return iri + local
        return value

    def iri(self, value: str) -> str:
        for iri, name in self.prefixes:
            if value.startswith(iri) and len(value) > len(iri):
                local = value[len(iri) :]
                if not local.startswith("//") and re.fullmatch(r"[^\s\"<>{}|\\^`]+", local):
                    return f"{name}:{local}"
        return value

    def key(self, value: str) -> str:
        return self.terms.get(value) or self.iri(value)

    def node(self, term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        raise InputError("RDF-star triples cannot be written as JSON-LD 1.1")

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == _XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        return {"@id": self.node(term)}


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _jsonld_nodes(triples: Iterator[ox.Triple], compact: _Compactor) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        subject = compact.node(t.subject)
        node = nodes.setdefault(subject, {"@id": subject})
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact.iri(t.object.value))
        else:
            node.setdefault(compact.key(t.predicate.value), []).append(compact.value(t.object))
    ordered = []
    for subject in sorted(nodes):
        node = nodes[subject]
        out: dict[str, Any] = {"@id": subject}
        if "@type" in node:
            out["@type"] = _one_or_list(sorted(node["@type"]))
        for key in sorted(k for k in node if not k.startswith("@")):
            values = sorted(node[key], key=lambda v: json.dumps(v, sort_keys=True))
            out[key] = _one_or_list(values)
        ordered.append(out)
    return ordered


def _jsonld(store: Store) -> bytes:
    context = jsonld_context()
    compact = _Compactor(context)
    graphs = [
        {"@id": compact.node(g), "@graph": _jsonld_nodes(_graph_triples(store, g), compact)}
        for g in _graphs(store)
    ]
    document = {"@context": context, "@graph": graphs}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- the formats ---------------------------------------------------------------------------------
def write_export(store: Store, output: IO[bytes], *, fmt: RdfFormat) -> None:
    """Write the whole dataset to a binary stream."""
    if fmt is RdfFormat.NQUADS:
        _write_nquads(store, output)
    elif fmt is RdfFormat.NTRIPLES:
        output.write(_union_ntriples(store))
    elif fmt is RdfFormat.TURTLE:
        triples = ox.parse(input=_union_ntriples(store), format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    elif fmt is RdfFormat.TRIG:
        store.dump(output, fmt=ox.RdfFormat.TRIG, prefixes=_prefixes())
    elif fmt is RdfFormat.JSONLD:
        output.write(_jsonld(store))
    else:
        raise InputError(f"kg export does not write {fmt.value}")


def export_bytes(store: Store, *, fmt: RdfFormat) -> bytes:
    """The whole dataset as bytes (for tests and small stores)."""
    buffer = io.BytesIO()
    write_export(store, buffer, fmt=fmt)
    return buffer.getvalue()


def export_to_file(store: Store, path: Path, *, fmt: RdfFormat) -> None:
    """Write the dataset to ``path`` atomically: a temporary file beside it, then a rename."""
    write_atomically(path, lambda output: write_export(store, output, fmt=fmt))
