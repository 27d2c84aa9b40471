"""RDF terms between rdflib and pyoxigraph, and as N-Triples / SPARQL text: the project's one
term bridge and one term escaper.

pyoxigraph's terms print themselves (``str(ox.Literal(...))``); this is the same syntax for
rdflib terms, without making a pyoxigraph term first (which costs more than the text when a
whole dataset is written, as :mod:`kg.build.bulk` does). The escapes are those both N-Triples and
SPARQL accept.

>>> from rdflib import Literal, URIRef
>>> nt(Literal('say "hi"\\n', lang="en"))
'"say \\\\"hi\\\\"\\\\n"@en'
>>> nt(URIRef("https://w3id.org/aikg/id/firm/nvidia"))
'<https://w3id.org/aikg/id/firm/nvidia>'
>>> nquads([(URIRef("urn:s"), URIRef("urn:p"), Literal(1))], "urn:g")
'<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "escape_string",
    "from_ox",
    "nquads",
    "nt",
    "term_converter",
    "to_ox",
    "to_ox_quad",
]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: IRIs repeat across a dataset: their text is made once (bounded: cleared when full)
_IRI_TEXT: dict[str, str] = {}
_IRI_CACHE_SIZE = 1 << 20


def escape_string(text: str) -> str:
    """``text`` as the body of a double-quoted N-Triples / SPARQL string."""
    return text.translate(_ESCAPES)


def nt(node: Node) -> str:
    """One term in N-Triples syntax (also valid SPARQL): ``<iri>``, ``"text"@lang``,
    ``"text"^^<datatype>``, ``_:label``."""
    if type(node) is URIRef:
        text = _IRI_TEXT.get(node)
        if text is None:
            if len(_IRI_TEXT) >= _IRI_CACHE_SIZE:
                _IRI_TEXT.clear()
            text = _IRI_TEXT[node] = f"<{node}>"
        return text
    if isinstance(node, Literal):
        value = str(node).translate(_ESCAPES)
        if node.language:
            return f'"{value}"@{node.language}'
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f'"{value}"^^<{node.datatype}>'
        return f'"{value}"'
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return f"<{node}>"
    raise TypeError(f"not an RDF term: {node!r}")


def nquads(triples: Iterable[tuple[Node, Node, Node]], graph: str) -> str:
    """Triples as N-Quads lines in graph ``graph`` (an IRI)."""
    g = f"<{graph}>"
    return "".join(f"{nt(s)} {nt(p)} {nt(o)} {g} .\n" for s, p, o in triples)


# -- rdflib <-> pyoxigraph ----------------------------------------------------------------
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot store {node!r}")


def from_ox(term: object) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r}")


def term_converter() -> Callable[[object], Node]:
    """:func:`from_ox` that converts each distinct term once, for one answer or one graph:
    answers repeat their terms, and an rdflib term costs about 4 µs to make (the 116,736 rows of
    capital-cycles at 10,000 articles: 2.9 s -> 0.3 s)."""
    converted: dict[object, Node] = {}

    def convert(term: object) -> Node:
        node = converted.get(term)
        if node is None:
            node = converted[term] = from_ox(term)
        return node

    return convert


def to_ox_quad(s: Node, p: Node, o: Node, graph: URIRef) -> ox.Quad:
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(graph)))  # type: ignore[arg-type]
