"""Running a template on the embedded store or on a remote SPARQL 1.1 endpoint.

Both sources answer the same three questions: run a template with checked bindings, say whether
an IRI names something in the dataset, and give the labels of some IRIs. The store binds values
through substitutions; an endpoint gets them in a VALUES block (see ``kg.query.params``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.http.client import HttpClient, HttpFailure, RetryPolicy
from kg.http.sparql import SparqlEndpoint
from kg.query.params import is_well_formed_iri, sparql_term, with_values
from kg.query.sparql_results import parse_sparql_json
from kg.query.templates import Template, where_offset
from kg.store.embedded import SelectResult, Store

#: the answers asked for
_JSON, _TURTLE = "json", "turtle"
#: a remote endpoint is asked twice at most (once more after a transient failure)
_RETRY = RetryPolicy(tries=2, backoff=0.5, max_wait=30.0)

__all__ = ["DEFAULT_TIMEOUT", "EndpointSource", "Labels", "Source", "StoreSource", "run_template"]

#: seconds to wait for a remote endpoint
DEFAULT_TIMEOUT = 30.0

_RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

#: language tag → label, per IRI
Labels = dict[URIRef, dict[str, str]]

_KNOWS = "ASK WHERE { { GRAPH ?g { ?iri ?p ?o } } UNION { GRAPH ?g { ?s ?p ?iri } } }"
#: an individual's rdfs:label; an article (which has none) by its title (dcterms:title)
_LABELS = (
    "SELECT ?iri ?label WHERE { GRAPH ?g {"
    " { ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?label } UNION"
    " { ?iri <http://purl.org/dc/terms/title> ?label"
    " FILTER NOT EXISTS { ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?any } } } }"
)


def _add_label(labels: Labels, iri: URIRef, label: Node | None) -> None:
    """Keep one label per language: the smallest, so the choice does not depend on order."""
    if not isinstance(label, Literal):
        return
    mine = labels.setdefault(iri, {})
    lang = (label.language or "").lower()  # rdflib lower-cases tags; compare them so
    if lang not in mine or str(label) < mine[lang]:
        mine[lang] = str(label)


class Source(Protocol):
    """Where a template runs: the embedded store or a SPARQL endpoint."""

    def run(self, template: Template, bindings: Mapping[str, Node]) -> SelectResult | Graph: ...

    def knows(self, iri: URIRef) -> bool: ...

    def labels(self, iris: Iterable[URIRef]) -> Labels: ...

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        """Any SELECT query of the project's own (not a template), with checked ``bindings``."""
        ...


class StoreSource:
    """The embedded store; values are bound through pyoxigraph substitutions. ``cap`` (if
    given) is the most rows (or triples) a template's answer is read to (``kg serve``)."""

    def __init__(self, store: Store, *, cap: int | None = None) -> None:
        self.store = store
        self.cap = cap

    def run(self, template: Template, bindings: Mapping[str, Node]) -> SelectResult | Graph:
        if template.form == "SELECT":
            with self._capped():
                return self.store.select(template.query, bindings=bindings)
        if template.form in ("CONSTRUCT", "DESCRIBE"):
            with self._capped():
                return self.store.construct(template.query, bindings=bindings)
        answer = self.store.ask(template.query, bindings=bindings)
        return SelectResult(["answer"], [{"answer": Literal(answer)}])

    def knows(self, iri: URIRef) -> bool:
        return self.store.ask(_KNOWS, bindings={"iri": iri})

    def _capped(self) -> AbstractContextManager[object]:
        return self.store.capped(self.cap) if self.cap is not None else nullcontext()

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        return self.store.select(query, bindings=dict(bindings or {}))

    def labels(self, iris: Iterable[URIRef]) -> Labels:
        out: Labels = {}
        for iri in set(iris):
            result = self.store.select(_LABELS, bindings={"iri": iri})
            for row in result.rows:
                _add_label(out, iri, row.get("label"))
        return out


class EndpointSource:
    """A remote SPARQL 1.1 Query endpoint: SPARQLWrapper's requests, sent by the project's
    HTTP client (:class:`kg.http.sparql.SparqlEndpoint`)."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"--endpoint {url!r}: expected an http(s) URL")
        self.url = url
        self.timeout = timeout

    def _request(self, query: str, *, fmt: str) -> bytes | dict[str, object]:
        client = HttpClient(timeout=max(1.0, self.timeout))
        endpoint = SparqlEndpoint(self.url, client=client, policy=_RETRY)
        try:
            if fmt == _JSON:
                return endpoint.select(query)
            return endpoint.graph_text(query)
        except HttpFailure as exc:
            if exc.status is None:
                raise InputError(f"{self.url}: the endpoint does not answer ({exc})") from exc
            if exc.status == 400:
                raise InputError(f"{self.url}: the endpoint refused the query: {exc}") from exc
            raise InputError(f"{self.url}: the endpoint answered HTTP {exc.status}") from exc

    def _select(self, query: str) -> SelectResult:
        data = self._request(query, fmt=_JSON)
        if not isinstance(data, dict):  # pragma: no cover - JSON always gives a dict
            raise InputError(f"{self.url}: the answer is not SPARQL JSON results")
        if "boolean" in data:
            return SelectResult(["answer"], [{"answer": Literal(bool(data["boolean"]))}])
        try:
            return parse_sparql_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{self.url}: the answer is not SPARQL JSON results") from exc

    def run(self, template: Template, bindings: Mapping[str, Node]) -> SelectResult | Graph:
        query = with_values(template.query, template.where_offset, bindings)
        if template.form in ("SELECT", "ASK"):
            return self._select(query)
        body = self._request(query, fmt=_TURTLE)
        if not isinstance(body, bytes):  # pragma: no cover - TURTLE always gives bytes
            raise InputError(f"{self.url}: the answer is not Turtle")
        graph = Graph()
        try:
            graph.parse(data=body, format="turtle")
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise InputError(f"{self.url}: the answer is not Turtle: {exc}") from exc
        return graph

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        return self._select(with_values(query, where_offset(query), dict(bindings or {})))

    def knows(self, iri: URIRef) -> bool:
        result = self._select(with_values(_KNOWS, where_offset(_KNOWS), {"iri": iri}))
        answer = result.rows[0].get("answer") if result.rows else None
        return isinstance(answer, Literal) and answer.toPython() is True

    def labels(self, iris: Iterable[URIRef]) -> Labels:
        wanted = sorted({str(i) for i in iris if is_well_formed_iri(str(i))})
        out: Labels = {}
        for start in range(0, len(wanted), 200):
            chunk = " ".join(sparql_term(URIRef(i)) for i in wanted[start : start + 200])
            offset = where_offset(_LABELS)
            query = f"{_LABELS[:offset]} VALUES ?iri {{ {chunk} }} {_LABELS[offset:]}"
            for row in self._select(query).rows:
                iri = row.get("iri")
                if isinstance(iri, URIRef):
                    _add_label(out, iri, row.get("label"))
        return out


def run_template(
    template: Template, bindings: Mapping[str, Node], *, source: Source
) -> SelectResult | Graph:
    """Run ``template`` with already checked ``bindings`` (see ``kg.query.params.bind``).

    Parameter columns (``?_firm_iri`` ...) are left out of a SELECT's answer: templates project
    them only because SEP-0007 substitution requires it.
    """
    result = source.run(template, bindings)
    if isinstance(result, SelectResult):
        keep = [v for v in result.variables if not v.startswith("_")]
        rows = [{k: v for k, v in row.items() if k in keep} for row in result.rows]
        return SelectResult(keep, rows)
    return result
