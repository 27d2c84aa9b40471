"""Building the dataset: record files mapped in parallel and bulk-loaded (``bulk``,
``dataset``), one article added or replaced in place (``update``), and the graph of conflicting
reports derived from the article graphs (``conflicts``).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from kg import CallableFolder

if TYPE_CHECKING:
    from kg.build.bulk import (
        MappedRecord,
        MappedRecords,
        map_files,
        worker_count,
    )
    from kg.build.dataset import (
        BuildSummary,
        Progress,
        Validator,
        build_dataset,
        map_records,
        read_reference_files,
    )
    from kg.build.derived import derive_all
    from kg.build.update import (
        GraphValidator,
        UpdateSummary,
        shacl_validator,
        update_record,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "BuildSummary": "dataset",
    "GraphValidator": "update",
    "MappedRecord": "bulk",
    "MappedRecords": "bulk",
    "Progress": "dataset",
    "UpdateSummary": "update",
    "Validator": "dataset",
    "build_dataset": "dataset",
    "derive_all": "derived",
    "map_files": "bulk",
    "map_records": "dataset",
    "read_reference_files": "dataset",
    "shacl_validator": "update",
    "update_record": "update",
    "worker_count": "bulk",
}
__all__ = [
    "BuildSummary",
    "GraphValidator",
    "MappedRecord",
    "MappedRecords",
    "Progress",
    "UpdateSummary",
    "Validator",
    "build_dataset",
    "derive_all",
    "map_files",
    "map_records",
    "read_reference_files",
    "shacl_validator",
    "update_record",
    "worker_count",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


# ``kg.build(...)`` is the Python API's build (kg.api), also once this folder is imported
sys.modules[__name__].__class__ = CallableFolder
