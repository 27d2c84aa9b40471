"""The embedded store (pyoxigraph on disk) behind one small API, RDF formats and reading RDF
files, and the byte-stable exports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.store.embedded import (
        SelectResult,
        Store,
        from_ox,
        swap_store_dir,
        term_converter,
        to_ox,
        to_ox_quad,
    )
    from kg.store.export import (
        export_bytes,
        export_to_file,
        jsonld_context,
        write_export,
    )
    from kg.store.formats import (
        EXPORT_FORMATS,
        RdfFormat,
        read_quads,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "EXPORT_FORMATS": "formats",
    "RdfFormat": "formats",
    "SelectResult": "embedded",
    "Store": "embedded",
    "export_bytes": "export",
    "export_to_file": "export",
    "from_ox": "embedded",
    "jsonld_context": "export",
    "read_quads": "formats",
    "swap_store_dir": "embedded",
    "term_converter": "embedded",
    "to_ox": "embedded",
    "to_ox_quad": "embedded",
    "write_export": "export",
}
__all__ = [
    "EXPORT_FORMATS",
    "RdfFormat",
    "SelectResult",
    "Store",
    "export_bytes",
    "export_to_file",
    "from_ox",
    "jsonld_context",
    "read_quads",
    "swap_store_dir",
    "term_converter",
    "to_ox",
    "to_ox_quad",
    "write_export",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
