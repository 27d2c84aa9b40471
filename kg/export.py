"""Writing the dataset in one RDF format, byte for byte the same across rebuilds.

The line formats, Turtle and TriG are written in the store's own order: Oxigraph keeps its
quads in sorted indexes keyed by the terms' encodings (inline bytes for short values, a fixed
hash for long ones), so the same data is read back in the same order whatever order it was
loaded in, and the write is one pass over an index, in Rust, without sorting in Python. Turtle
is the union of the named graphs, each triple once (one CONSTRUCT, de-duplicated by Oxigraph),
with the project's prefixes; TriG and N-Quads are graph by graph. JSON-LD is written here,
sorted, with the published context (``ontology/context.jsonld``) inlined.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.atomic import write_atomically
from kg.errors import InputError
from kg.iris import PREFIXES
from kg.paths import ontology_dir
from kg.rdfio import RdfFormat
from kg.store import Store

__all__ = ["export_bytes", "export_to_file", "jsonld_context", "write_export"]

_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD_STRING = PREFIXES["xsd"] + "string"


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
    return store.oxigraph.dump(format=fmt, from_graph=graph) or b""


def _sorted_lines(data: bytes, *, unique: bool = False) -> list[bytes]:
    lines = [line for line in data.split(b"\n") if line]
    return sorted(set(lines)) if unique else sorted(lines)


def _graph_triples(store: Store, graph: ox.NamedNode) -> Iterator[ox.Triple]:
    """One graph's triples, sorted (by their N-Triples form)."""
    lines = _sorted_lines(_dump(store, ox.RdfFormat.N_TRIPLES, graph))
    for quad in ox.parse(input=b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES):
        yield quad.triple


_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _union(store: Store) -> ox.QueryTriples:
    """The union of the named graphs, each triple once, in the store's order."""
    return cast(ox.QueryTriples, store.oxigraph.query(_UNION, use_default_graph_as_union=True))


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
        store.oxigraph.dump(output, format=ox.RdfFormat.N_QUADS)
    elif fmt is RdfFormat.NTRIPLES:
        _union(store).serialize(output, format=ox.RdfFormat.N_TRIPLES)
    elif fmt is RdfFormat.TURTLE:
        ox.serialize(_union(store), output, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt is RdfFormat.TRIG:
        store.oxigraph.dump(output, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
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
