"""aikg: a knowledge-graph toolkit for the AI-infrastructure economy.

The Python API (docs/api.md), imported when first used so that ``import kg`` and ``kg --help``
stay light::

    import kg
    ds = kg.open("build/store")
    ds.query("deals-of-firm", firm="nvidia").to_pandas()
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api import Dataset, Rows, build, extract, open

__all__ = ["Dataset", "Rows", "__version__", "build", "extract", "open"]

#: the API's names, from kg.api (imported on first use: it brings rdflib and pyoxigraph)
_API = frozenset({"Dataset", "Rows", "build", "extract", "open"})

try:
    __version__ = version("aikg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module("kg.api"), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
