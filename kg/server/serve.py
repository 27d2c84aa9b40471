"""``kg serve``: the store over HTTP (stdlib ``ThreadingHTTPServer``), read-only.

* ``/sparql``: the SPARQL 1.1 Protocol, GET or POST (form or ``application/sparql-query``);
  updates are refused with 403; each query has a time limit (504 past it) and a row limit (the
  answer is cut and says so in the ``X-Result-Truncated`` header);
* ``/api/<template>?param=value``: the query templates as a JSON API, parameters checked as
  ``kg query`` checks them (400 on a bad value); ``/api`` lists them;
* ``/openapi.json``: the OpenAPI 3 description, generated from the template catalogue;
* ``/store?graph=IRI`` (or ``?default``): the Graph Store Protocol for reading a graph, as
  Turtle, N-Triples, N-Quads or RDF/XML by content negotiation.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg import __version__
from kg.query.templates import load_catalogue
from kg.server.explorer import Request as PageRequest
from kg.server.explorer import Response as PageResponse
from kg.server.explorer import is_page, mount
from kg.server.jobs import Answer, GraphJob, Job, QueryJob, TemplateJob
from kg.server.openapi import openapi
from kg.server.pool import QueryTimeout, WorkerPool

__all__ = ["MAX_BODY", "StoreServer", "make_server"]

#: the largest request body accepted, in bytes
MAX_BODY = 1_000_000


class StoreServer(ThreadingHTTPServer):
    """The HTTP server; ``pool`` answers the jobs, ``catalogue`` is read once at start."""

    daemon_threads = True
    #: answers the explorer's pages (set by ``make_server``)
    explorer: Callable[[PageRequest], PageResponse]

    def __init__(self, address: tuple[str, int], *, pool: WorkerPool) -> None:
        super().__init__(address, _Handler)
        self.pool = pool
        self.catalogue = load_catalogue()
        self.openapi = json.dumps(openapi(self.catalogue, version=__version__), indent=1).encode()

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def make_server(
    store: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    time_limit: float = 30.0,
    row_limit: int = 10_000,
    workers: int = 2,
    corpus_dir: Path | None = None,
) -> StoreServer:
    """A server on ``host:port`` (port 0: a free one) over the store in folder ``store``;
    the explorer's pages (``kg.server.explorer``) show article texts from ``corpus_dir``."""
    pool = WorkerPool(store, size=workers, time_limit=time_limit, row_limit=row_limit)
    try:
        server = StoreServer((host, port), pool=pool)
        server.explorer = mount(store, corpus_dir)
        return server
    except BaseException:
        pool.close()
        raise


class _Handler(BaseHTTPRequestHandler):
    server: StoreServer
    protocol_version = "HTTP/1.1"
    server_version = f"aikg/{__version__}"

    def log_message(self, format: str, *args: Any) -> None:
        del format, args  # quiet: the command prints one line per request itself if asked

    # -- answering ---------------------------------------------------------------------------
    def _send(
        self, status: int, content_type: str, body: bytes, *, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _json(self, data: object) -> None:
        body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        self._send(200, "application/json", body)

    def _run(self, job: Job) -> None:
        try:
            answer: Answer = self.server.pool.run(job)
        except QueryTimeout as exc:
            self._text(HTTPStatus.GATEWAY_TIMEOUT, str(exc))
            return
        except RuntimeError as exc:
            self._text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
            return
        extra = {"X-Result-Truncated": "true"} if answer.truncated else None
        content_type = answer.content_type
        if content_type.startswith("text/") and "charset" not in content_type:
            content_type += "; charset=utf-8"
        self._send(answer.status, content_type, answer.body, extra=extra)

    # -- reading the request -----------------------------------------------------------------
    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BODY} bytes")
            return None
        return self.rfile.read(length) if length else b""

    def _query_from_post(self, params: dict[str, list[str]]) -> str | None:
        body = self._body()
        if body is None:
            return None
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            self._text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return None
        if media == "application/sparql-query":
            return body.decode("utf-8", errors="replace")
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", errors="replace"))
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            return ""
        self._text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read a body of type {media!r}")
        return None

    def _sparql(self, params: dict[str, list[str]], posted: str | None) -> None:
        if "update" in params:
            self._text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
            return
        queries = params.get("query", [])
        if posted:
            queries = [posted, *queries]
        if len(queries) != 1:
            self._text(HTTPStatus.BAD_REQUEST, "give exactly one 'query'")
            return
        self._run(QueryJob(queries[0], self.headers.get("Accept") or ""))

    def _api(self, name: str, params: dict[str, list[str]]) -> None:
        if not name:
            self._json(
                {
                    n: {
                        "summary": t.summary,
                        "parameters": [p.name for p in t.parameters],
                        "url": f"/api/{n}",
                    }
                    for n, t in self.server.catalogue.items()
                }
            )
            return
        if name not in self.server.catalogue:
            self._text(HTTPStatus.NOT_FOUND, f"no template '{name}' (see /api)")
            return
        repeated = [k for k, v in params.items() if len(v) > 1]
        if repeated:
            self._text(HTTPStatus.BAD_REQUEST, f"parameter '{repeated[0]}' given twice")
            return
        self._run(TemplateJob(name, {k: v[0] for k, v in params.items()}))

    def _store(self, params: dict[str, list[str]]) -> None:
        graphs = params.get("graph", [])
        accept = self.headers.get("Accept") or ""
        if "default" in params and not graphs:
            self._run(GraphJob(None, accept))
        elif len(graphs) == 1:
            self._run(GraphJob(graphs[0], accept))
        else:
            self._text(HTTPStatus.BAD_REQUEST, "give one 'graph=IRI' or 'default'")

    def _route(self, posted: str | None, params: dict[str, list[str]]) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == "/sparql":
            self._sparql(params, posted)
        elif path == "/api" or path.startswith("/api/"):
            self._api(path[len("/api/") :].strip("/") if path != "/api" else "", params)
        elif path == "/openapi.json":
            self._send(200, "application/json", self.server.openapi)
        elif path == "/store":
            self._store(params)
        elif path == "/" and "text/html" not in self.headers.get("Accept", ""):
            self._json({"sparql": "/sparql", "api": "/api", "openapi": "/openapi.json"})
        elif is_page(path):  # the explorer's HTML pages
            page = self.server.explorer(PageRequest.from_target(self.path, method=self.command))
            self._send(page.status, page.content_type, page.body, extra=page.extra_headers())
        else:
            self._text(HTTPStatus.NOT_FOUND, "not here: see /openapi.json")

    def _params(self) -> dict[str, list[str]]:
        query = urllib.parse.urlsplit(self.path).query
        return urllib.parse.parse_qs(query, keep_blank_values=True)

    def do_GET(self) -> None:
        self._route(None, self._params())

    def do_HEAD(self) -> None:
        self._route(None, self._params())

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path != "/sparql":
            self._body()
            self._text(HTTPStatus.METHOD_NOT_ALLOWED, "read-only: only /sparql takes POST")
            return
        params = self._params()
        posted = self._query_from_post(params)
        if posted is None:
            return
        self._sparql(params, posted or None)

    def _read_only(self) -> None:
        self._body()
        self._text(HTTPStatus.METHOD_NOT_ALLOWED, "this server is read-only")

    do_PUT = _read_only
    do_DELETE = _read_only
    do_PATCH = _read_only
