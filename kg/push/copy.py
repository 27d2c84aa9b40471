"""Copying the store's named graphs to a SPARQL 1.1 server, graph by graph (``kg push``).

Each named graph is replaced on the server as a whole, so a reader there sees the old graph or
the new one and a graph is never left half-written:

* with a Graph Store endpoint (SPARQL 1.1 Graph Store HTTP Protocol): one ``PUT ?graph=IRI``
  with the graph as N-Triples;
* otherwise with SPARQL 1.1 Update: one request ``DROP SILENT GRAPH <g> ; INSERT { GRAPH <g>
  { ... } } WHERE {}``; a graph larger than ``chunk_size`` triples goes to a temporary graph in
  several requests (triples sharing a blank node stay in one request), then ``MOVE`` puts it
  in place.

Before pushing, the triples of every graph are counted on the server (``SELECT COUNT`` on the
query endpoint); after pushing they are counted again and must equal the store's. A transient
failure (5xx, time-out, dropped connection) is retried a bounded number of times with back-off;
then the push stops with a :class:`PushError` that says which graphs arrived and which did not.
Pushing again finishes the job: each graph is replaced whole, so a push is idempotent.
"""

from __future__ import annotations

import enum
import hashlib
import json
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import pyoxigraph as ox
from rdflib import URIRef

from kg.core.errors import InputError
from kg.http.client import Credentials, HttpClient, HttpFailure, RetryPolicy, safe_url, with_retries
from kg.query.sparql_results import parse_sparql_json
from kg.store.embedded import Store

__all__ = [
    "Endpoint",
    "GraphState",
    "Method",
    "PushError",
    "PushOptions",
    "PushReport",
    "compare",
    "push",
    "server_counts",
]

#: graphs named in one counting query
_COUNT_BATCH = 100
_TMP_PREFIX = "urn:aikg:push-tmp:"

Progress = Callable[[str], None]


class Method(enum.Enum):
    """How graphs travel: the Graph Store Protocol or SPARQL Update."""

    GRAPH_STORE = "graph-store"
    UPDATE = "update"


@dataclass(frozen=True)
class Endpoint:
    """A server's URLs: queries, updates (default: the query URL), the Graph Store (if any)."""

    query: str
    update: str | None = None
    graph_store: str | None = None

    def __post_init__(self) -> None:
        for url in (self.query, self.update, self.graph_store):
            if url is not None and not url.startswith(("http://", "https://")):
                raise InputError(f"{safe_url(url)!r}: expected an http(s) URL")

    @property
    def method(self) -> Method:
        return Method.GRAPH_STORE if self.graph_store else Method.UPDATE

    @property
    def update_url(self) -> str:
        return self.update or self.query


@dataclass(frozen=True)
class PushOptions:
    """How hard to try: a time limit per request, retries, and the size of update requests."""

    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    chunk_size: int = 1000
    skip_same_count: bool = False


@dataclass(frozen=True)
class GraphState:
    """One graph's triples in the store and on the server (0 when the server lacks it)."""

    graph: URIRef
    in_store: int
    on_server: int

    @property
    def same_count(self) -> bool:
        return self.in_store == self.on_server


@dataclass(frozen=True)
class PushReport:
    """What a push did: graphs replaced, graphs left alone (same count), triples sent."""

    endpoint: str
    pushed: list[URIRef]
    skipped: list[URIRef]
    triples: int
    states: list[GraphState]


class PushError(InputError):
    """The push stopped: ``pushed`` arrived whole, ``not_pushed`` were not (or not whole)."""

    def __init__(
        self, message: str, *, pushed: Sequence[URIRef], not_pushed: Sequence[URIRef]
    ) -> None:
        super().__init__(message)
        self.pushed = list(pushed)
        self.not_pushed = list(not_pushed)


# -- talking to the server ---------------------------------------------------------------------


def _iri(term: URIRef | str) -> str:
    return f"<{term}>"


def _count_query(graphs: Sequence[URIRef]) -> str:
    values = " ".join(_iri(g) for g in graphs)
    return (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { " + values + " } "
        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )


def server_counts(
    client: HttpClient, endpoint: Endpoint, graphs: Sequence[URIRef], *, retry: RetryPolicy
) -> dict[URIRef, int]:
    """Triples per graph on the server (graphs it lacks are absent from the answer)."""
    counts: dict[URIRef, int] = {}
    for start in range(0, len(graphs), _COUNT_BATCH):
        query = _count_query(graphs[start : start + _COUNT_BATCH])
        body = urllib.parse.urlencode({"query": query}).encode("ascii")

        def ask(body: bytes = body) -> bytes:
            return client.send(
                "POST",
                endpoint.query,
                body=body,
                content_type="application/x-www-form-urlencoded",
                accept="application/sparql-results+json",
            )

        answer = with_retries(ask, policy=retry)
        try:
            result = parse_sparql_json(json.loads(answer))
            for row in result.rows:
                graph, n = row.get("g"), row.get("n")
                if graph is not None and n is not None:
                    counts[URIRef(str(graph))] = int(str(n))
        except (ValueError, KeyError, TypeError) as exc:
            where = safe_url(endpoint.query)
            raise InputError(f"{where}: the count query did not give SPARQL JSON results") from exc
    return counts


def _graph_key(graph: URIRef) -> str:
    return hashlib.sha256(str(graph).encode("utf-8")).hexdigest()[:24]


def temp_graph(graph: URIRef) -> URIRef:
    """The temporary graph a large graph is assembled in before ``MOVE``."""
    return URIRef(_TMP_PREFIX + _graph_key(graph))


def _ntriples(quads: Sequence[ox.Quad]) -> bytes:
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""


def _insert(graph: URIRef, quads: Sequence[ox.Quad]) -> str:
    """An update adding ``quads`` to ``graph``: ``INSERT { ... } WHERE {}``.

    Not ``INSERT DATA``: Virtuoso 7 refuses blank nodes and some typed literals (xsd:duration)
    there, and takes both in a template; everywhere else the two mean the same.
    """
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT {{ GRAPH {_iri(graph)} {{\n{body}\n}} }} WHERE {{}}"


def _chunks(quads: Sequence[ox.Quad], size: int) -> list[list[ox.Quad]]:
    """``quads`` in groups of about ``size``; triples sharing a blank node stay together.

    Each ``INSERT`` request makes its own fresh blank nodes, so a blank node split over two
    requests would become two nodes.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def bnodes(q: ox.Quad) -> list[str]:
        return [t.value for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]

    for q in quads:
        ids = bnodes(q)
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    groups: dict[str, list[ox.Quad]] = {}
    plain: list[ox.Quad] = []
    for q in quads:
        ids = bnodes(q)
        if ids:
            groups.setdefault(find(ids[0]), []).append(q)
        else:
            plain.append(q)
    out: list[list[ox.Quad]] = []
    current: list[ox.Quad] = []
    for group in [*groups.values(), *([q] for q in plain)]:
        if current and len(current) + len(group) > size:
            out.append(current)
            current = []
        current.extend(group)
    if current:
        out.append(current)
    return out


class _Sender:
    """Puts one graph on the server, whole, by the endpoint's method."""

    def __init__(self, client: HttpClient, endpoint: Endpoint, options: PushOptions) -> None:
        self.client = client
        self.endpoint = endpoint
        self.options = options

    def _update(self, text: str) -> None:
        self.client.send(
            "POST",
            self.endpoint.update_url,
            body=text.encode("utf-8"),
            content_type="application/sparql-update; charset=utf-8",
        )

    def _put(self, graph: URIRef, quads: Sequence[ox.Quad]) -> None:
        store_url = self.endpoint.graph_store or ""
        sep = "&" if "?" in store_url else "?"
        url = f"{store_url}{sep}graph={urllib.parse.quote(str(graph), safe='')}"
        self.client.send("PUT", url, body=_ntriples(quads), content_type="application/n-triples")

    def send(self, graph: URIRef, quads: Sequence[ox.Quad]) -> None:
        """Replace ``graph`` on the server by ``quads``; idempotent, so it may be retried."""
        if self.endpoint.method is Method.GRAPH_STORE:
            self._put(graph, quads)
            return
        if len(quads) <= self.options.chunk_size:
            self._update(f"DROP SILENT GRAPH {_iri(graph)} ;\n{_insert(graph, quads)}")
            return
        tmp = temp_graph(graph)
        for i, chunk in enumerate(_chunks(quads, self.options.chunk_size)):
            drop = f"DROP SILENT GRAPH {_iri(tmp)} ;\n" if i == 0 else ""
            self._update(drop + _insert(tmp, chunk))
        self._update(f"MOVE GRAPH {_iri(tmp)} TO GRAPH {_iri(graph)}")

    def drop_temp(self, graph: URIRef) -> None:
        """Remove what an interrupted push may have left of ``graph``'s temporary graph."""
        if self.endpoint.method is Method.UPDATE:
            self._update(f"DROP SILENT GRAPH {_iri(temp_graph(graph))}")


# -- the push ----------------------------------------------------------------------------------


def compare(
    store: Store, client: HttpClient, endpoint: Endpoint, *, retry: RetryPolicy
) -> list[GraphState]:
    """Every named graph of the store with its triple count here and on the server."""
    graphs = store.graph_names()
    remote = server_counts(client, endpoint, graphs, retry=retry)
    return [GraphState(g, store.count(g), remote.get(g, 0)) for g in graphs]


def _stopped(why: str, *, done: list[URIRef], todo: Sequence[URIRef]) -> PushError:
    total = len(done) + len(todo)
    message = (
        f"{why}; {len(done)} of {total} graphs arrived, {len(todo)} not pushed"
        " (run 'kg push' again to finish)"
    )
    return PushError(message, pushed=done, not_pushed=todo)


def push(
    store: Store,
    endpoint: Endpoint,
    *,
    credentials: Credentials | None = None,
    options: PushOptions | None = None,
    progress: Progress | None = None,
) -> PushReport:
    """Copy every named graph of ``store`` to ``endpoint`` and check each arrived whole."""
    options = options or PushOptions()
    client = HttpClient(credentials=credentials, timeout=options.timeout)
    say = progress or (lambda _: None)
    where = safe_url(endpoint.query)
    try:
        states = compare(store, client, endpoint, retry=options.retry)
    except HttpFailure as exc:
        raise _stopped(
            f"cannot count the graphs on the server: {exc}",
            done=[],
            todo=store.graph_names(),
        ) from None
    sender = _Sender(client, endpoint, options)
    done: list[URIRef] = []
    skipped: list[URIRef] = []
    sent = 0
    for i, state in enumerate(states, 1):
        try:
            if endpoint.method is Method.UPDATE and state.in_store > options.chunk_size:
                with_retries(partial(sender.drop_temp, state.graph), policy=options.retry)
        except HttpFailure as exc:
            raise _stopped(str(exc), done=done, todo=[s.graph for s in states[i - 1 :]]) from None
        if options.skip_same_count and state.same_count:
            skipped.append(state.graph)
            done.append(state.graph)
            say(f"[{i}/{len(states)}] {state.graph}: {state.in_store} triples, already there")
            continue
        quads = list(store.quads(state.graph))
        say(f"[{i}/{len(states)}] {state.graph}: {len(quads)} triples")

        def retrying(exc: HttpFailure, delay: float) -> None:
            say(f"  {exc}; trying again in {delay:g} s")

        try:
            with_retries(
                partial(sender.send, state.graph, quads), policy=options.retry, on_retry=retrying
            )
        except HttpFailure as exc:
            todo = [s.graph for s in states[i - 1 :]]
            raise _stopped(str(exc), done=done, todo=todo) from None
        done.append(state.graph)
        sent += len(quads)
    try:
        after = server_counts(client, endpoint, [s.graph for s in states], retry=options.retry)
    except HttpFailure as exc:
        raise PushError(
            f"all {len(states)} graphs sent, but counting them on the server failed: {exc}",
            pushed=[],
            not_pushed=[s.graph for s in states],
        ) from None
    wrong = [s for s in states if after.get(s.graph, 0) != s.in_store]
    if wrong:
        first = wrong[0]
        raise PushError(
            f"{where}: {len(wrong)} graphs did not arrive whole, e.g. {first.graph}:"
            f" {first.in_store} triples in the store, {after.get(first.graph, 0)} on the server",
            pushed=[s.graph for s in states if s not in wrong],
            not_pushed=[s.graph for s in wrong],
        )
    return PushReport(
        endpoint=where,
        pushed=[g for g in done if g not in skipped],
        skipped=skipped,
        triples=sent,
        states=[GraphState(s.graph, s.in_store, after.get(s.graph, 0)) for s in states],
    )
