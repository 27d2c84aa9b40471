"""The explorer's view of HTTP: a small request and response, and a WSGI adapter around them.

``kg serve`` (or any server) hands the explorer a ``Request`` and writes back the ``Response``;
``wsgi_app`` does the same for a WSGI server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

__all__ = ["SECURITY_HEADERS", "Request", "Response", "wsgi_app"]

#: sent with every page: no scripts at all, styles and images only from here (and inline SVG)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


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


@dataclass(frozen=True)
class Response:
    """What the explorer answers: a status, a content type, a body and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS.get(self.status, 'Unknown')}"

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
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        raw_path = str(environ.get("PATH_INFO", "/"))
        # PEP 3333: PATH_INFO arrives as latin-1 text holding the original bytes
        path = raw_path.encode("latin-1").decode("utf-8", "replace")
        query = parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
        if method not in ("GET", "HEAD"):
            response = Response(
                405, b"only GET and HEAD", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"}
            )
        else:
            response = handler(Request(path=path, query=query, method=method))
        start_response(response.status_line, response.header_list())
        return [b""] if method == "HEAD" else [response.body]

    return application
