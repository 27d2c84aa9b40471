"""``kg push``: the store's graphs copied to a SPARQL 1.1 server, graph by graph, and checked."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.push.copy import (
        Endpoint,
        GraphState,
        Method,
        PushError,
        PushOptions,
        PushReport,
        compare,
        push,
        server_counts,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "Endpoint": "copy",
    "GraphState": "copy",
    "Method": "copy",
    "PushError": "copy",
    "PushOptions": "copy",
    "PushReport": "copy",
    "compare": "copy",
    "push": "copy",
    "server_counts": "copy",
}
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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
