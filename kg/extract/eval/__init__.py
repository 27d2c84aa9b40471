"""Scoring drafts (``kg eval``): against analyst gold annotations (``goldset``: the dev set's
format and name variants; ``gold``: the scoring) or against reviewed fact records
(``evaluate``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.eval.evaluate import (
        HEADLINE_KINDS,
        ROLES,
        Evaluation,
        Score,
        evaluate_dirs,
        evaluate_pairs,
        format_table,
        load_records,
    )
    from kg.extract.eval.gold import (
        STATUS_MAP,
        GoldEvaluation,
        Individuals,
        evaluate_gold,
        format_gold_table,
    )
    from kg.extract.eval.goldset import (
        SCORED_TYPES,
        GoldArticle,
        GoldDeal,
        GoldEntity,
        is_gold_folder,
        load_gold,
        name_variants,
        normalise,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "Evaluation": "evaluate",
    "GoldArticle": "goldset",
    "GoldDeal": "goldset",
    "GoldEntity": "goldset",
    "GoldEvaluation": "gold",
    "HEADLINE_KINDS": "evaluate",
    "Individuals": "gold",
    "ROLES": "evaluate",
    "SCORED_TYPES": "goldset",
    "STATUS_MAP": "gold",
    "Score": "evaluate",
    "evaluate_dirs": "evaluate",
    "evaluate_gold": "gold",
    "evaluate_pairs": "evaluate",
    "format_gold_table": "gold",
    "format_table": "evaluate",
    "is_gold_folder": "goldset",
    "load_gold": "goldset",
    "load_records": "evaluate",
    "name_variants": "goldset",
    "normalise": "goldset",
}
__all__ = [
    "HEADLINE_KINDS",
    "ROLES",
    "SCORED_TYPES",
    "STATUS_MAP",
    "Evaluation",
    "GoldArticle",
    "GoldDeal",
    "GoldEntity",
    "GoldEvaluation",
    "Individuals",
    "Score",
    "evaluate_dirs",
    "evaluate_gold",
    "evaluate_pairs",
    "format_gold_table",
    "format_table",
    "is_gold_folder",
    "load_gold",
    "load_records",
    "name_variants",
    "normalise",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
