"""What a ``kg serve`` worker does with the store: SPARQL queries, templates, graphs.

Each job gets an :class:`Answer` (HTTP status, media type, body): results are cut at
``row_limit`` rows (or triples), and the answer then says so (``truncated``). Formats follow the
W3C specifications: SPARQL 1.1 Query Results JSON, XML, CSV and TSV; Turtle, N-Triples,
N-Quads, RDF/XML for graphs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.core.errors import InputError
from kg.core.terms import term_converter
from kg.query.params import bind
from kg.query.run import StoreSource, run_template
from kg.query.sparql_results import serialize_boolean, serialize_select, sparql_json
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


def _rdf_format(media: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media)
    if found is None:  # pragma: no cover - negotiate() offers known types only
        raise InputError(f"not an RDF media type: {media}")
    return found


def _results_format(media: str) -> ox.QueryResultsFormat:
    if media == "application/json":
        return ox.QueryResultsFormat.JSON
    found = ox.QueryResultsFormat.from_media_type(media)
    if found is None:  # pragma: no cover - negotiate() offers known types only
        raise InputError(f"not a SPARQL results media type: {media}")
    return found


def _triples(triples: Iterable[ox.Triple], media: str) -> bytes:
    fmt = _rdf_format(media)
    if fmt == ox.RdfFormat.N_QUADS:
        fmt = ox.RdfFormat.N_TRIPLES
    return ox.serialize(list(triples), format=fmt) or b""


def _not_acceptable(offered: Sequence[str]) -> Answer:
    return Answer(406, "text/plain; charset=utf-8", f"acceptable: {', '.join(offered)}".encode())


def _bad(message: str, status: int = 400) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def _query(store: Store, job: QueryJob, row_limit: int) -> Answer:
    try:
        result = store.query(job.query)
    except InputError as exc:
        return _bad(f"not a SPARQL query (updates are refused here): {exc}")
    if isinstance(result, ox.QueryBoolean):
        media = negotiate(job.accept, RESULT_TYPES)
        if media is None:
            return _not_acceptable(RESULT_TYPES)
        return Answer(200, media, serialize_boolean(bool(result), _results_format(media)))
    if isinstance(result, ox.QuerySolutions):
        media = negotiate(job.accept, RESULT_TYPES)
        if media is None:
            return _not_acceptable(RESULT_TYPES)
        variables = [v.value for v in result.variables]
        solutions = list(islice(result, row_limit + 1))
        convert = term_converter()
        rows = [
            {v: convert(t) for v in variables if (t := s[v]) is not None}
            for s in solutions[:row_limit]
        ]
        body = serialize_select(SelectResult(variables, rows), _results_format(media))
        return Answer(200, media, body, len(solutions) > row_limit)
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
        if not store.has_graph(URIRef(job.graph)):
            return _bad(f"no graph <{job.graph}> in the store", 404)
    quads = list(store.match(graph=graph))
    fmt = _rdf_format(media)
    if fmt == ox.RdfFormat.N_QUADS:
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
