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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api import Dataset, Rows, build, extract, open

    __version__: str

__all__ = ["Dataset", "Rows", "__version__", "build", "extract", "open"]

#: the API's names, from kg.api (imported on first use: it brings rdflib and pyoxigraph)
_API = frozenset({"Dataset", "Rows", "build", "extract", "open"})


def __getattr__(name: str) -> Any:
    """The API's names (from kg.api), and ``__version__``, read from the installed package's
    metadata when first asked for (not at every start of ``kg``: importlib.metadata costs more
    than a small command's work)."""
    if name in _API:
        return getattr(importlib.import_module("kg.api"), name)
    if name != "__version__":
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("aikg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found


class CallableFolder(types.ModuleType):
    """The capability folders ``kg.build`` and ``kg.extract`` share their names with the API's
    ``kg.build()`` and ``kg.extract()``: once a folder is imported it is the attribute, so the
    folder itself calls the API's function of its name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("kg.api")
        return getattr(api, self.__name__.rsplit(".", 1)[1])(*args, **kwargs)
