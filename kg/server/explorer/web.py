"""The explorer's view of HTTP: a small request and response, and a WSGI adapter around them.

``kg serve`` (or any server) hands the explorer a ``Request`` and writes back the ``Response``;
``wsgi_app`` does the same for a WSGI server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

__all__ = ["SECURITY_HEADERS", "Request", "Response", "query_params", "status_line", "wsgi_app"]

#: sent with every page: no scripts at all, styles and images only from here (and inline SVG)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def status_line(status: int) -> str:
    """``200 OK``, ``404 Not Found`` ...

    >>> status_line(504)
    '504 Gateway Timeout'
    """
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def query_params(raw: str) -> dict[str, list[str]]:
    """The parameters of a query string as WSGI gives it (PEP 3333: latin-1 text holding the
    bytes sent): percent-escapes and raw bytes alike are read as UTF-8.

    >>> query_params("q=%E8%BC%9D%E9%81%94&lang=zh-Hant")
    {'q': ['輝達'], 'lang': ['zh-Hant']}
    >>> query_params("輝達".encode().decode("latin-1").join(["q=", ""]))
    {'q': ['輝達']}
    """
    data = raw.encode("latin-1", "replace")
    escaped = "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in data)
    return parse_qs(escaped, keep_blank_values=True, encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Request:
    """A GET or HEAD request: its path (decoded, without the query) and its query parameters."""

    path: str
    query: Mapping[str, list[str]] = field(default_factory=dict)
    method: str = "GET"

    def param(self, name: str, default: str = "") -> str:
        """The first value of query parameter ``name``, stripped, or ``default``."""
        values = self.query.get(name)
        return values[0].strip() if values else default

    @classmethod
    def from_target(cls, target: str, *, method: str = "GET") -> Request:
        """A request for ``/path?query`` (the path percent-decoded)."""
        from urllib.parse import unquote

        path, _, query = target.partition("?")
        return cls(path=unquote(path), query=parse_qs(query, keep_blank_values=True), method=method)

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any]) -> Request:
        """The request of a WSGI ``environ``; path and parameters read as UTF-8."""
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        # PEP 3333: PATH_INFO arrives as latin-1 text holding the original bytes
        raw_path = str(environ.get("PATH_INFO", "/"))
        path = raw_path.encode("latin-1", "replace").decode("utf-8", "replace")
        query = query_params(str(environ.get("QUERY_STRING", "")))
        return cls(path=path, query=query, method=method)


@dataclass(frozen=True)
class Response:
    """What the explorer answers: a status, a content type, a body and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def status_line(self) -> str:
        return status_line(self.status)

    def extra_headers(self) -> dict[str, str]:
        """The headers besides Content-Type and Content-Length (security headers included)."""
        return {**SECURITY_HEADERS, **self.headers}

    def header_list(self) -> list[tuple[str, str]]:
        """Every header to send, the security headers included."""
        out = {"Content-Type": self.content_type, "Content-Length": str(len(self.body))}
        out.update(SECURITY_HEADERS)
        out.update(self.headers)
        return list(out.items())


Handler = Callable[[Request], Response]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def wsgi_app(handler: Handler) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI application that answers every request with ``handler``."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        method = request.method
        if method not in ("GET", "HEAD"):
            response = Response(
                405, b"only GET and HEAD", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"}
            )
        else:
            response = handler(request)
        start_response(response.status_line, response.header_list())
        return [b""] if method == "HEAD" else [response.body]

    return application
