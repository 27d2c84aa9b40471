"""The ``kg`` command: ``main`` builds the parser from the verbs (one module each in
``kg.cli.verbs``, imported only when their verb runs).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.cli.app import (
        VERBS,
        build_parser,
        main,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "VERBS": "app",
    "build_parser": "app",
    "main": "app",
}
__all__ = [
    "VERBS",
    "build_parser",
    "main",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
