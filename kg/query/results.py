"""Query results as text: terminal tables and Markdown with labels, SPARQL 1.1 CSV and JSON, RDF.

Tables and Markdown are for people: an individual's IRI is shown as its label in the chosen
language, else its English label, else its slug. ``render`` writes a raw result: CSV and JSON
keep IRIs and literals as they are (the W3C SPARQL 1.1 Query Results CSV and JSON formats;
``kg query`` writes them for ``--format sparql-csv|sparql-json``, its own CSV and JSON are the
readable answers of :mod:`kg.query.answer`).

>>> from rdflib import Literal, URIRef
>>> from kg.store.embedded import SelectResult
>>> r = SelectResult(["firm", "pe"], [{"firm": URIRef("https://w3id.org/aikg/id/firm/nvidia"),
...     "pe": Literal("50.62", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))}])
>>> print(render(r, Format.TABLE, labels={}, lang="en"), end="")
firm    pe
------  -----
nvidia  50.62
>>> render(r, Format.CSV).splitlines()
['firm,pe', 'https://w3id.org/aikg/id/firm/nvidia,50.62']
"""

from __future__ import annotations

import enum
import json
import unicodedata
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE, PREFIXES
from kg.query.sparql_results import serialize_select, sparql_json
from kg.store.embedded import SelectResult

__all__ = [
    "Format",
    "display",
    "format_for_path",
    "graph_rows",
    "markdown_text",
    "render",
    "table_text",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: widest cell in a terminal table, in display columns
MAX_CELL = 48


class Format(enum.Enum):
    """The output formats of ``kg query``."""

    TABLE = "table"
    CSV = "csv"  # the answer: labels, readable figures, IRIs and raw numbers beside them
    JSON = "json"  # the same as JSON
    MD = "md"
    SPARQL_CSV = "sparql-csv"  # the raw rows, W3C SPARQL 1.1 Query Results CSV
    SPARQL_JSON = "sparql-json"  # the raw rows, W3C SPARQL 1.1 Query Results JSON
    TURTLE = "turtle"
    SVG = "svg"  # a picture, drawn by kg.query.pictures
    DOT = "dot"  # the Graphviz text behind a picture


_EXTENSIONS = {
    ".txt": Format.TABLE,
    ".csv": Format.CSV,
    ".json": Format.JSON,
    ".srj": Format.SPARQL_JSON,
    ".md": Format.MD,
    ".ttl": Format.TURTLE,
    ".svg": Format.SVG,
    ".dot": Format.DOT,
    ".gv": Format.DOT,
}


def format_for_path(path: str) -> Format | None:
    """The format a file name's extension implies, if any."""
    for ext, fmt in _EXTENSIONS.items():
        if path.lower().endswith(ext):
            return fmt
    return None


# -- for people --------------------------------------------------------------------------------


def _prefixed(iri: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > best[0]):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = (len(namespace), f"{prefix}:{local}")
    return best[1] if best else None


def display(term: Node | None, *, labels: Mapping[URIRef, Mapping[str, str]], lang: str) -> str:
    """How a term is shown to people: a label in ``lang``, else in English, else a short name."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        mine = {tag.lower(): text for tag, text in labels.get(term, {}).items()}
        for tag in (lang.lower(), "en", ""):
            if tag in mine:
                return mine[tag]
        iri = str(term)
        if iri.startswith(BASE):
            path = iri[len(BASE) :]
            parts = path.split("/")
            return parts[1] if len(parts) == 2 else path
        return _prefixed(iri) or iri
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    out = ""
    for c in text:
        if _width(out + c) > limit - 1:
            break
        out += c
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _cells(
    result: SelectResult, labels: Mapping[URIRef, Mapping[str, str]], lang: str
) -> list[list[str]]:
    return [
        [display(row.get(v), labels=labels, lang=lang) for v in result.variables]
        for row in result.rows
    ]


def _table(result: SelectResult, labels: Mapping[URIRef, Mapping[str, str]], lang: str) -> str:
    return table_text(list(result.variables), _cells(result, labels, lang))


def table_text(header: list[str], rows: list[list[str]]) -> str:
    """A terminal table: ``header`` over ``rows`` of display strings, aligned by display width
    (CJK characters count two), long cells clipped."""
    cells = [[_clip(c, MAX_CELL) for c in row] for row in rows]
    widths = [
        max([_width(header[i])] + [_width(row[i]) for row in cells]) for i in range(len(header))
    ]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    if not cells:
        lines.append("(no rows)")
    return "\n".join(lines) + "\n"


def _markdown(result: SelectResult, labels: Mapping[URIRef, Mapping[str, str]], lang: str) -> str:
    return markdown_text(list(result.variables), _cells(result, labels, lang))


def markdown_text(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table: ``header`` over ``rows`` of display strings."""

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


def _csv(result: SelectResult) -> str:
    return serialize_select(result, ox.QueryResultsFormat.CSV).decode("utf-8")


def graph_rows(graph: Graph) -> SelectResult:
    """The triples of a graph as sorted ``subject predicate object`` rows."""
    triples = sorted(graph, key=lambda t: tuple(t[i].n3() for i in range(3)))
    rows: list[dict[str, Node]] = [
        {"subject": s, "predicate": p, "object": o} for s, p, o in triples
    ]
    return SelectResult(["subject", "predicate", "object"], rows)


def _turtle(graph: Graph) -> str:
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return out.serialize(format="longturtle")


def render(
    result: SelectResult | Graph,
    fmt: Format,
    *,
    labels: Mapping[URIRef, Mapping[str, str]] | None = None,
    lang: str = "en",
) -> str:
    """``result`` as text in format ``fmt``; ``labels`` are used by TABLE and MD."""
    labels = labels or {}
    if isinstance(result, Graph):
        if fmt is Format.TURTLE:
            return _turtle(result)
        if fmt in (Format.JSON, Format.SPARQL_JSON):
            return str(result.serialize(format="json-ld"))
        result = graph_rows(result)
    if fmt is Format.TABLE:
        return _table(result, labels, lang)
    if fmt is Format.MD:
        return _markdown(result, labels, lang)
    if fmt in (Format.CSV, Format.SPARQL_CSV):
        return _csv(result)
    if fmt in (Format.JSON, Format.SPARQL_JSON):
        return json.dumps(sparql_json(result), ensure_ascii=False, indent=2) + "\n"
    raise InputError("--format turtle is for CONSTRUCT templates; this one is a SELECT")
