"""``kg serve``: the SPARQL 1.1 Protocol and the templates over HTTP (``serve``, ``jobs``,
``pool``, ``openapi``) and the explorer's pages (``explorer``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.server.serve import (
        MAX_BODY,
        StoreServer,
        make_server,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "MAX_BODY": "serve",
    "StoreServer": "serve",
    "make_server": "serve",
}
__all__ = [
    "MAX_BODY",
    "StoreServer",
    "make_server",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
