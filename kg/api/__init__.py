"""The Python API: ``kg.open(store)`` gives a :class:`Dataset` to query (labelled rows that
become DataFrames), validate, link, reason over and export; ``kg.build`` and ``kg.extract``
make one. Each calls what the ``kg`` verb of the same name calls. docs/api.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api.dataset import Dataset, build, extract, open, write_drafts
    from kg.api.rows import Answer, Rows

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "Answer": "rows",
    "Dataset": "dataset",
    "Rows": "rows",
    "build": "dataset",
    "extract": "dataset",
    "open": "dataset",
    "write_drafts": "dataset",
}
__all__ = ["Answer", "Dataset", "Rows", "build", "extract", "open", "write_drafts"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
