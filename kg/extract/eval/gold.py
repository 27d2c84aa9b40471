"""Scoring drafts against analyst gold annotations (``<name>.gold.json`` beside ``<name>.txt``).

The format and the rule are the dev set's (``../shared/devset/README.md``); this module follows
that rule as written:

- **Entities.** Gold entities of the scored types (Firm, Person, Country, Chip, ChipArchitecture,
  Datacenter), news sources (``note`` saying "news source") left out. A gold entity is found when
  an individual of a scored type in the draft (mentioned, declared, or a deal party) has an
  ``rdfs:label``, ``skos:prefLabel`` or ``skos:altLabel`` in any language equal, after
  normalisation (NFKC, case-folded, spaces collapsed), to one of the entity's name variants:
  the part before the parenthesis, each ``/``-separated part inside it, and each of those
  without a trailing " corp". False positives are the draft's individuals of those types that
  match no gold entity. *News sources are left out on both sides*: an individual typed
  ``aikg:Publisher`` (a subclass of ``aikg:Firm``), or one that matches only a gold news
  source, is neither a hit nor a false positive.
- **Deals.** Gold relations of the deal types (Investment, SupplyAgreement, ComputeContract,
  Partnership, Financing, ExportLicence) with at least one party that is a gold Firm, Country or
  Person. A draft deal matches a gold deal when its type is the gold type, one of the gold's
  ``acceptable_types``, or a subclass of one (ontology), and every gold party that is a gold
  entity matches one of the draft deal's parties (any role) by name variants. Each draft deal
  is used once (a maximum matching). False positives: draft deals (any deal class) used by no
  gold deal.
- **Amounts, statuses, dates** are scored apart, like ``kg.extract.eval.evaluate`` scores
  figures: recall over every gold deal that has one, precision over every draft deal that has
  one, a hit only within a matched pair. An amount agrees when the currency is equal and the
  values are within 1 %; a status when one of the draft's statuses is one the gold status word
  allows
  (``STATUS_MAP``); a date when a draft date (``date``, ``startDate``) equals the ISO part of
  one of the gold's named dates.

Totals are sums over articles (micro-averaged), also per language (``source.language``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from kg.core.iris import BASE, ONTOLOGY
from kg.extract.eval.evaluate import ROLES, Score
from kg.extract.eval.goldset import (
    DEAL_TYPES,
    SCORED_TYPES,
    GoldArticle,
    GoldDeal,
    decimal_or_none,
    is_gold_folder,
    load_gold,
    name_variants,
    normalise,
)

__all__ = [
    "DEAL_TYPES",
    "SCORED_TYPES",
    "STATUS_MAP",
    "GoldArticle",
    "GoldEvaluation",
    "Individuals",
    "evaluate_gold",
    "format_gold_table",
    "is_gold_folder",
    "load_gold",
    "name_variants",
    "normalise",
]

#: draft types counted as predicted deals (every deal class of the ontology)
_DRAFT_DEAL_TYPES = frozenset({*DEAL_TYPES, "FundingRound", "Deal"})
#: the gold's status word → the deal statuses of the ontology that say the same
STATUS_MAP: dict[str, frozenset[str]] = {
    "letter-of-intent": frozenset({"LetterOfIntent"}),
    "announced": frozenset({"Announced", "DefinitiveAgreement"}),
    "planned": frozenset({"Announced", "LetterOfIntent"}),
    "issued": frozenset({"Completed"}),
    "existing": frozenset({"Completed"}),
    "completed": frozenset({"Completed"}),
    "withdrawn": frozenset({"Withdrawn"}),
    "denied": frozenset({"Denied"}),
    "disputed": frozenset({"Denied", "Rumoured"}),
    "superseded": frozenset({"Cancelled", "Stalled", "Withdrawn"}),
    "not licensed": frozenset({"Denied", "Cancelled"}),
    "reported": frozenset({"Rumoured", "InNegotiation"}),
}
_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
_DRAFT_LABEL_KEYS = ("rdfs:label", "skos:prefLabel", "skos:altLabel")


# -- the draft's individuals ---------------------------------------------------------------------
@dataclass(slots=True)
class Individuals:
    """Types (with their superclasses) and normalised labels of the reference individuals."""

    types: dict[str, frozenset[str]]
    labels: dict[str, frozenset[str]]
    superclasses: dict[str, frozenset[str]]

    @classmethod
    def from_graphs(cls, ontology: Graph, reference: Graph) -> Individuals:
        direct: dict[str, set[str]] = {}
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            a, b = str(sub), str(sup)
            if a.startswith(ONTOLOGY) and b.startswith(ONTOLOGY):
                direct.setdefault(a[len(ONTOLOGY) :], set()).add(b[len(ONTOLOGY) :])
        closure: dict[str, frozenset[str]] = {}
        for name in direct:
            seen: set[str] = set()
            todo = [name]
            while todo:
                current = todo.pop()
                for parent in direct.get(current, ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            closure[name] = frozenset(seen)
        types: dict[str, frozenset[str]] = {}
        labels: dict[str, frozenset[str]] = {}
        for subject in {s for s in reference.subjects() if isinstance(s, URIRef)}:
            if not str(subject).startswith(BASE):
                continue
            ref = str(subject)[len(BASE) :]
            names = {
                str(t)[len(ONTOLOGY) :]
                for t in reference.objects(subject, RDF.type)
                if str(t).startswith(ONTOLOGY)
            }
            types[ref] = frozenset(names)
            labels[ref] = frozenset(
                normalise(str(o)) for p in _LABELS for o in reference.objects(subject, p)
            )
        return cls(types=types, labels=labels, superclasses=closure)

    @classmethod
    def from_project(cls) -> Individuals:
        """The project's ontology and reference data."""
        from kg.core.ontology import load_ontology, load_reference

        return cls.from_graphs(load_ontology(), load_reference())

    def closure(self, names: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for name in names:
            out.add(name)
            out |= self.superclasses.get(name, frozenset())
        return frozenset(out)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _label_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    return [str(v) for v in _as_list(value)]


@dataclass(slots=True)
class _Draft:
    """What a draft says about its individuals and deals."""

    types: dict[str, frozenset[str]] = field(default_factory=dict)
    labels: dict[str, frozenset[str]] = field(default_factory=dict)
    deals: list[tuple[frozenset[str], frozenset[str], dict[str, Any]]] = field(default_factory=list)


def _read_draft(record: dict[str, Any], known: Individuals) -> _Draft:
    draft = _Draft()
    refs: list[str] = []
    declared: dict[str, dict[str, Any]] = {}
    for fact in record.get("facts") or []:
        if not isinstance(fact, dict):
            continue
        if "mentions" in fact:
            refs.append(str(fact["mentions"]))
            continue
        fact_types = [str(t) for t in _as_list(fact.get("type"))]
        if "id" in fact and fact_types and not (set(fact_types) & _DRAFT_DEAL_TYPES):
            declared[str(fact["id"])] = fact
            refs.append(str(fact["id"]))
        if set(fact_types) & _DRAFT_DEAL_TYPES:
            parties = frozenset(str(r) for role in ROLES for r in _as_list(fact.get(role)))
            refs.extend(parties)
            draft.deals.append((known.closure(fact_types), parties, fact))
    for ref in refs:
        if ref in draft.types:
            continue
        types = set(known.types.get(ref, frozenset()))
        labels = set(known.labels.get(ref, frozenset()))
        if ref in declared:
            types |= {str(t) for t in _as_list(declared[ref].get("type"))}
            for key in _DRAFT_LABEL_KEYS:
                labels |= {normalise(t) for t in _label_texts(declared[ref].get(key))}
        draft.types[ref] = known.closure(types)
        draft.labels[ref] = frozenset(labels)
    return draft


# -- scoring -------------------------------------------------------------------------------------
_KINDS = ("entities", "deals", "amounts", "statuses", "dates")


@dataclass(slots=True)
class GoldEvaluation:
    """Scores per article, per language and in total, and what could not be paired."""

    articles: dict[str, dict[str, Score]] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    deal_free: dict[str, int] = field(default_factory=dict)
    misses: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    unmatched_gold: list[str] = field(default_factory=list)
    unmatched_pred: list[str] = field(default_factory=list)

    def total(self, language: str | None = None) -> dict[str, Score]:
        out = {kind: Score() for kind in _KINDS}
        for name, scores in self.articles.items():
            if language is not None and self.languages[name] != language:
                continue
            for kind, score in scores.items():
                out[kind].add(score)
        return out

    def f1(self, kind: str) -> float | None:
        return self.total()[kind].f1

    def as_dict(self) -> dict[str, Any]:
        def block(scores: dict[str, Score]) -> dict[str, Any]:
            return {k: s.as_dict() for k, s in scores.items()}

        return {
            "total": block(self.total()),
            "languages": {
                lang: block(self.total(lang)) for lang in sorted(set(self.languages.values()))
            },
            "articles": {
                name: {"language": self.languages[name], **block(scores)}
                for name, scores in self.articles.items()
            },
            "deal_free": self.deal_free,
            "misses": self.misses,
            "unmatched_gold": self.unmatched_gold,
            "unmatched_pred": self.unmatched_pred,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def _entity_scores(article: GoldArticle, draft: _Draft, misses: dict[str, list[str]]) -> Score:
    scored = article.scored_entities
    news = [e for e in article.entities if e.news_source]
    found: set[str] = set()
    false_positives = 0
    predicted = 0
    for ref, types in draft.types.items():
        if not types & set(SCORED_TYPES) or "Publisher" in types:
            continue
        labels = draft.labels.get(ref, frozenset())
        hits = [e for e in scored if e.variants & labels]
        if not hits and any(e.variants & labels for e in news):
            continue  # a news source: left out
        predicted += 1
        if hits:
            found |= {e.id or e.name for e in hits}
        else:
            false_positives += 1
            misses["false entities"].append(ref)
    misses["missed entities"] += [
        f"{e.type} {e.name}" for e in scored if (e.id or e.name) not in found
    ]
    matched = len(found)
    return Score(matched=matched, gold=len(scored), predicted=matched + false_positives)


def _deal_matches(
    gold: GoldDeal, types: frozenset[str], parties: frozenset[str], d: _Draft
) -> bool:
    if not set(gold.types) & types:
        return False
    labels = [draft_label for ref in parties if (draft_label := d.labels.get(ref))]
    return all(any(e.variants & lab for lab in labels) for e in gold.parties)


def _agrees(gold: tuple[str, Decimal] | None, pred: tuple[str, Decimal] | None) -> bool:
    if gold is None or pred is None:
        return False
    return gold[0] == pred[0] and abs(gold[1] - pred[1]) <= abs(gold[1]) / 100


def _max_matching(edges: list[list[int]], order: list[int]) -> dict[int, int]:
    """Left index → right index, a maximum bipartite matching (augmenting paths, the left
    side tried in ``order``, each side's edges in their order)."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in owner or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in order:
        augment(left, set())
    return {left: right for right, left in owner.items()}


def _statuses(fact: dict[str, Any]) -> set[str]:
    return {
        str(e.get("status"))
        for e in _as_list(fact.get("statusEntry"))
        if isinstance(e, dict) and e.get("status")
    }


def _amount(fact: dict[str, Any]) -> tuple[str, Decimal] | None:
    node = fact.get("amount")
    if not isinstance(node, dict):
        return None
    value = decimal_or_none(node.get("value"))
    if value is None:
        low, high = decimal_or_none(node.get("minValue")), decimal_or_none(node.get("maxValue"))
        if low is None and high is None:
            return None
        value = ((low or high or Decimal(0)) + (high or low or Decimal(0))) / 2
    return str(node.get("currency") or ""), value


def _money(figure: tuple[str, Decimal] | None) -> str:
    return "none" if figure is None else f"{figure[0]} {figure[1]:,.0f}"


def _gold_status_words(status: str) -> frozenset[str]:
    head = status.split("(")[0].strip().lower()
    return STATUS_MAP.get(head, frozenset())


def _describe(fact: dict[str, Any]) -> str:
    roles = ", ".join(
        f"{role}={'+'.join(str(r) for r in _as_list(fact.get(role)))}"
        for role in ROLES
        if role in fact
    )
    return f"{'/'.join(str(t) for t in _as_list(fact.get('type')))}({roles})"


def _score_article(
    article: GoldArticle, draft: _Draft, misses: dict[str, list[str]]
) -> dict[str, Score]:
    scores = {"entities": _entity_scores(article, draft, misses)}

    def candidates(g: GoldDeal) -> list[int]:
        found = [
            i
            for i, (types, parties, _) in enumerate(draft.deals)
            if _deal_matches(g, types, parties, draft)
        ]
        return sorted(found, key=lambda i: not _agrees(g.amount, _amount(draft.deals[i][2])))

    edges = [candidates(g) for g in article.deals]
    # deals with a figure choose first, so that equal parties pair by their figures
    order = sorted(range(len(article.deals)), key=lambda g: article.deals[g].amount is None)
    pairs = _max_matching(edges, order)
    scores["deals"] = Score(matched=len(pairs), gold=len(article.deals), predicted=len(draft.deals))
    misses["missed deals"] = [
        f"{g.id} {g.types[0]}({', '.join(p.name for p in g.parties)})"
        for i, g in enumerate(article.deals)
        if i not in pairs
    ]
    used = set(pairs.values())
    misses["false deals"] = [
        _describe(fact) for i, (_, _, fact) in enumerate(draft.deals) if i not in used
    ]
    amounts, statuses, dates = Score(), Score(), Score()
    for gold in article.deals:
        amounts.gold += gold.amount is not None
        statuses.gold += bool(gold.status and _gold_status_words(gold.status))
        dates.gold += bool(gold.dates)
    for _, _, fact in draft.deals:
        amounts.predicted += _amount(fact) is not None
        statuses.predicted += bool(_statuses(fact))
        dates.predicted += any(fact.get(k) is not None for k in ("date", "startDate"))
    for g_index, p_index in pairs.items():
        gold = article.deals[g_index]
        fact = draft.deals[p_index][2]
        pred_amount = _amount(fact)
        agree = _agrees(gold.amount, pred_amount)
        amounts.matched += agree
        if (gold.amount is not None or pred_amount is not None) and not agree:
            misses.setdefault("amounts", []).append(
                f"{gold.id} gold {_money(gold.amount)}, draft {_money(pred_amount)}"
            )
        allowed = _gold_status_words(gold.status) if gold.status else frozenset()
        statuses.matched += bool(allowed & _statuses(fact))
        if allowed and not allowed & _statuses(fact):
            misses.setdefault("statuses", []).append(
                f"{gold.id} gold {gold.status.split('(')[0].strip()}, "  # type: ignore[union-attr]
                f"draft {'/'.join(sorted(_statuses(fact))) or 'none'}"
            )
        pred_dates = {str(fact[k]) for k in ("date", "startDate") if fact.get(k) is not None}
        dates.matched += bool(set(gold.dates) & pred_dates)
        if (gold.dates or pred_dates) and not set(gold.dates) & pred_dates:
            misses.setdefault("dates", []).append(
                f"{gold.id} gold {'/'.join(gold.dates) or 'none'}, "
                f"draft {'/'.join(sorted(pred_dates)) or 'none'}"
            )
    scores["amounts"], scores["statuses"], scores["dates"] = amounts, statuses, dates
    return scores


def _load_drafts(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    from kg.extract.eval.evaluate import load_records

    return load_records(folder)


def evaluate_gold(
    gold_dir: Path, pred_dir: Path, *, individuals: Individuals | None = None
) -> GoldEvaluation:
    """Pair each gold file with its draft (by SHA-256 of the text, else file name, else the
    article's name) and score every pair (see the module docstring)."""
    articles = load_gold(gold_dir)
    drafts = _load_drafts(pred_dir)
    known = individuals if individuals is not None else Individuals.from_project()
    by_sha = {str(d["article"].get("sha256")): (p, d) for p, d in drafts}
    by_file = {str(d["article"].get("file")): (p, d) for p, d in drafts}
    by_stem = {p.stem: (p, d) for p, d in drafts}
    result = GoldEvaluation()
    used: set[Path] = set()
    for article in articles:
        found = (
            by_sha.get(article.sha256)
            or by_file.get(article.text_file)
            or by_stem.get(article.name)
        )
        record: dict[str, Any] = {"facts": []}
        if found is None or found[0] in used:
            result.unmatched_gold.append(article.name)
        else:
            used.add(found[0])
            record = found[1]
        draft = _read_draft(record, known)
        misses: dict[str, list[str]] = {"missed entities": [], "false entities": []}
        result.articles[article.name] = _score_article(article, draft, misses)
        result.misses[article.name] = misses
        result.languages[article.name] = article.language
        if article.deal_free:
            result.deal_free[article.name] = len(draft.deals)
    result.unmatched_pred = [p.name for p, _ in drafts if p not in used]
    return result


def format_gold_table(evaluation: GoldEvaluation, *, explain: bool = False) -> str:
    """Totals per language and overall, then one line per article (and, with ``explain``,
    what each article missed and what it drafted that the gold does not have)."""

    def cell(value: float | None) -> str:
        return "    - " if value is None else f"{value:6.3f}"

    def prf(s: Score) -> str:
        return f"{cell(s.precision)} {cell(s.recall)} {cell(s.f1)}"

    head = (
        f"{'scope':<28} {'n':>3} | {'entities P':>10} {'R':>6} {'F1':>6} | "
        f"{'deals P':>7} {'R':>6} {'F1':>6} | {'amounts':>7} {'status':>6} {'dates':>6}"
    )
    lines = [head, "-" * len(head)]

    def row(label: str, n: int, scores: dict[str, Score]) -> str:
        return (
            f"{label:<28} {n:>3} | {prf(scores['entities']):>24} | {prf(scores['deals']):>21} | "
            f"{cell(scores['amounts'].f1):>7} {cell(scores['statuses'].f1):>6} "
            f"{cell(scores['dates'].f1):>6}"
        )

    languages = sorted(set(evaluation.languages.values()))
    lines.append(row("all", len(evaluation.articles), evaluation.total()))
    for lang in languages:
        n = sum(1 for v in evaluation.languages.values() if v == lang)
        lines.append(row(lang, n, evaluation.total(lang)))
    lines.append("")
    for name, scores in evaluation.articles.items():
        lines.append(row(name[:28], 1, scores))
    totals = evaluation.total()
    e, d = totals["entities"], totals["deals"]
    lines.append("")
    lines.append(
        f"entities: {e.matched} found of {e.gold}, {e.predicted - e.matched} false; "
        f"deals: {d.matched} found of {d.gold}, {d.predicted - d.matched} false"
    )
    for name, count in evaluation.deal_free.items():
        lines.append(f"deal-free article {name}: {count} deal(s) drafted")
    if explain:
        for name, misses in evaluation.misses.items():
            items = [(k, v) for k, v in misses.items() if v]
            if items:
                lines.append(f"{name}:")
                lines += [f"  {kind}: {'; '.join(values)}" for kind, values in items]
    for name in evaluation.unmatched_gold:
        lines.append(f"no draft for {name}: all its gold counts as missed")
    for name in evaluation.unmatched_pred:
        lines.append(f"no gold for draft {name}: not scored")
    return "\n".join(lines)
