"""Names in a text: the reference individuals' names and the countries table, matched with
Aho-Corasick (``lexicon``), and the names the lexicon does not know, found by their shape
(``shapes``: organisations, people, chips, datacenters, in both scripts).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.names.lexicon import (
        KINDS,
        Entity,
        Lexicon,
        Mention,
        reference_graph,
    )
    from kg.extract.names.shapes import (
        Names,
        Proposal,
        find_names,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "Entity": "lexicon",
    "KINDS": "lexicon",
    "Lexicon": "lexicon",
    "Mention": "lexicon",
    "Names": "shapes",
    "Proposal": "shapes",
    "find_names": "shapes",
    "reference_graph": "lexicon",
}
__all__ = [
    "KINDS",
    "Entity",
    "Lexicon",
    "Mention",
    "Names",
    "Proposal",
    "find_names",
    "reference_graph",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
