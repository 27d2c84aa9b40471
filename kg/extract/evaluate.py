"""Scoring drafts against reviewed records: precision, recall and F1 per kind of fact.

How facts are matched (the two sides' deal ids differ, so ids are never compared):

- Records are paired by the article's ``sha256``, else by ``file``, else by ``id``. A gold record
  without a draft counts every gold fact as missed; a draft without gold is reported, not scored.
- ``mentions``: the set of individuals an article mentions (``mentions: X``), whatever the spans.
- ``deals``: a deal is a fact whose type is a deal class; its key is its type plus the set of
  ``(role, party)`` pairs (roles: investor, investee, buyer, supplier, lender, borrower,
  licensor, licensee, participant, party). Equal keys match one to one (a multiset). A gold fact
  that only refers to a deal declared in another gold record (``id`` without ``type``) takes the
  type and roles of that declaration. ``deals:<Type>`` breaks the score down by type;
  ``deal-parties`` is the lenient view: the set of parties alone, any type, any roles.
- ``amounts``: within matched deal pairs, each ``amount``, ``capacity`` and ``chipCount``
  matches when the property and the currency (or unit) are equal and the values are within 1%
  (a range is compared by its middle). Precision counts every figure of every draft deal, recall
  every figure of every gold deal.
- ``dates``: within matched deal pairs, each of ``date``, ``startDate``, ``endDate`` matches when
  the strings are equal (so the precision must agree too).
- ``statuses``: within matched deal pairs, the set of statuses of their ``statusEntry``.
- ``metrics``: a metric observation's key is ``(metricOf, metric)``; a match also needs its
  figure (``amount``, ``quantity`` or ``value``) within 1%.

Micro-averaged over all articles: precision = matched / predicted, recall = matched / gold,
F1 their harmonic mean (both 0 → F1 0; nothing on either side → no score).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from kg.core.errors import InputError

__all__ = [
    "DEAL_TYPES",
    "HEADLINE_KINDS",
    "ROLES",
    "Evaluation",
    "Score",
    "evaluate_dirs",
    "evaluate_pairs",
    "format_table",
]

DEAL_TYPES = frozenset(
    {
        "Deal",
        "Investment",
        "SupplyAgreement",
        "ComputeContract",
        "Partnership",
        "ExportLicence",
        "Financing",
        "FundingRound",
    }
)
ROLES = (
    "investor",
    "investee",
    "buyer",
    "supplier",
    "lender",
    "borrower",
    "licensor",
    "licensee",
    "participant",
    "party",
)
#: the kinds in the order reports show them; ``--min-f1`` checks mentions and deals by default
HEADLINE_KINDS = (
    "mentions",
    "deals",
    "deal-parties",
    "amounts",
    "dates",
    "statuses",
    "metrics",
)
_FIGURES = ("amount", "capacity", "chipCount")
_DATES = ("date", "startDate", "endDate")


@dataclass(slots=True)
class Score:
    """Counts for one kind: matched, gold and predicted facts."""

    matched: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        if not self.gold and not self.predicted:
            return None
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.gold += other.gold
        self.predicted += other.predicted

    def as_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(slots=True)
class Evaluation:
    """Scores per kind, in total and per article, and the files that could not be paired."""

    total: dict[str, Score] = field(default_factory=dict)
    articles: dict[str, dict[str, Score]] = field(default_factory=dict)
    unmatched_gold: list[str] = field(default_factory=list)
    unmatched_pred: list[str] = field(default_factory=list)

    def f1(self, kind: str) -> float | None:
        score = self.total.get(kind)
        return score.f1 if score is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": {k: v.as_dict() for k, v in _ordered(self.total)},
            "articles": {
                name: {k: v.as_dict() for k, v in _ordered(scores)}
                for name, scores in self.articles.items()
            },
            "unmatched_gold": self.unmatched_gold,
            "unmatched_pred": self.unmatched_pred,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def _ordered(scores: dict[str, Score]) -> list[tuple[str, Score]]:
    def key(kind: str) -> tuple[int, str]:
        base = kind.split(":")[0]
        rank = HEADLINE_KINDS.index(base) if base in HEADLINE_KINDS else len(HEADLINE_KINDS)
        return (rank, kind)

    return [(k, scores[k]) for k in sorted(scores, key=key)]


# -- reading -------------------------------------------------------------------------------------
def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the record: {exc}", file=path) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not YAML: {getattr(exc, 'problem', exc)}",
            file=path,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("article"), dict):
        raise InputError("a record is a mapping with 'article:' and 'facts:'", file=path)
    if not isinstance(data.get("facts") or [], list):
        raise InputError("'facts:' must be a list", file=path)
    return data


def _records(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    if not folder.is_dir():
        raise InputError("no such folder of records", file=folder)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise InputError("no records (*.yaml) in this folder", file=folder)
    return [(p, _load(p)) for p in files]


# -- values --------------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _figure(node: Any) -> tuple[str, Decimal] | None:
    """(currency or unit, the value or a range's middle) of an amount or quantity node."""
    if isinstance(node, dict):
        unit = str(node.get("currency") or node.get("unit") or "")
        value = _number(node.get("value"))
        if value is None:
            low, high = _number(node.get("minValue")), _number(node.get("maxValue"))
            if low is None and high is None:
                return None
            value = ((low or high or Decimal(0)) + (high or low or Decimal(0))) / 2
        return unit, value
    value = _number(node)
    return ("", value) if value is not None else None


def _close(a: Decimal, b: Decimal) -> bool:
    if a == b:
        return True
    return abs(a - b) <= abs(a) / 100


# -- facts ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Deal:
    type: str
    parties: frozenset[tuple[str, str]]
    figures: list[tuple[str, str, Decimal]]
    dates: list[tuple[str, str]]
    statuses: set[str]

    @property
    def key(self) -> tuple[str, frozenset[tuple[str, str]]]:
        return (self.type, self.parties)


def _types(fact: dict[str, Any]) -> list[str]:
    return [str(t) for t in _as_list(fact.get("type"))]


def _declarations(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for data in records:
        for fact in data.get("facts") or []:
            if isinstance(fact, dict) and "id" in fact and "type" in fact:
                out.setdefault(str(fact["id"]), fact)
    return out


def _deal(fact: dict[str, Any], declared: dict[str, dict[str, Any]]) -> _Deal | None:
    source = fact
    types = _types(fact)
    if not types and "id" in fact and str(fact["id"]) in declared:
        source = declared[str(fact["id"])]
        types = _types(source)
    deal_types = [t for t in types if t in DEAL_TYPES]
    if not deal_types:
        return None
    parties = frozenset(
        (role, str(ref))
        for role in ROLES
        for ref in _as_list(fact.get(role) if role in fact else source.get(role))
    )
    figures: list[tuple[str, str, Decimal]] = []
    for name in _FIGURES:
        for node in _as_list(fact.get(name)):
            figure = _figure(node)
            if figure is not None:
                figures.append((name, figure[0], figure[1]))
    dates = [(name, str(fact[name])) for name in _DATES if fact.get(name) is not None]
    statuses = {
        str(entry.get("status"))
        for entry in _as_list(fact.get("statusEntry"))
        if isinstance(entry, dict) and entry.get("status")
    }
    return _Deal(
        type=sorted(deal_types)[0],
        parties=parties,
        figures=figures,
        dates=dates,
        statuses=statuses,
    )


def _metric(fact: dict[str, Any]) -> tuple[tuple[str, str], Decimal | None] | None:
    if "MetricObservation" not in _types(fact):
        return None
    figure = None
    for name in ("amount", "quantity", "value"):
        if name in fact:
            found = _figure(fact[name])
            figure = found[1] if found is not None else None
            break
    return (str(fact.get("metricOf")), str(fact.get("metric"))), figure


def _match_count(gold: Counter[Any], pred: Counter[Any]) -> int:
    return sum((gold & pred).values())


def _score_article(
    gold: dict[str, Any], pred: dict[str, Any] | None, declared: dict[str, dict[str, Any]]
) -> dict[str, Score]:
    gold_facts = [f for f in gold.get("facts") or [] if isinstance(f, dict)]
    pred_facts = [f for f in (pred or {}).get("facts") or [] if isinstance(f, dict)]
    scores: dict[str, Score] = {}

    g_mentions = {str(f["mentions"]) for f in gold_facts if "mentions" in f}
    p_mentions = {str(f["mentions"]) for f in pred_facts if "mentions" in f}
    scores["mentions"] = Score(len(g_mentions & p_mentions), len(g_mentions), len(p_mentions))

    g_deals = [d for f in gold_facts if "mentions" not in f and (d := _deal(f, declared))]
    p_deals = [d for f in pred_facts if "mentions" not in f and (d := _deal(f, {}))]
    pairs = _pair_deals(g_deals, p_deals)
    scores["deals"] = Score(len(pairs), len(g_deals), len(p_deals))
    for deal_type in sorted({d.type for d in g_deals} | {d.type for d in p_deals}):
        scores[f"deals:{deal_type}"] = Score(
            sum(1 for g, _ in pairs if g.type == deal_type),
            sum(1 for d in g_deals if d.type == deal_type),
            sum(1 for d in p_deals if d.type == deal_type),
        )
    loose_gold = Counter(frozenset(r for _, r in d.parties) for d in g_deals)
    loose_pred = Counter(frozenset(r for _, r in d.parties) for d in p_deals)
    scores["deal-parties"] = Score(_match_count(loose_gold, loose_pred), len(g_deals), len(p_deals))
    amounts = Score(0, sum(len(d.figures) for d in g_deals), sum(len(d.figures) for d in p_deals))
    dates = Score(0, sum(len(d.dates) for d in g_deals), sum(len(d.dates) for d in p_deals))
    statuses = Score(
        0, sum(len(d.statuses) for d in g_deals), sum(len(d.statuses) for d in p_deals)
    )
    for g, p in pairs:
        amounts.matched += _figure_matches(g.figures, p.figures)
        dates.matched += _match_count(Counter(g.dates), Counter(p.dates))
        statuses.matched += len(g.statuses & p.statuses)
    scores["amounts"], scores["dates"], scores["statuses"] = amounts, dates, statuses

    g_metrics = [m for f in gold_facts if (m := _metric(f))]
    p_metrics = [m for f in pred_facts if (m := _metric(f))]
    matched = 0
    free = list(p_metrics)
    for key, value in g_metrics:
        for candidate in free:
            if candidate[0] == key and (
                value is None or (candidate[1] is not None and _close(value, candidate[1]))
            ):
                free.remove(candidate)
                matched += 1
                break
    scores["metrics"] = Score(matched, len(g_metrics), len(p_metrics))
    return scores


def _figure_matches(
    gold: list[tuple[str, str, Decimal]], pred: list[tuple[str, str, Decimal]]
) -> int:
    free = list(pred)
    matched = 0
    for name, unit, value in gold:
        for candidate in free:
            if candidate[0] == name and candidate[1] == unit and _close(value, candidate[2]):
                free.remove(candidate)
                matched += 1
                break
    return matched


def _pair_deals(gold: list[_Deal], pred: list[_Deal]) -> list[tuple[_Deal, _Deal]]:
    """One-to-one pairs of deals with equal keys, preferring pairs whose figures agree."""
    pairs: list[tuple[_Deal, _Deal]] = []
    free = list(pred)
    ranked = sorted(gold, key=lambda g: -len(g.figures))
    for g in ranked:
        candidates = [p for p in free if p.key == g.key]
        if not candidates:
            continue
        best = max(candidates, key=lambda p: _figure_matches(g.figures, p.figures))
        free.remove(best)
        pairs.append((g, best))
    return pairs


# -- entry points --------------------------------------------------------------------------------
def evaluate_pairs(
    pairs: Sequence[tuple[str, dict[str, Any], dict[str, Any] | None]],
    *,
    declared: dict[str, dict[str, Any]] | None = None,
) -> Evaluation:
    """Score (name, gold record, draft record or None) triples."""
    decl = declared if declared is not None else _declarations(g for _, g, _ in pairs)
    result = Evaluation()
    for name, gold, pred in pairs:
        scores = _score_article(gold, pred, decl)
        result.articles[name] = scores
        for kind, score in scores.items():
            result.total.setdefault(kind, Score()).add(score)
    return result


def evaluate_dirs(gold_dir: Path, pred_dir: Path) -> Evaluation:
    """Pair the records of two folders and score every pair (see the module docstring)."""
    gold = _records(gold_dir)
    pred = _records(pred_dir)
    by_sha = {str(d["article"].get("sha256")): (p, d) for p, d in pred}
    by_file = {str(d["article"].get("file")): (p, d) for p, d in pred}
    by_id = {str(d["article"].get("id")): (p, d) for p, d in pred}
    used: set[Path] = set()
    triples: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    unmatched_gold: list[str] = []
    for path, data in gold:
        header = data["article"]
        found = (
            by_sha.get(str(header.get("sha256")))
            or by_file.get(str(header.get("file")))
            or by_id.get(str(header.get("id")))
        )
        if found is None or found[0] in used:
            unmatched_gold.append(path.name)
            triples.append((path.name, data, None))
            continue
        used.add(found[0])
        triples.append((path.name, data, found[1]))
    result = evaluate_pairs(triples, declared=_declarations(d for _, d in gold))
    result.unmatched_gold = unmatched_gold
    result.unmatched_pred = [p.name for p, _ in pred if p not in used]
    return result


def format_table(evaluation: Evaluation) -> str:
    """A plain-text table of the totals, then one line per article for the headline kinds."""

    def cell(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    lines = [f"{'kind':<26} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for kind, s in _ordered(evaluation.total):
        lines.append(
            f"{kind:<26} {s.gold:>5} {s.predicted:>5} {s.matched:>5} "
            f"{cell(s.precision)} {cell(s.recall)} {cell(s.f1)}"
        )
    if len(evaluation.articles) > 1:
        lines.append("")
        lines.append(f"{'article':<40} {'mentions F1':>11} {'deals F1':>9}")
        for name, scores in evaluation.articles.items():
            lines.append(
                f"{name:<40} {cell(scores['mentions'].f1):>11} {cell(scores['deals'].f1):>9}"
            )
    for name in evaluation.unmatched_gold:
        lines.append(f"no draft for {name}: all its facts count as missed")
    for name in evaluation.unmatched_pred:
        lines.append(f"no reviewed record for draft {name}: not scored")
    return "\n".join(lines)
