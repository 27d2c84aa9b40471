"""What the explorer reads from the store: the queries in ``kg/explorer/sparql/*.rq``, run with
the node of the page bound as ``?node`` (a substitution, never text pasted into the query)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.iris import BASE
from kg.core.scripts import fold
from kg.query.run import Labels, StoreSource
from kg.store.embedded import Store

__all__ = [
    "Annotation",
    "Hit",
    "Statement",
    "article_annotations",
    "incoming",
    "index",
    "labels",
    "rows",
    "search",
    "statements",
]


@cache
def _sparql(name: str) -> str:
    return resources.files("kg.server.explorer").joinpath(f"sparql/{name}.rq").read_text("utf-8")


def rows(store: Store, name: str, node: URIRef | None = None) -> list[dict[str, Node]]:
    """The rows of query ``name`` with ``?node`` bound to ``node`` (if given)."""
    bindings = {"node": node} if node is not None else None
    return store.select(_sparql(name), bindings=bindings).rows


@dataclass(frozen=True)
class Statement:
    """One triple about a node and the graph that holds it."""

    predicate: URIRef
    value: Node
    graph: URIRef


def statements(store: Store, node: URIRef) -> list[Statement]:
    """What every graph says about ``node`` (as subject)."""
    out = []
    for row in rows(store, "statements", node):
        p, o, g = row.get("p"), row.get("o"), row.get("g")
        if isinstance(p, URIRef) and o is not None and isinstance(g, URIRef):
            out.append(Statement(p, o, g))
    return out


def incoming(store: Store, node: URIRef) -> list[Statement]:
    """What points at ``node``: ``value`` is the subject pointing at it."""
    out = []
    for row in rows(store, "incoming", node):
        s, p, g = row.get("s"), row.get("p"), row.get("g")
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef):
            out.append(Statement(p, s, g))
    return out


def labels(store: Store, iris: Iterable[Node]) -> Labels:
    """The labels of the IRIs among ``iris``, per language."""
    return StoreSource(store).labels(i for i in iris if isinstance(i, URIRef))


def index(store: Store) -> dict[str, list[tuple[URIRef, str]]]:
    """Firms, deals and articles: kind → (IRI, publication date or "")."""
    out: dict[str, list[tuple[URIRef, str]]] = {"firm": [], "deal": [], "article": []}
    for row in rows(store, "index"):
        node, kind = row.get("node"), row.get("kind")
        if isinstance(node, URIRef) and kind is not None:
            out.setdefault(str(kind), []).append((node, str(row.get("issued", ""))))
    return out


@dataclass(frozen=True)
class Hit:
    """A search result: an individual and the names of it that matched."""

    node: URIRef
    names: tuple[str, ...]


def search(store: Store, text: str, *, limit: int = 100) -> list[Hit]:
    """Individuals with a label or other name containing ``text``, in any script or case.

    Names and text are folded alike (Traditional to Simplified characters, full-width to ASCII,
    lower case), so 輝達, 辉达 and nvidia all find NVIDIA.
    """
    wanted = fold(" ".join(text.split()))
    if not wanted:
        return []
    found: dict[URIRef, dict[str, None]] = {}
    for row in rows(store, "names"):
        node, name = row.get("node"), row.get("name")
        if isinstance(node, URIRef) and isinstance(name, Literal) and wanted in fold(str(name)):
            found.setdefault(node, {})[str(name)] = None

    def rank(item: tuple[URIRef, dict[str, None]]) -> tuple[int, int, str]:
        node, names = item
        exact = any(fold(n) == wanted for n in names)
        kind_order = 0 if str(node).startswith(BASE + "firm/") else 1
        return (0 if exact else 1, kind_order, str(node))

    hits = [Hit(node, tuple(sorted(names))) for node, names in sorted(found.items(), key=rank)]
    return hits[:limit]


@dataclass(frozen=True)
class Annotation:
    """One span of an article: what it identifies or describes, where, and its quote."""

    annotation: URIRef
    body: URIRef
    describing: bool
    start: int
    end: int
    quote: str | None


def article_annotations(store: Store, article: URIRef) -> list[Annotation]:
    """The annotations in ``article``'s graph, in text order."""
    out = []
    for row in rows(store, "annotations", article):
        annotation, body = row.get("annotation"), row.get("body")
        start, end = row.get("start"), row.get("end")
        if not (isinstance(annotation, URIRef) and isinstance(body, URIRef)):
            continue
        if not (isinstance(start, Literal) and isinstance(end, Literal)):
            continue
        try:
            first, last = int(str(start)), int(str(end))
        except ValueError:
            continue
        quote = row.get("quote")
        out.append(
            Annotation(
                annotation=annotation,
                body=body,
                describing=str(row.get("motivation", "")).endswith("#describing"),
                start=first,
                end=last,
                quote=str(quote) if quote is not None else None,
            )
        )
    return out
