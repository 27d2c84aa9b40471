"""``kg serve``'s WSGI application: routes a request to a job for the worker pool, and answers.

* ``/sparql``: the SPARQL 1.1 Protocol, GET or POST (form or ``application/sparql-query``);
  updates are refused with 403, ``SERVICE`` to endpoints the operator did not allow too;
* ``/api/<template>?param=value[&lang=zh-Hant]``: the templates' answers (labels, readable
  figures, IRIs beside them) as a JSON (or CSV: ``Accept: text/csv`` or ``?format=csv``; the
  raw SPARQL JSON results: ``?format=sparql-json``) API; ``/api`` lists them;
  ``/openapi.json`` describes them;
* ``/store?graph=IRI`` (or ``?default``): the Graph Store Protocol, read only;
* the explorer's pages (``/``, ``/firm/...``, ``/templates/...`` ...).

Every query, template and page runs in the worker pool (:mod:`kg.server.pool`), under the time
and row limits. Every answer carries the security headers
(:data:`kg.server.explorer.web.SECURITY_HEADERS`); every request is one line of the access log
(the ``kg.server.access`` logger). The HTTP framing itself (request lines, headers,
``Content-Length``, chunked bodies, size limits, idle connections) is the server library's
(:mod:`kg.server.serve`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from kg.server.explorer import is_page
from kg.server.explorer.web import SECURITY_HEADERS, Request, query_params, status_line
from kg.server.jobs import Answer, GraphJob, Job, PageJob, QueryJob, TemplateJob
from kg.server.pool import QueryTimeout, WorkerPool

__all__ = ["ACCESS_LOG", "Api", "StartResponse"]

#: one line per request, in the Common Log Format followed by the seconds taken
ACCESS_LOG = logging.getLogger("kg.server.access")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

_TEXT = "text/plain; charset=utf-8"
_READ_ONLY = "this server is read-only: only GET and HEAD here (and POST at /sparql)"


def _text(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, _TEXT, (message + "\n").encode("utf-8"), headers=headers)


@dataclass
class Api:
    """The WSGI application over ``pool``; ``catalogue`` and ``openapi`` are read once."""

    pool: WorkerPool
    catalogue: Mapping[str, Any]
    openapi: bytes
    log: logging.Logger = field(default=ACCESS_LOG)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.monotonic()
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        try:
            answer = self.answer(environ)
        except Exception:  # an answer must never take the server down; the trace goes to the log
            logging.getLogger("kg.server").exception("the request failed")
            answer = _text(500, "the server failed on this request; its log says why")
        headers = {
            "Content-Type": answer.content_type,
            "Content-Length": str(len(answer.body)),
            "Vary": "Accept",
            **SECURITY_HEADERS,
            **answer.headers,
        }
        if answer.truncated:
            headers["X-Result-Truncated"] = "true"
        start_response(status_line(answer.status), list(headers.items()))
        self._log(environ, answer, time.monotonic() - started)
        return [b""] if method == "HEAD" else [answer.body]

    def _log(self, environ: Mapping[str, Any], answer: Answer, seconds: float) -> None:
        if not self.log.isEnabledFor(logging.INFO):
            return
        target = str(environ.get("PATH_INFO", ""))
        if environ.get("QUERY_STRING"):
            target += "?" + str(environ["QUERY_STRING"])
        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        self.log.info(
            '%s - - [%s] "%s %s %s" %d %d %.3f',
            environ.get("REMOTE_ADDR", "-"),
            when,
            environ.get("REQUEST_METHOD", "-"),
            target[:2000],
            environ.get("SERVER_PROTOCOL", "-"),
            answer.status,
            len(answer.body),
            seconds,
        )

    # -- routing -------------------------------------------------------------------------------
    def answer(self, environ: Mapping[str, Any]) -> Answer:
        request = Request.from_environ(environ)
        path, method = request.path, request.method
        accept = str(environ.get("HTTP_ACCEPT", ""))
        if method == "POST" and path == "/sparql":
            return self._post_sparql(environ, request)
        if method not in ("GET", "HEAD"):
            allow = "GET, HEAD, POST" if path == "/sparql" else "GET, HEAD"
            return _text(HTTPStatus.METHOD_NOT_ALLOWED, _READ_ONLY, Allow=allow)
        params = dict(request.query)
        if path == "/sparql":
            return self._sparql(params, None, accept)
        if path == "/api" or path.startswith("/api/"):
            return self._api(
                path[len("/api/") :].strip("/") if path != "/api" else "", params, accept
            )
        if path == "/openapi.json":
            return Answer(200, "application/json", self.openapi)
        if path == "/store":
            return self._store(params, accept)
        if path == "/" and "text/html" not in accept:
            index = {
                "sparql": "/sparql",
                "api": "/api",
                "openapi": "/openapi.json",
                "explorer": "/",
            }
            return Answer(200, "application/json", json.dumps(index).encode("utf-8"))
        if is_page(path):
            return self._run(PageJob(request))
        return _text(HTTPStatus.NOT_FOUND, f"nothing at {path}: see /openapi.json")

    def _run(self, job: Job) -> Answer:
        try:
            answer = self.pool.run(job)
        except QueryTimeout as exc:
            return _text(HTTPStatus.GATEWAY_TIMEOUT, str(exc))
        except RuntimeError as exc:
            return _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        content_type = answer.content_type
        if content_type.startswith("text/") and "charset" not in content_type:
            content_type += "; charset=utf-8"
        return Answer(answer.status, content_type, answer.body, answer.truncated, answer.headers)

    # -- the endpoints ---------------------------------------------------------------------------
    def _post_sparql(self, environ: Mapping[str, Any], request: Request) -> Answer:
        stream = environ.get("wsgi.input")
        body = stream.read() if stream is not None else b""  # the server bounds its size
        media = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
        params = dict(request.query)
        accept = str(environ.get("HTTP_ACCEPT", ""))
        if media == "application/sparql-update":
            return _text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        if media == "application/sparql-query":
            return self._sparql(params, body.decode("utf-8", errors="replace"), accept)
        if media == "application/x-www-form-urlencoded":
            for key, values in query_params(body.decode("latin-1")).items():
                params.setdefault(key, []).extend(values)
            return self._sparql(params, None, accept)
        return _text(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            f"cannot read a body of type {media or 'none'!r}: send application/sparql-query "
            "or an HTML form (application/x-www-form-urlencoded)",
        )

    def _sparql(self, params: dict[str, list[str]], posted: str | None, accept: str) -> Answer:
        if "update" in params:
            return _text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")
        queries = params.get("query", [])
        if posted:
            queries = [posted, *queries]
        if len(queries) != 1:
            return _text(HTTPStatus.BAD_REQUEST, "give exactly one query: /sparql?query=...")
        return self._run(QueryJob(queries[0], accept))

    def _api(self, name: str, params: dict[str, list[str]], accept: str) -> Answer:
        if not name:
            listing = {
                n: {
                    "summary": t.summary,
                    "parameters": [p.name for p in t.parameters],
                    "url": f"/api/{n}",
                }
                for n, t in self.catalogue.items()
            }
            body = json.dumps(listing, ensure_ascii=False, indent=1).encode("utf-8")
            return Answer(200, "application/json", body)
        if name not in self.catalogue:
            return _text(HTTPStatus.NOT_FOUND, f"no template '{name}' (see /api)")
        repeated = [k for k, v in params.items() if len(v) > 1]
        if repeated:
            return _text(HTTPStatus.BAD_REQUEST, f"query parameter '{repeated[0]}' given twice")
        fmt = params.pop("format", [""])[0]
        lang = params.pop("lang", ["en"])[0]
        given = {k: v[0] for k, v in params.items()}
        return self._run(TemplateJob(name, given, accept, fmt, lang))

    def _store(self, params: dict[str, list[str]], accept: str) -> Answer:
        graphs = params.get("graph", [])
        if "default" in params and not graphs:
            return self._run(GraphJob(None, accept))
        if len(graphs) == 1:
            return self._run(GraphJob(graphs[0], accept))
        return _text(HTTPStatus.BAD_REQUEST, "give one 'graph=IRI' or 'default': /store?graph=...")
