"""OWL reasoning (HermiT or Pellet through owlready2, on a Java runtime) and the rules that
maintain the inferred graph.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.reason.incremental import (
        InferredChange,
        iri_triples,
        refresh_inferred,
    )
    from kg.reason.rules import (
        Rule,
        Triple,
        Work,
        load_rules,
        materialise,
        rules_dir,
        supported,
    )
    from kg.reason.run import (
        DEFAULT_MAX_RUNS,
        Explanation,
        Reasoner,
        ReasoningReport,
        StoreReasoning,
        reason,
        reason_store,
        short_name,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "DEFAULT_MAX_RUNS": "run",
    "Explanation": "run",
    "InferredChange": "incremental",
    "Reasoner": "run",
    "ReasoningReport": "run",
    "Rule": "rules",
    "StoreReasoning": "run",
    "Triple": "rules",
    "Work": "rules",
    "iri_triples": "incremental",
    "load_rules": "rules",
    "materialise": "rules",
    "reason": "run",
    "reason_store": "run",
    "refresh_inferred": "incremental",
    "rules_dir": "rules",
    "short_name": "run",
    "supported": "rules",
}
__all__ = [
    "DEFAULT_MAX_RUNS",
    "Explanation",
    "InferredChange",
    "Reasoner",
    "ReasoningReport",
    "Rule",
    "StoreReasoning",
    "Triple",
    "Work",
    "iri_triples",
    "load_rules",
    "materialise",
    "reason",
    "reason_store",
    "refresh_inferred",
    "rules_dir",
    "short_name",
    "supported",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
