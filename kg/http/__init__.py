"""One HTTP client for everything that talks to a server (push, SPARQL endpoints,
Wikidata): retries that honour ``Retry-After``, authentication, timeouts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.http.client import (
        AuthScheme,
        Credentials,
        HttpClient,
        HttpFailure,
        RetryPolicy,
        safe_url,
        with_retries,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "AuthScheme": "client",
    "Credentials": "client",
    "HttpClient": "client",
    "HttpFailure": "client",
    "RetryPolicy": "client",
    "safe_url": "client",
    "with_retries": "client",
}
__all__ = [
    "AuthScheme",
    "Credentials",
    "HttpClient",
    "HttpFailure",
    "RetryPolicy",
    "safe_url",
    "with_retries",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
