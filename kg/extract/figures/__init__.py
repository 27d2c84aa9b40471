"""Figures in a text: numbers, money, power, counts, shares, ranges and bounds in both scripts
(``quantities``) and dates, absolute or relative to the publication (``dates``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.figures.dates import (
        DateMention,
        Published,
        article_date,
        find_dates,
    )
    from kg.extract.figures.quantities import (
        Quantity,
        find_quantities,
        parse_number,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "DateMention": "dates",
    "Published": "dates",
    "Quantity": "quantities",
    "article_date": "dates",
    "find_dates": "dates",
    "find_quantities": "quantities",
    "parse_number": "quantities",
}
__all__ = [
    "DateMention",
    "Published",
    "Quantity",
    "article_date",
    "find_dates",
    "find_quantities",
    "parse_number",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
