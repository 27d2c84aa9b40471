"""No outbound requests: the ``SERVICE`` endpoints a query would call, read from its algebra.

Oxigraph evaluates ``SERVICE <url> { ... }`` by sending the pattern to ``url``; a public
read-only endpoint must not fetch what a client names. The query is parsed and translated
to its algebra by rdflib (which expands ``\\u`` escapes first, as Oxigraph does, so
``\\u0053ERVICE`` is a ``SERVICE`` too), and every service pattern, at any depth (sub-selects,
``EXISTS``, ``OPTIONAL`` ...), must name an endpoint the operator allowed
(``kg serve --allow-service URL``); a variable endpoint is never allowed. A query rdflib cannot
read (syntax Oxigraph has and rdflib lacks) is refused if the word ``SERVICE`` appears in it at
all, escapes expanded; without that word it cannot call a service.

>>> check_services("SELECT * WHERE { ?s ?p ?o }", allowed=())
>>> try:
...     check_services("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", allowed=())
... except ServiceRefused as exc:
...     print(str(exc)[:44])
SERVICE <http://127.0.0.1:9/> is not allowed
>>> check_services("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
...                allowed=["http://127.0.0.1:9/"])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import URIRef

from kg.core.errors import InputError

__all__ = ["ServiceRefused", "check_services", "services"]


class ServiceRefused(InputError):
    """The query calls a SERVICE endpoint the operator did not allow."""


def _walk(node: Any) -> Iterator[object]:
    """The endpoint terms of every service pattern under ``node`` (an algebra tree)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                yield item.get("term")
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)


def services(query: str) -> list[object] | None:
    """The endpoints (IRIs, or variables) of the query's service patterns; None if rdflib
    cannot read the query."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(query))
    except Exception:  # rdflib raises many kinds of parse errors
        return None
    return list(_walk(algebra.algebra))


def _mentions_service(query: str) -> bool:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        text = expandUnicodeEscapes(query)
    except Exception:  # a broken escape: keep the raw text
        text = query
    return "service" in text.casefold()


def check_services(query: str, *, allowed: Iterable[str]) -> None:
    """Nothing if ``query`` calls no SERVICE endpoint outside ``allowed``; else
    :class:`ServiceRefused` naming the first one."""
    permitted = {str(a) for a in allowed}
    found = services(query)
    if found is None:
        if _mentions_service(query):
            raise ServiceRefused(
                "this query cannot be checked for SERVICE calls (the checker cannot read it) "
                "and mentions SERVICE: refused"
            )
        return
    for endpoint in found:
        if isinstance(endpoint, URIRef) and str(endpoint) in permitted:
            continue
        shown = f"<{endpoint}>" if isinstance(endpoint, URIRef) else f"?{endpoint}"
        raise ServiceRefused(
            f"SERVICE {shown} is not allowed: this server sends no request to another endpoint "
            "unless its operator allows it (kg serve --allow-service URL)"
        )
