"""``kg serve``: the store over HTTP, read-only, served by waitress.

The HTTP framing is waitress's (a pure-Python WSGI server, no dependencies of its own): it
reads each request whole in its I/O loop before a worker thread sees it, so a client that
sends half a request holds no thread and is cut off after ``channel_timeout`` seconds; it
answers a malformed request (``Content-Length: -1`` or ``abc``, a bad chunked body, a header
section past its size limit) with one 400 and closes the connection, a body over
:data:`MAX_BODY` with one 413, and decodes chunked bodies. The answers are
:class:`kg.server.app.Api`'s; waitress's own error answers get the same security headers.
See docs/stores.md for why waitress.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask
from waitress.utilities import BadRequest

from kg import __version__
from kg.query.templates import load_catalogue
from kg.server.app import Api
from kg.server.explorer.web import SECURITY_HEADERS
from kg.server.openapi import openapi
from kg.server.pool import WorkerPool

__all__ = ["IDLE_TIMEOUT", "MAX_BODY", "StoreServer", "make_server"]

#: the largest request body accepted, in bytes
MAX_BODY = 1_000_000
#: seconds a connection may stay idle, or keep a request half-sent, before it is closed
IDLE_TIMEOUT = 30


#: what a request target that is not ASCII is told (RFC 9112: the target is ASCII; waitress
#: refuses it rather than guess its encoding)
NOT_ASCII = (
    "the request target must be ASCII: percent-encode other characters as UTF-8, "
    "e.g. /search?q=%E8%BC%9D%E9%81%94 for 輝達"
)


class _ErrorTask(ErrorTask):
    """waitress's answer to a request it cannot read, with the security headers (and words
    for a target that is not ASCII)."""

    def execute(self) -> None:
        error = self.request.error
        if isinstance(error, BadRequest) and error.body == "Bad URI":
            self.request.error = BadRequest(NOT_ASCII)
        self.response_headers.extend(SECURITY_HEADERS.items())
        super().execute()


class _Channel(HTTPChannel):
    error_task_class = _ErrorTask


class StoreServer:
    """A running ``kg serve``: :meth:`serve_forever` in one thread, :meth:`shutdown` from
    another, then :meth:`server_close`."""

    def __init__(self, server: BaseWSGIServer, pool: WorkerPool, api: Api) -> None:
        self._server = server
        self.pool = pool
        self.api = api
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def server_address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._stopped.clear()
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and wait until it has."""
        from waitress import wasyncore

        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        self._stopped.wait(timeout=10)

    def server_close(self) -> None:
        from waitress import wasyncore

        if self._stopped.is_set():
            wasyncore.close_all(self._server._map)
        self.pool.close()


def make_server(
    store: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    time_limit: float = 30.0,
    row_limit: int = 10_000,
    workers: int = 2,
    corpus_dir: Path | None = None,
    allow_service: tuple[str, ...] = (),
    threads: int | None = None,
    idle_timeout: int = IDLE_TIMEOUT,
) -> StoreServer:
    """A server on ``host:port`` (port 0: a free one) over the store in folder ``store``:
    ``workers`` query processes, ``threads`` (default: one per worker, and two more for what
    needs no worker) answering HTTP; the explorer shows article texts from ``corpus_dir``;
    ``allow_service``: the endpoints a query's ``SERVICE`` may call (none by default)."""
    pool = WorkerPool(
        store,
        size=workers,
        time_limit=time_limit,
        row_limit=row_limit,
        allowed_services=tuple(allow_service),
        corpus_dir=corpus_dir,
    )
    try:
        catalogue = load_catalogue()
        document = json.dumps(openapi(catalogue, version=__version__), indent=1).encode()
        api = Api(pool=pool, catalogue=catalogue, openapi=document)
        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "threads": threads or workers + 2,
            "ident": f"aikg/{__version__}",
            "max_request_body_size": MAX_BODY,
            "max_request_header_size": 64 * 1024,
            "channel_timeout": idle_timeout,
            "cleanup_interval": max(1, min(30, idle_timeout // 2)),
            "connection_limit": 100,
            "expose_tracebacks": False,
            "clear_untrusted_proxy_headers": True,
        }
        server = create_server(api, **options)
        server.channel_class = _Channel
        return StoreServer(server, pool, api)
    except BaseException:
        pool.close()
        raise
