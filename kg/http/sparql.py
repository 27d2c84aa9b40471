"""SPARQL 1.1 Protocol queries to a remote endpoint: SPARQLWrapper builds each request (an HTML
form sent with POST, the ``Accept`` header for the result format the query form calls for) and
reads the answer (SPARQL JSON into a dict, XML, Turtle ...); the project's one HTTP client
(:class:`kg.http.client.HttpClient`) sends it, under the project's one retry policy
(:func:`kg.http.client.with_retries`: transient failures tried again, ``Retry-After``
honoured), with its time limit, User-Agent and credentials.

``kg query --endpoint``, the Wikidata register and ``kg push``'s counts use it; SPARQL Update
and the Graph Store Protocol (``kg push``) go through the HTTP client directly.

>>> endpoint = SparqlEndpoint("http://127.0.0.1:7878/query")
>>> request = endpoint.request("SELECT * WHERE { ?s ?p ?o } LIMIT 1", fmt="json")
>>> request.get_method(), request.get_header("Content-type")
('POST', 'application/x-www-form-urlencoded')
>>> "application/sparql-results+json" in request.get_header("Accept")
True
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from typing import Any

from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.Wrapper import QueryResult

from kg.http.client import HttpClient, HttpFailure, Reply, RetryPolicy, with_retries

__all__ = ["FORMATS", "SparqlEndpoint"]

#: the result formats asked for: SPARQL JSON (SELECT, ASK), Turtle (CONSTRUCT, DESCRIBE)
FORMATS = {"json": JSON, "turtle": TURTLE}


class _Protocol(SPARQLWrapper):
    """SPARQLWrapper whose requests go through the project's HTTP client and retry policy
    (SPARQLWrapper's own transport is urllib without retries)."""

    def __init__(self, endpoint: str, *, send: Callable[[urllib.request.Request], Reply]) -> None:
        super().__init__(endpoint)
        self._send = send

    def _query(self) -> tuple[Any, str]:  # a Reply reads as the urllib response it replaces
        return self._send(self._createRequest()), self.returnFormat

    def _cleanComments(self, query: str) -> str:
        """The query without its comment lines, all of them. SPARQLWrapper's own pattern takes
        the line break that ends a comment, so of a run of comment lines only every other one
        goes; the query form is then the first keyword found, comments included: a SELECT whose
        comment said a server "drops" a branch was sent as a DROP update."""
        return "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))


class SparqlEndpoint:
    """One SPARQL 1.1 Query endpoint. :meth:`select` and :meth:`graph_text` raise
    :class:`kg.http.client.HttpFailure` when the endpoint cannot be reached or refuses, after
    ``policy.tries`` tries."""

    def __init__(
        self,
        url: str,
        *,
        client: HttpClient | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_request: Callable[[], None] | None = None,
    ) -> None:
        self.url = url
        self.client = client if client is not None else HttpClient()
        self.policy = policy if policy is not None else RetryPolicy()
        self.sleep = sleep
        self.on_request = on_request

    def _wrapper(self, query: str, fmt: str) -> _Protocol:
        wrapper = _Protocol(self.url, send=self._send)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setReturnFormat(FORMATS[fmt])
        wrapper.agent = self.client.user_agent
        wrapper.setQuery(query)
        return wrapper

    def request(self, query: str, *, fmt: str) -> urllib.request.Request:
        """The protocol request SPARQLWrapper builds for ``query`` (``fmt``: json or turtle)."""
        return self._wrapper(query, fmt)._createRequest()

    def _send(self, request: urllib.request.Request) -> Reply:
        def once() -> Reply:
            if self.on_request is not None:
                self.on_request()
            return self.client.open(request)

        return with_retries(once, policy=self.policy, sleep=self.sleep)

    def _answer(self, query: str, fmt: str) -> Any:
        result: QueryResult = self._wrapper(query, fmt).query()
        try:
            return result.convert()
        except (ValueError, TypeError) as exc:  # a body that does not parse as its type says
            raise HttpFailure(f"{self.url}: unreadable answer ({exc})", transient=False) from exc

    def select(self, query: str) -> dict[str, Any]:
        """The SPARQL JSON results of a SELECT or ASK query, as a dict."""
        answer = self._answer(query, "json")
        if not isinstance(answer, dict):
            raise HttpFailure(f"{self.url}: the answer is not SPARQL JSON results", transient=False)
        return answer

    def graph_text(self, query: str) -> bytes:
        """The Turtle answer to a CONSTRUCT or DESCRIBE query."""
        answer = self._answer(query, "turtle")
        if isinstance(answer, str):
            return answer.encode("utf-8")
        if not isinstance(answer, bytes):
            raise HttpFailure(f"{self.url}: the answer is not Turtle", transient=False)
        return answer
