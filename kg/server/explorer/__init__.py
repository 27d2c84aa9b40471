"""The explorer: server-rendered HTML pages over the store (no JavaScript needed).

``handle(site, request)`` answers one request (``kg serve`` delegates its page paths to it);
``app(store, corpus_dir)`` is the same as a WSGI application. Paths:

- ``/`` firms, deals and articles; ``/search?q=`` names in every script (輝達 finds NVIDIA)
- ``/firm/<slug>``, ``/deal/<slug>``, ``/article/<id>``, ``/node/<kind>/<slug>``
- ``/templates`` the catalogue; ``/templates/<name>?param=...[&format=csv|json]``
- ``/static/<file>`` the style sheet
Every page takes ``lang=zh-Hant`` for Traditional Chinese labels.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from kg.core.errors import InputError
from kg.core.iris import SLUG
from kg.server.explorer import pages
from kg.server.explorer.web import Request, Response, StartResponse, wsgi_app
from kg.store.embedded import Store

__all__ = [
    "PAGE_PREFIXES",
    "Request",
    "Response",
    "Site",
    "app",
    "handle",
    "is_page",
    "mount",
    "site",
]

Site = pages.Site

#: the paths the explorer answers (``kg serve`` sends these to ``handle``)
PAGE_PREFIXES = (
    "/firm/",
    "/deal/",
    "/article/",
    "/node/",
    "/templates",
    "/search",
    "/static/",
)

_STATIC_TYPES = {".css": "text/css; charset=utf-8"}


def is_page(path: str) -> bool:
    """Whether ``path`` is one of the explorer's."""
    return path == "/" or path.startswith(PAGE_PREFIXES)


def site(store: Store, corpus_dir: Path | None = None) -> Site:
    """What ``handle`` needs; ``corpus_dir`` defaults to ``$KG_CORPUS``."""
    if corpus_dir is None and os.environ.get("KG_CORPUS"):
        corpus_dir = Path(os.environ["KG_CORPUS"])
    return Site.create(store, corpus_dir)


def _static(name: str) -> Response | None:
    suffix = Path(name).suffix
    if "/" in name or name.startswith(".") or suffix not in _STATIC_TYPES:
        return None
    resource = resources.files("kg.server.explorer").joinpath("static").joinpath(name)
    if not resource.is_file():
        return None
    return Response(
        200,
        resource.read_bytes(),
        _STATIC_TYPES[suffix],
        {"Cache-Control": "max-age=3600"},
    )


def _route(s: Site, request: Request) -> Response:
    path = request.path
    parts = [p for p in path.split("/") if p]
    if path == "/":
        return pages.home(s, request)
    if parts == ["search"]:
        return pages.search(s, request)
    if parts == ["templates"]:
        return pages.catalogue(s, request)
    if len(parts) == 2 and parts[0] == "templates":
        return pages.template(s, request, parts[1])
    if len(parts) == 2 and parts[0] == "static":
        found = _static(parts[1])
        if found is not None:
            return found
    if len(parts) == 2 and SLUG.fullmatch(parts[1]):
        kind, slug = parts
        if kind == "firm":
            return pages.firm(s, request, slug)
        if kind == "deal":
            return pages.deal(s, request, slug)
        if kind == "article":
            return pages.article(s, request, slug)
    if len(parts) == 3 and parts[0] == "node" and parts[1].isalpha() and SLUG.fullmatch(parts[2]):
        return pages.node(s, request, parts[1], parts[2])
    return pages.not_found(s, request, f"nothing at {path}")


def handle(s: Site, request: Request) -> Response:
    """The explorer's answer to ``request``: a page, a download, or an error page."""
    try:
        return _route(s, request)
    except InputError as exc:
        return s.page("error.html", request, pages.links_for(request), status=400, message=str(exc))
    except Exception:  # a page must never take the server down; the trace goes to stderr
        traceback.print_exc(file=sys.stderr)
        return s.page(
            "error.html",
            request,
            pages.links_for(request),
            status=500,
            message="the page failed; the server's log says why",
        )


def app(
    store: Store, corpus_dir: Path | None = None
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The explorer as a WSGI application over ``store``."""
    s = site(store, corpus_dir)
    return wsgi_app(lambda request: handle(s, request))


def mount(store_dir: Path, corpus_dir: Path | None = None) -> Callable[[Request], Response]:
    """A handler for a server that owns no ``Store``: the store in ``store_dir`` is opened
    read-only on the first page asked for, and shared by later ones."""
    lock = threading.Lock()
    opened: list[Site] = []

    def handler(request: Request) -> Response:
        with lock:
            if not opened:
                opened.append(site(Store.open(store_dir, read_only=True), corpus_dir))
        return handle(opened[0], request)

    return handler
