"""What a ``kg serve`` worker does with the store: SPARQL queries, templates, graphs.

Each job gets an :class:`Answer` (HTTP status, media type, body): results are cut at
``row_limit`` rows (or triples), and the answer then says so (``truncated``). Formats follow the
W3C specifications: SPARQL 1.1 Query Results JSON, XML, CSV and TSV; Turtle, N-Triples,
N-Quads, RDF/XML for graphs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import Graph

from kg.core.errors import InputError
from kg.query.params import bind
from kg.query.results import sparql_json
from kg.query.run import StoreSource, run_template
from kg.query.templates import load_catalogue
from kg.store.embedded import SelectResult, Store

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Answer",
    "GraphJob",
    "Job",
    "QueryJob",
    "TemplateJob",
    "negotiate",
    "perform",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: media types for SELECT and ASK results, the first is the default
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
)
#: media types for graphs, the first is the default
GRAPH_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/rdf+xml",
    "text/plain",
)
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query from the protocol endpoint, with the media types the client accepts."""

    query: str
    accept: str


@dataclass(frozen=True)
class TemplateJob:
    """A template run with its parameters as given (checked here, as ``kg query`` checks them)."""

    name: str
    params: Mapping[str, str]


@dataclass(frozen=True)
class GraphJob:
    """One named graph (``graph`` is its IRI) or the default graph (``graph`` is None)."""

    graph: str | None
    accept: str


Job = QueryJob | TemplateJob | GraphJob


def negotiate(accept: str, offered: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offered for ``*/*``).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("", RESULT_TYPES)
    'application/sparql-results+json'
    >>> negotiate("image/png", RESULT_TYPES) is None
    True
    """
    if not accept.strip():
        return offered[0]
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    for _, _, media in sorted(ranked):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            for candidate in offered:
                if family == "*" or candidate.startswith(family + "/"):
                    return candidate
    return None


# -- results -----------------------------------------------------------------------------------


def _term_json(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _term_xml(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _term_tsv(term: object) -> str:
    text = str(term)
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _term_csv(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _select(variables: list[str], rows: list[list[object | None]], media: str) -> bytes:
    if media in ("application/sparql-results+json", "application/json"):
        bindings = [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        data = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    if media == "application/sparql-results+xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.append("</head><results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if media == "text/csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _term_csv(t) for t in row])
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else _term_tsv(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(value: bool, media: str) -> bytes:
    if media in ("application/sparql-results+json", "application/json"):
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if media == "application/sparql-results+xml":
        text = "true" if value else "false"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    head = "_askResult\r\n" if media == "text/csv" else "?_askResult\n"
    return (head + str(value).lower() + "\n").encode("utf-8")


def _triples(triples: Iterable[ox.Triple], media: str) -> bytes:
    fmt = _RDF_FORMATS[media]
    if fmt is ox.RdfFormat.N_QUADS:
        fmt = ox.RdfFormat.N_TRIPLES
    return ox.serialize(list(triples), format=fmt) or b""


def _not_acceptable(offered: Sequence[str]) -> Answer:
    return Answer(406, "text/plain; charset=utf-8", f"acceptable: {', '.join(offered)}".encode())


def _bad(message: str, status: int = 400) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def _query(store: Store, job: QueryJob, row_limit: int) -> Answer:
    try:
        result = store.oxigraph.query(job.query)
    except SyntaxError as exc:
        return _bad(f"not a SPARQL query (updates are refused here): {exc}")
    if isinstance(result, ox.QueryBoolean):
        media = negotiate(job.accept, RESULT_TYPES)
        if media is None:
            return _not_acceptable(RESULT_TYPES)
        return Answer(200, media, _boolean(bool(result), media))
    if isinstance(result, ox.QuerySolutions):
        media = negotiate(job.accept, RESULT_TYPES)
        if media is None:
            return _not_acceptable(RESULT_TYPES)
        variables = [v.value for v in result.variables]
        rows = [[s[v] for v in variables] for s in islice(result, row_limit + 1)]
        truncated = len(rows) > row_limit
        return Answer(200, media, _select(variables, rows[:row_limit], media), truncated)
    media = negotiate(job.accept, GRAPH_TYPES)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    triples = list(islice(result, row_limit + 1))
    truncated = len(triples) > row_limit
    return Answer(200, media, _triples(triples[:row_limit], media), truncated)


def _template(store: Store, job: TemplateJob, row_limit: int) -> Answer:
    template = load_catalogue().get(job.name)
    if template is None:
        return _bad(f"no template '{job.name}'", 404)
    source = StoreSource(store)
    try:
        bindings = bind(template, job.params, knows=source.knows)
    except InputError as exc:
        return _bad(str(exc))
    result = run_template(template, bindings, source=source)
    if isinstance(result, SelectResult):
        truncated = len(result.rows) > row_limit
        cut = SelectResult(result.variables, result.rows[:row_limit])
        body = json.dumps(sparql_json(cut), ensure_ascii=False).encode("utf-8")
        return Answer(200, "application/sparql-results+json", body, truncated)
    if not isinstance(result, Graph):  # pragma: no cover - run_template gives one of the two
        return _bad("unexpected result", 500)
    triples = list(result)
    truncated = len(triples) > row_limit
    part = Graph()
    for triple in triples[:row_limit]:
        part.add(triple)
    body = part.serialize(format="json-ld").encode("utf-8")
    return Answer(200, "application/ld+json", body, truncated)


def _graph(store: Store, job: GraphJob) -> Answer:
    media = negotiate(job.accept, GRAPH_TYPES)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    if job.graph is None:
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
    else:
        graph = ox.NamedNode(job.graph)
        if not store.oxigraph.contains_named_graph(graph):
            return _bad(f"no graph <{job.graph}> in the store", 404)
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, graph))
    fmt = _RDF_FORMATS[media]
    if fmt is ox.RdfFormat.N_QUADS:
        return Answer(200, media, ox.serialize(quads, format=fmt) or b"")
    return Answer(200, media, _triples((q.triple for q in quads), media))


def perform(store: Store, job: Job, *, row_limit: int) -> Answer:
    """The answer to one job (bad input is a 4xx answer, not an exception)."""
    try:
        if isinstance(job, QueryJob):
            return _query(store, job, row_limit)
        if isinstance(job, TemplateJob):
            return _template(store, job, row_limit)
        return _graph(store, job)
    except InputError as exc:
        return _bad(str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return _bad(f"the query failed: {exc}", 500)
