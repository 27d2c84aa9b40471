"""The extraction rules' tables, read once from the data files in ``kg/extract/rules/``.

``cues.yaml`` names the cue words (regular expressions over folded text); ``deals.yaml`` lists
the sentence rules in the order they are tried, the statuses, the confidences, the windows and
the role markers; ``names.yaml`` holds the shapes of organisation and person names and the
country words. The code reads these tables and nothing else: a rule is read and changed in its
table. A table that names an unknown cue, builder or key is an error when it is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kg.extract.prefilter import CueScanner

__all__ = [
    "AGENTS",
    "BUILDERS",
    "Condition",
    "DealTables",
    "SentenceRule",
    "cue",
    "cue_scanner",
    "deal_tables",
    "load_yaml",
    "names_table",
]

RULES_DIR = Path(__file__).with_name("rules")
#: the builders a sentence rule may name (the functions of ``kg.extract.deals.engine``)
BUILDERS = frozenset(
    {"licence", "similar_licence", "funding_round", "financing", "borrowing", "holder", "backing",
     "investment", "acquisition", "asset_sale", "trade", "agreement", "role_noun",
     "partnership"}
)  # fmt: skip


def load_yaml(name: str) -> Any:
    """A data file of ``kg/extract/rules/``, parsed."""
    with (RULES_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _alternatives(entry: Any, where: str) -> str:
    items = entry.get("any") if isinstance(entry, dict) else entry
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: a cue is a list of alternatives under 'any'")
    return "|".join(f"(?:{item})" for item in items)


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    data = load_yaml("cues.yaml")
    return {
        name: re.compile(_alternatives(entry, f"cues.yaml: {name}")) for name, entry in data.items()
    }


@cache
def cue_scanner() -> CueScanner:
    """Every cue of ``cues.yaml``, scanned for in one pass (``kg.extract.prefilter``)."""
    return CueScanner(_cues())


def cue(name: str) -> re.Pattern[str]:
    """The compiled cue ``name`` of ``cues.yaml`` (``KeyError`` names an unknown one)."""
    try:
        return _cues()[name]
    except KeyError:
        raise KeyError(f"no cue {name!r} in kg/extract/rules/cues.yaml") from None


@dataclass(frozen=True, slots=True)
class SentenceRule:
    """One row of ``sentence_rules``."""

    name: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    parties_below: int | None = None
    only_first: bool = False
    build: str | None = None
    method: str | None = None
    status: str | None = None
    stop: str = "never"
    agents: str = "firms"
    doc: str = ""

    def fires(self, hits: Callable[[str], bool], n_parties: int, found: int) -> bool:
        """Whether the rule applies to a sentence: ``hits(cue)`` says which cues match it."""
        if self.only_first and found:
            return False
        if self.parties_below is not None and n_parties >= self.parties_below:
            return False
        if not all(hits(name) for name in self.when):
            return False
        return not any(hits(name) for name in self.unless)


@dataclass(frozen=True, slots=True)
class Condition:
    """A kind of licence condition and the words that state it."""

    kind: str
    pattern: re.Pattern[str]
    takes_percent: bool


@dataclass(frozen=True, slots=True)
class DealTables:
    """Everything ``deals.yaml`` holds, checked."""

    rules: tuple[SentenceRule, ...]
    negative_statuses: tuple[tuple[str, str], ...]
    positive_statuses: tuple[tuple[str, str], ...]
    positive_rank: dict[str, int]
    unsettled: frozenset[str]
    confidence: dict[str, float]
    window: dict[str, int]
    en_marker: re.Pattern[str]
    cn_marker: re.Pattern[str]
    coordination: re.Pattern[str]
    descriptor_phrase: re.Pattern[str]
    apposition: re.Pattern[str]
    cn_target: tuple[str, ...]
    cn_passive: tuple[str, ...]
    conditions: tuple[Condition, ...]
    extra: dict[str, Any]

    def conf(self, name: str) -> float:
        """A named confidence (``KeyError`` names an unknown one)."""
        try:
            return self.confidence[name]
        except KeyError:
            raise KeyError(f"no confidence {name!r} in kg/extract/rules/deals.yaml") from None

    def win(self, name: str) -> int:
        """A named window (``KeyError`` names an unknown one)."""
        try:
            return self.window[name]
        except KeyError:
            raise KeyError(f"no window {name!r} in kg/extract/rules/deals.yaml") from None


_RULE_KEYS = frozenset(SentenceRule.__dataclass_fields__)
_STOPS = frozenset({"fired", "found", "never"})
#: which mentions a rule takes as parties
AGENTS: dict[str, tuple[str, ...]] = {
    "firms": ("firm",),
    "states": ("firm", "country", "agency"),
    "people": ("firm", "person"),
}


def _rule(row: dict[str, Any]) -> SentenceRule:
    unknown = set(row) - _RULE_KEYS
    name = row.get("name", "?")
    if unknown:
        raise ValueError(f"deals.yaml: rule {name}: unknown keys {sorted(unknown)}")
    rule = SentenceRule(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}  # type: ignore[arg-type]
    )
    for cue_name in (*rule.when, *rule.unless):
        cue(cue_name)
    if rule.build is not None and rule.build not in BUILDERS:
        raise ValueError(f"deals.yaml: rule {name}: no builder {rule.build!r}")
    if rule.agents not in AGENTS:
        raise ValueError(f"deals.yaml: rule {name}: agents is one of {sorted(AGENTS)}")
    if rule.stop not in _STOPS:
        raise ValueError(f"deals.yaml: rule {name}: stop is one of {sorted(_STOPS)}")
    return rule


def _descriptor_phrase(markers: dict[str, Any]) -> re.Pattern[str]:
    """A marker, a few words and a descriptor right before a party: 與市占龍頭 | with chip
    start-up; the descriptors are the organisation descriptors of ``names.yaml``."""
    from kg.core.scripts import fold

    org = names_table()["org"]
    words = {fold(w) for w in org["cn_descriptor"]} | {w.lower() for w in org["en_descriptor"]}
    descriptors = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    cn = "|".join(re.escape(w) for w in markers["phrase_cn"])
    en = "|".join(re.escape(w) for w in markers["phrase_en"])
    return re.compile(
        rf"(?:({cn})[^，。,;；:：、()（）]{{0,10}}?|(?<![a-z])({en})\s[a-z0-9\s\-]{{0,30}}?)"
        rf"(?:{descriptors})\s*$"
        rf"|({cn})[^，。,;；:：、()（）的]{{1,8}}的\s*$"  # 和英國的 X: the marker is X's
    )


def _apposition() -> re.Pattern[str]:
    """A firm's name that only qualifies a person: "OpenAI's CEO", 輝達執行長 (the person
    titles of ``names.yaml``)."""
    from kg.core.scripts import fold

    person = names_table()["person"]
    cn = "|".join(sorted((re.escape(fold(w)) for w in person["cn_title"]), key=len, reverse=True))
    en = "|".join(f"(?:{w})" for w in person["en_title"])
    return re.compile(
        rf"\s*(?:(?:前|现任|首席)?(?:{cn})|(?:'s|’s)\s+(?:former\s+|chief\s+)?(?:{en})\b)"
    )


@cache
def deal_tables() -> DealTables:
    """``deals.yaml``, read and checked once."""
    data = load_yaml("deals.yaml")
    markers = data["markers"]
    pairs = ("negative_statuses", "positive_statuses")
    for key in pairs:
        for _, cue_name in data[key]:
            cue(cue_name)
    known = {
        "sentence_rules", *pairs, "positive_rank", "unsettled", "confidence", "window",
        "markers", "licence_conditions",
    }  # fmt: skip
    return DealTables(
        rules=tuple(_rule(row) for row in data["sentence_rules"]),
        negative_statuses=tuple((s, c) for s, c in data["negative_statuses"]),
        positive_statuses=tuple((s, c) for s, c in data["positive_statuses"]),
        positive_rank=dict(data["positive_rank"]),
        unsettled=frozenset(data["unsettled"]),
        confidence={k: float(v) for k, v in data["confidence"].items()},
        window={k: int(v) for k, v in data["window"].items()},
        en_marker=re.compile(markers["en_before"]),
        cn_marker=re.compile(markers["cn_before"]),
        coordination=re.compile(markers["coordination"]),
        descriptor_phrase=_descriptor_phrase(markers),
        apposition=_apposition(),
        cn_target=tuple(markers["cn_target"]),
        cn_passive=tuple(markers["cn_passive"]),
        conditions=tuple(
            Condition(
                kind=row["kind"],
                pattern=re.compile(_alternatives(row, f"deals.yaml: {row['kind']}")),
                takes_percent=bool(row.get("takes_percent")),
            )
            for row in data["licence_conditions"]
        ),
        extra={k: v for k, v in data.items() if k not in known},
    )


@cache
def names_table() -> dict[str, Any]:
    """``names.yaml``: organisation and person shapes, country words."""
    data: dict[str, Any] = load_yaml("names.yaml")
    return data
