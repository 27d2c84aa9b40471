"""What a ``kg serve`` worker does with the store: SPARQL queries, templates, graphs, and the
explorer's pages.

Each job gets an :class:`Answer` (HTTP status, media type, body): results are cut at
``row_limit`` rows (or triples), and the answer then says so (``truncated``); a template (at
``/api`` or on the explorer's page) reads at most ``row_limit + 1`` rows
(:meth:`kg.store.embedded.Store.capped`), so it cannot hold more in memory than it may show.
A query's ``SERVICE`` calls must name endpoints the operator allowed
(:mod:`kg.server.guard`). Formats follow the W3C specifications: SPARQL 1.1 Query Results
JSON, XML, CSV and TSV; Turtle, N-Triples, N-Quads, RDF/XML for graphs. Error texts speak
HTTP (query parameters, not command-line options).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.core.errors import InputError
from kg.query.answer import answer
from kg.query.params import is_well_formed_iri
from kg.query.results import Format
from kg.query.run import StoreSource
from kg.query.sparql_results import serialize_boolean, serialize_select, sparql_json
from kg.query.templates import Template, load_catalogue
from kg.server.explorer import Request, Site, handle, site
from kg.server.guard import ServiceRefused, check_services
from kg.store.embedded import SelectResult, Store, select_result

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "TABLE_TYPES",
    "Answer",
    "GraphJob",
    "Job",
    "PageJob",
    "QueryJob",
    "TemplateJob",
    "Worker",
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
#: media types of a template's rows at /api/NAME, the first is the default: the answer as
#: JSON or CSV (labels, readable figures, IRIs beside them), or the raw SPARQL JSON results
TABLE_TYPES = ("application/json", "text/csv", "application/sparql-results+json")
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
    """An HTTP answer: status, media type, body, and headers besides those."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query from the protocol endpoint, with the media types the client accepts."""

    query: str
    accept: str


@dataclass(frozen=True)
class TemplateJob:
    """A template run with its parameters as given (checked here, as ``kg query`` checks them);
    its answer in ``lang`` as JSON or CSV, or the raw SPARQL JSON results, by ``fmt``
    (``?format=``) or else by ``accept``."""

    name: str
    params: Mapping[str, str]
    accept: str = ""
    fmt: str = ""
    lang: str = "en"


@dataclass(frozen=True)
class GraphJob:
    """One named graph (``graph`` is its IRI) or the default graph (``graph`` is None)."""

    graph: str | None
    accept: str


@dataclass(frozen=True)
class PageJob:
    """One of the explorer's pages."""

    request: Request


Job = QueryJob | TemplateJob | GraphJob | PageJob


@dataclass
class Worker:
    """What a worker answers with: the store (one generation of it), the limits, the SERVICE
    endpoints allowed, and the explorer's site over the store (made when first asked for)."""

    store: Store
    row_limit: int
    allowed_services: tuple[str, ...] = ()
    corpus_dir: Path | None = None
    _site: Site | None = None

    @property
    def site(self) -> Site:
        if self._site is None:
            self._site = site(self.store, self.corpus_dir)
            self._site.row_limit = self.row_limit
        return self._site


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


def _query(store: Store, job: QueryJob, row_limit: int, allowed: Sequence[str]) -> Answer:
    try:
        check_services(job.query, allowed=allowed)
    except ServiceRefused as exc:
        return _bad(str(exc), 403)
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
        selected = select_result(result, row_limit + 1)  # one more: was the answer cut?
        rows = selected.rows[:row_limit]
        body = serialize_select(SelectResult(selected.variables, rows), _results_format(media))
        return Answer(200, media, body, len(selected.rows) > row_limit)
    media = negotiate(job.accept, GRAPH_TYPES)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    triples = list(islice(result, row_limit + 1))
    truncated = len(triples) > row_limit
    return Answer(200, media, _triples(triples[:row_limit], media), truncated)


def _check_given(template: Template, params: Mapping[str, str]) -> str | None:
    """What is wrong with the query parameters of a template request, in HTTP's words."""
    known = {p.name for p in template.parameters} | {p.grlc_name for p in template.parameters}
    takes = ", ".join(p.name for p in template.parameters) or "no parameters"
    for name in params:
        if name not in known:
            return f"/api/{template.name} has no query parameter '{name}' (it takes: {takes})"
    for p in template.parameters:
        if p.required and not p.default and not (params.get(p.name) or params.get(p.grlc_name)):
            return (
                f"/api/{template.name} needs the query parameter '{p.name}' ({p.expects}), "
                f"e.g. /api/{template.name}?{p.name}=..."
            )
    return None


#: ``?format=`` of /api/NAME → the media type it stands for
_FORMATS = {"csv": "text/csv", "json": "application/json", "sparql-json": TABLE_TYPES[2]}


def _template(store: Store, job: TemplateJob, row_limit: int) -> Answer:
    """A template's answer (:func:`kg.query.answer.answer`, the rows ``kg query`` writes): JSON
    or CSV with labels and readable figures, IRIs beside; or the raw SPARQL JSON results."""
    template = load_catalogue().get(job.name)
    if template is None:
        return _bad(f"no template '{job.name}' (see /api)", 404)
    wrong = _check_given(template, job.params)
    if wrong is not None:
        return _bad(wrong)
    if job.fmt and job.fmt.lower() not in _FORMATS:
        return _bad(f"format={job.fmt!r}: expected {', '.join(_FORMATS)}")
    source = StoreSource(store, cap=row_limit + 1)
    try:
        answered = answer(source, job.name, job.params, lang=job.lang or "en", limit=row_limit)
    except InputError as exc:
        return _bad(str(exc))
    result, truncated = answered.result, answered.truncated
    if isinstance(result, SelectResult):
        media = _FORMATS[job.fmt.lower()] if job.fmt else negotiate(job.accept, TABLE_TYPES)
        if media is None:
            return _not_acceptable(TABLE_TYPES)
        if media == "text/csv":
            body = answered.text(Format.CSV).encode("utf-8")
            return Answer(200, "text/csv; charset=utf-8", body, truncated)
        if media == TABLE_TYPES[2]:
            body = json.dumps(sparql_json(result), ensure_ascii=False).encode("utf-8")
            return Answer(200, TABLE_TYPES[2], body, truncated)
        body = answered.text(Format.JSON).encode("utf-8")
        return Answer(200, "application/json", body, truncated)
    if job.fmt.lower() == "csv" or negotiate(job.accept, ("application/ld+json", "text/csv")) == (
        "text/csv"
    ):
        return _bad(f"{job.name} answers a graph (JSON-LD), not rows: no CSV", 406)
    body = result.serialize(format="json-ld").encode("utf-8")
    return Answer(200, "application/ld+json", body, truncated)


def absolute_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI (a scheme, then no spaces or brackets): what a
    ``graph=`` parameter must be.

    >>> absolute_iri("https://w3id.org/aikg/id/graph/reference"), absolute_iri("../../etc/passwd")
    (True, False)
    """
    scheme, colon, _ = text.partition(":")
    return bool(
        colon and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)
    ) and is_well_formed_iri(text)


def _graph(store: Store, job: GraphJob, row_limit: int) -> Answer:
    media = negotiate(job.accept, GRAPH_TYPES)
    if media is None:
        return _not_acceptable(GRAPH_TYPES)
    if job.graph is None:
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
    else:
        if not absolute_iri(job.graph):
            shown = job.graph if len(job.graph) <= 80 else job.graph[:77] + "..."
            return _bad(f"graph={shown!r}: expected the absolute IRI of a graph")
        graph = ox.NamedNode(job.graph)
        if not store.has_graph(URIRef(job.graph)):
            return _bad(f"no graph <{job.graph}> in the store", 404)
    quads = list(islice(store.match(graph=graph), row_limit + 1))
    truncated = len(quads) > row_limit
    quads = quads[:row_limit]
    fmt = _rdf_format(media)
    if fmt == ox.RdfFormat.N_QUADS:
        return Answer(200, media, ox.serialize(quads, format=fmt) or b"", truncated)
    return Answer(200, media, _triples((q.triple for q in quads), media), truncated)


def _page(worker: Worker, job: PageJob) -> Answer:
    page = handle(worker.site, job.request)
    return Answer(page.status, page.content_type, page.body, headers=dict(page.headers))


def perform(worker: Worker, job: Job) -> Answer:
    """The answer to one job (bad input is a 4xx answer, not an exception)."""
    store, row_limit = worker.store, worker.row_limit
    try:
        if isinstance(job, QueryJob):
            return _query(store, job, row_limit, worker.allowed_services)
        if isinstance(job, TemplateJob):
            return _template(store, job, row_limit)
        if isinstance(job, PageJob):
            return _page(worker, job)
        return _graph(store, job, row_limit)
    except InputError as exc:
        return _bad(str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return _bad(f"the query failed: {exc}", 500)
