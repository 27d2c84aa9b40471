"""Parse each SPARQL query text once: a caching query processor for rdflib.

pyshacl evaluates a SPARQL-based constraint once per focus node, always with the same query text
and the focus node pre-bound (``initBindings``). rdflib parses and translates the text on every
call, which costs far more than evaluating it. :func:`install` registers, as rdflib's ``sparql``
query processor, a subclass of rdflib's own that keeps the translated algebra of the last few
hundred texts; the algebra is what :func:`rdflib.plugins.sparql.prepareQuery` returns, made to be
evaluated many times with different bindings, so results are unchanged. A text that relies on
the graph's own namespace bindings for its prefixes is parsed every time, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from rdflib import plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

__all__ = ["CachingSPARQLProcessor", "install"]


@functools.lru_cache(maxsize=512)
def _translated(text: str, base: str | None) -> Query | None:
    """The algebra of a query that declares every prefix it uses, else None."""
    try:
        return translateQuery(parseQuery(text), base, None)
    except Exception:  # an undeclared prefix (or a syntax error: rdflib will say which)
        return None


class CachingSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each distinct query text once."""

    def query(  # type: ignore[override]
        self,
        # rdflib's parameter names, kept so that keyword callers still work
        strOrQuery: str | Query,
        initBindings: Mapping[str, Identifier] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            # Graph.query passes the graph's namespaces as initNs: they only resolve prefixes the
            # text does not declare, so a text that declares its own is translated once.
            strOrQuery = _translated(strOrQuery, base) or strOrQuery
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


_installed = False


def install() -> None:
    """Make :class:`CachingSPARQLProcessor` rdflib's ``sparql`` processor (idempotent)."""
    global _installed
    if not _installed:
        plugin.register("sparql", Processor, "kg.validate.sparql_cache", "CachingSPARQLProcessor")
        _installed = True
