"""aikg: a knowledge-graph toolkit for the AI-infrastructure economy.

The Python API (docs/api.md), imported when first used so that ``import kg`` and ``kg --help``
stay light::

    import kg
    ds = kg.open("build/store")
    ds.query("deals-of-firm", firm="nvidia").to_pandas()
"""

from __future__ import annotations

import importlib
import types
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


class CallableFolder(types.ModuleType):
    """The capability folders ``kg.build`` and ``kg.extract`` share their names with the API's
    ``kg.build()`` and ``kg.extract()``: once a folder is imported it is the attribute, so the
    folder itself calls the API's function of its name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("kg.api")
        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)
