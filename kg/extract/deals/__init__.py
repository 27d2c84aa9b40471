"""Deals in a text: the engine that runs the sentence rules of ``rules/deals.yaml`` and merges
the mentions of one deal (``engine``), a deal and how two mentions merge (``deal``), the code
each rule names (``builders``, ``trades``: agreements, supplies, partnerships) and party roles
from the sentence's structure (``roles``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.deals.builders import (
        BUILD,
    )
    from kg.extract.deals.deal import (
        UNNAMED_LENDER,
        Deal,
        as_money,
        compatible,
        merge,
        settled_against_failed,
    )
    from kg.extract.deals.engine import (
        Engine,
        find_deals,
    )
    from kg.extract.deals.roles import (
        Party,
        agents,
        coordinated,
        holder_roles,
        invest_roles,
        parties_of,
        subject_of,
        trade_roles,
        unique,
    )
    from kg.extract.deals.trades import (
        trade_type,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "UNNAMED_LENDER": "deal",
    "BUILD": "builders",
    "Deal": "deal",
    "Engine": "engine",
    "Party": "roles",
    "agents": "roles",
    "as_money": "deal",
    "compatible": "deal",
    "coordinated": "roles",
    "find_deals": "engine",
    "holder_roles": "roles",
    "invest_roles": "roles",
    "merge": "deal",
    "parties_of": "roles",
    "settled_against_failed": "deal",
    "subject_of": "roles",
    "trade_roles": "roles",
    "trade_type": "trades",
    "unique": "roles",
}
__all__ = [
    "BUILD",
    "UNNAMED_LENDER",
    "Deal",
    "Engine",
    "Party",
    "agents",
    "as_money",
    "compatible",
    "coordinated",
    "find_deals",
    "holder_roles",
    "invest_roles",
    "merge",
    "parties_of",
    "settled_against_failed",
    "subject_of",
    "trade_roles",
    "trade_type",
    "unique",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
