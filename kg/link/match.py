"""Blocking, scoring and deciding: which register entry, if any, is which store firm.

* Blocking: every name of every store firm is indexed under its first word and the first four
  characters of its squashed core (in both Chinese scripts); a register entry is scored only
  against the firms its own names' keys hit, or a firm that already holds its identifier.
  A register file is one pass over its rows with dictionary look-ups, never all pairs.
* Scoring: one ``Feature`` per piece of evidence (name similarity, legal form, ticker, country,
  registration status, identifiers the register asserts, an identifier the store already
  holds); the score is their sum, clamped to 0..1.
* Deciding (``decide``): at or above ``accept`` and corroborated by something besides the name
  a link; from ``review`` up a line for a person; below, nothing. A firm never gets two
  identifiers of one kind, an identifier never goes to two firms, and an identifier the store
  already holds is confirmed or reported, never replaced.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from kg.core.identifiers import IdKind, cik10
from kg.link.firms import FirmProfile
from kg.link.names import NormalName, normalise, quick_keys, script_variants, similarity
from kg.link.records import RegisterRecord

__all__ = [
    "Candidate",
    "CandidatePool",
    "Decision",
    "Feature",
    "FirmIndex",
    "Thresholds",
    "Verdict",
    "decide",
    "demote_subsidiaries",
]

#: registration states of an LEI that must never be linked
_DEAD_REGISTRATIONS = frozenset({"ANNULLED", "DUPLICATE", "MERGED", "RETIRED", "CANCELLED"})
#: feature names that corroborate a name match
_CORROBORATING = frozenset({"legal form", "ticker", "country", "lei", "cik", "identifier"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``accept``: lowest score of a link; ``review``: lowest score worth a person's look;
    ``margin``: how far the best entry must lead the next one to be taken."""

    accept: float = 0.9
    review: float = 0.7
    margin: float = 0.05

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.accept <= 1.0:
            raise ValueError(f"need 0 < review band ({self.review}) <= accept ({self.accept}) <= 1")


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence and what it adds to (or takes from) the score."""

    name: str
    weight: float
    note: str

    def __str__(self) -> str:
        sign = "" if self.name == "name" else "+" if self.weight >= 0 else ""
        return f"{self.name} {sign}{self.weight:.2f} ({self.note})"


@dataclass(frozen=True)
class Candidate:
    """A register entry scored against one firm."""

    firm: FirmProfile
    record: RegisterRecord
    features: tuple[Feature, ...]

    @cached_property
    def raw(self) -> float:
        """The sum of the features' weights, unclamped: ranks candidates that both reach 1."""
        return round(sum(f.weight for f in self.features), 4)

    @property
    def score(self) -> float:
        """The overall score, 0 to 1."""
        return min(1.0, max(0.0, self.raw))

    @property
    def name_score(self) -> float:
        return next((f.weight for f in self.features if f.name == "name"), 0.0)

    @property
    def corroborated(self) -> bool:
        """Something besides the name speaks for the match."""
        return any(f.name in _CORROBORATING and f.weight > 0 for f in self.features)

    @property
    def identifier(self) -> str:
        return self.record.identifier

    def with_feature(self, feature: Feature) -> Candidate:
        return Candidate(self.firm, self.record, (*self.features, feature))

    def summary(self) -> str:
        where = f"row {self.record.row}"
        features = "; ".join(str(f) for f in self.features)
        return (
            f"{self.record.kind} {self.identifier} {self.record.display_name!r} ({where}): "
            f"{self.score:.2f} = {features}"
        )


@dataclass(frozen=True, slots=True)
class _Name:
    label: str
    normal: NormalName


@dataclass(frozen=True)
class _Entry:
    firm: FirmProfile
    names: tuple[_Name, ...]
    forms: Mapping[str, frozenset[str]]


class FirmIndex:
    """The store's firms, indexed for blocking and ready to score register entries."""

    def __init__(self, firms: Iterable[FirmProfile]) -> None:
        self._entries: list[_Entry] = []
        self._keys: dict[str, set[int]] = defaultdict(set)
        self._held: dict[tuple[IdKind, str], set[int]] = defaultdict(set)
        for position, firm in enumerate(firms):
            names: list[_Name] = []
            forms: dict[str, set[str]] = defaultdict(set)
            for label in firm.names:
                normal = normalise(label)
                if not normal.core:
                    continue
                names.append(_Name(label, normal))
                forms[normal.key] |= normal.forms
                for variant in script_variants(label):
                    keys = {*normalise(variant, fold_script=False).block_keys()}
                    for key in keys | set(quick_keys(variant)):
                        self._keys[key].add(position)
            for kind, values in firm.existing.items():
                for value in values:
                    self._held[(kind, _canonical(kind, value))].add(position)
            frozen_forms = {key: frozenset(value) for key, value in forms.items()}
            self._entries.append(_Entry(firm, tuple(names), frozen_forms))

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def firms(self) -> list[FirmProfile]:
        return [entry.firm for entry in self._entries]

    def hits(
        self,
        names: Sequence[str],
        *,
        identifiers: Iterable[tuple[IdKind, str]] = (),
    ) -> set[int]:
        """Positions of the firms a register entry with these names and identifiers may be."""
        found: set[int] = set()
        keys = self._keys
        for name in names:
            for key in quick_keys(name):
                hit = keys.get(key)
                if hit:
                    found |= hit
        for kind, value in identifiers:
            hit = self._held.get((kind, _canonical(kind, value)))
            if hit:
                found |= hit
        return found

    def candidate(self, position: int, record: RegisterRecord) -> Candidate:
        """Score ``record`` against the firm at ``position``."""
        entry = self._entries[position]
        return Candidate(entry.firm, record, tuple(_features(entry, record)))

    def candidates(self, record: RegisterRecord) -> list[Candidate]:
        """Score ``record`` against every firm it may be (blocking included)."""
        identifiers = [(record.kind, record.identifier)]
        identifiers += [(k, v) for k, values in record.claims.items() for v in values]
        hits = self.hits(record.names, identifiers=identifiers)
        return [self.candidate(i, record) for i in sorted(hits)]

    def naive_candidates(self, record: RegisterRecord) -> list[Candidate]:
        """Score ``record`` against every firm (the all-pairs baseline of the benchmark)."""
        return [self.candidate(i, record) for i in range(len(self._entries))]


def _canonical(kind: IdKind, value: str) -> str:
    if kind is IdKind.CIK:
        try:
            return cik10(value)
        except ValueError:
            return value
    return value.strip().upper() if kind is IdKind.LEI else value.strip()


_FORM_RANK_AGREE, _FORM_RANK_NEUTRAL, _FORM_RANK_CONFLICT = 2, 1, 0


def _name_features(entry: _Entry, record: RegisterRecord) -> list[Feature]:
    best: tuple[float, int, str, str, Feature | None] | None = None
    for register_name in record.names:
        theirs = normalise(register_name)
        for ours in entry.names:
            score = similarity(ours.normal, theirs)
            rank, form_feature = _FORM_RANK_NEUTRAL, None
            if score >= 0.97:
                firm_forms = entry.forms.get(ours.normal.key, frozenset())
                if firm_forms and theirs.forms:
                    shared = firm_forms & theirs.forms
                    if shared:
                        rank = _FORM_RANK_AGREE
                        note = f"both {'/'.join(sorted(shared))}"
                        form_feature = Feature("legal form", 0.03, note)
                    else:
                        rank = _FORM_RANK_CONFLICT
                        note = (
                            f"{'/'.join(sorted(theirs.forms))} in the register, "
                            f"{'/'.join(sorted(firm_forms))} in the store"
                        )
                        form_feature = Feature("legal form", -0.25, note)
            option = (score, rank, ours.label, register_name, form_feature)
            if best is None or option[:2] > best[:2]:
                best = option
    if best is None:
        return [Feature("name", 0.0, "no comparable name")]
    score, _, ours_label, theirs_label, form_feature = best
    features = [Feature("name", score, f"{ours_label!r} ~ {theirs_label!r}")]
    if form_feature is not None:
        features.append(form_feature)
    return features


def _features(entry: _Entry, record: RegisterRecord) -> list[Feature]:
    firm = entry.firm
    features = _name_features(entry, record)
    symbols = sorted({listing.symbol for listing in record.listings} & firm.symbols)
    if symbols:
        features.append(Feature("ticker", 0.10, ", ".join(symbols)))
    if record.countries and firm.countries:
        shared = record.countries & firm.countries
        if shared:
            features.append(Feature("country", 0.05, "/".join(sorted(shared)).upper()))
        else:
            note = (
                f"{'/'.join(sorted(record.countries)).upper()} in the register, "
                f"{'/'.join(sorted(firm.countries)).upper()} in the store"
            )
            features.append(Feature("country", -0.20, note))
    status = (record.registration_status or "").upper()
    if status in _DEAD_REGISTRATIONS:
        features.append(Feature("registration", -1.0, f"{status}: not a live identifier"))
    elif status == "LAPSED":
        features.append(Feature("registration", -0.02, "LAPSED (not renewed)"))
    if (record.entity_status or "").upper() == "INACTIVE":
        features.append(Feature("entity status", -0.30, "INACTIVE"))
    for kind, values in sorted(record.claims.items()):
        held = {_canonical(kind, v) for v in firm.held(kind)}
        claimed = {_canonical(kind, v) for v in values}
        if not held or not claimed:
            continue
        if held & claimed:
            features.append(Feature(str(kind), 0.30, f"same {kind} {min(held & claimed)}"))
        else:
            note = f"{kind} {min(claimed)} in the register, {min(held)} in the store"
            features.append(Feature(str(kind), -0.30, note))
    held = {_canonical(record.kind, v) for v in firm.held(record.kind)}
    if _canonical(record.kind, record.identifier) in held:
        features.append(Feature("identifier", 1.0, f"the store already holds this {record.kind}"))
    return features


class CandidatePool:
    """The best few candidates per firm (and any that carry an identifier the firm holds):
    bounded memory however long the register."""

    def __init__(self, *, keep: int = 5) -> None:
        self._keep = keep
        self._heaps: dict[str, list[tuple[float, int, Candidate]]] = defaultdict(list)
        self._pinned: dict[str, list[Candidate]] = defaultdict(list)
        self._counter = itertools.count()

    def add(self, candidate: Candidate) -> None:
        firm = str(candidate.firm.iri)
        if any(f.name == "identifier" for f in candidate.features):
            self._pinned[firm].append(candidate)
            return
        heap = self._heaps[firm]
        item = (candidate.raw, -next(self._counter), candidate)
        if len(heap) < self._keep:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    def for_firm(self, firm: FirmProfile) -> list[Candidate]:
        """The firm's candidates, best first."""
        key = str(firm.iri)
        found = self._pinned.get(key, []) + [c for _, _, c in self._heaps.get(key, [])]
        return sorted(found, key=lambda c: (-c.raw, c.identifier))

    def identifiers(self) -> set[str]:
        found = {c.identifier for cs in self._pinned.values() for c in cs}
        found |= {c.identifier for heap in self._heaps.values() for _, _, c in heap}
        return found

    def replace(self, firm: FirmProfile, candidates: Iterable[Candidate]) -> None:
        key = str(firm.iri)
        self._pinned.pop(key, None)
        self._heaps.pop(key, None)
        for candidate in candidates:
            self.add(candidate)


def demote_subsidiaries(
    pool: CandidatePool, firms: Iterable[FirmProfile], parents: Mapping[str, frozenset[str]]
) -> None:
    """A candidate consolidated by another candidate of the same firm is probably the firm's
    subsidiary (``NVIDIA ... Holdings``): its score drops by 0.15."""
    for firm in firms:
        candidates = pool.for_firm(firm)
        ids = {c.identifier for c in candidates}
        changed = []
        for c in candidates:
            above = sorted(parents.get(c.identifier, frozenset()) & (ids - {c.identifier}))
            if above:
                note = f"consolidated by {above[0]}, another candidate"
                c = c.with_feature(Feature("parent", -0.15, note))
            changed.append(c)
        pool.replace(firm, changed)


class Verdict(StrEnum):
    LINK = "link"
    CONFIRMED = "confirmed"
    REVIEW = "review"
    CONFLICT = "conflict"
    NONE = "none"


@dataclass(frozen=True)
class Decision:
    """What ``kg link`` does about one firm, and why."""

    firm: FirmProfile
    verdict: Verdict
    reason: str
    candidate: Candidate | None = None
    considered: tuple[Candidate, ...] = field(default=())

    @property
    def is_link(self) -> bool:
        return self.verdict in (Verdict.LINK, Verdict.CONFIRMED)


def _decide_one(
    firm: FirmProfile,
    candidates: list[Candidate],
    kind: IdKind,
    th: Thresholds,
    holders: Mapping[str, set[str]],
) -> Decision:
    considered = tuple(candidates)

    def verdict(what: Verdict, reason: str, chosen: Candidate | None = None) -> Decision:
        return Decision(firm, what, reason, chosen, considered)

    held = sorted(firm.held(kind))
    if held:
        same = [c for c in candidates if any(f.name == "identifier" for f in c.features)]
        if len(held) > 1:
            agrees = ", ".join(sorted({c.identifier for c in same})) or "none of them"
            reason = f"the store holds {len(held)} {kind}s ({', '.join(held)}); the register "
            reason += f"agrees with {agrees}"
            return verdict(Verdict.CONFLICT, reason, same[0] if same else None)
        if same:
            c = same[0]
            if c.name_score >= th.review:
                reason = f"the register agrees with the store's {kind} {c.identifier}"
                return verdict(Verdict.CONFIRMED, reason, c)
            reason = (
                f"the store's {kind} {c.identifier} is {c.record.display_name!r} in the "
                f"register (name score {c.name_score:.2f})"
            )
            best = next((b for b in candidates if b.identifier != c.identifier), None)
            if best is not None and best.score >= th.review:
                reason += (
                    f"; the register's best match is {best.identifier} "
                    f"{best.record.display_name!r} ({best.score:.2f})"
                )
            return verdict(Verdict.CONFLICT, reason, c)
        top = next((c for c in candidates if c.score >= th.accept and c.corroborated), None)
        if top is not None:
            reason = (
                f"the store has {kind} {', '.join(held)}; the register's best match is "
                f"{top.identifier} {top.record.display_name!r} ({top.score:.2f})"
            )
            return verdict(Verdict.CONFLICT, reason, top)
        return verdict(
            Verdict.NONE, f"the store's {kind} {', '.join(held)} is not in this register"
        )
    if not candidates or candidates[0].score < th.review:
        best_note = f" (best {candidates[0].score:.2f})" if candidates else ""
        return verdict(Verdict.NONE, f"no entry reaches the review band{best_note}")
    top = candidates[0]
    rival = next(
        (c for c in candidates[1:] if c.identifier != top.identifier and c.corroborated), None
    )
    if top.score < th.accept:
        return verdict(Verdict.REVIEW, f"score {top.score:.2f} is in the review band", top)
    if not top.corroborated:
        reason = (
            "only the name matches: nothing else (legal form, ticker, country, identifier) "
            "corroborates it"
        )
        return verdict(Verdict.REVIEW, reason, top)
    if rival is not None and rival.raw > top.raw - th.margin:
        reason = (
            f"ambiguous: {top.identifier} ({top.score:.2f}) and {rival.identifier} "
            f"({rival.score:.2f})"
        )
        return verdict(Verdict.REVIEW, reason, top)
    owners = holders.get(_canonical(kind, top.identifier), set()) - {str(firm.iri)}
    if owners:
        reason = f"{kind} {top.identifier} already belongs to {', '.join(sorted(owners))}"
        return verdict(Verdict.CONFLICT, reason + " in the store", top)
    return verdict(Verdict.LINK, f"score {top.score:.2f}", top)


def decide(
    pool: CandidatePool, firms: Sequence[FirmProfile], kind: IdKind, thresholds: Thresholds
) -> list[Decision]:
    """One decision per firm, in the order of ``firms``."""
    holders: dict[str, set[str]] = defaultdict(set)
    for firm in firms:
        for value in firm.held(kind):
            holders[_canonical(kind, value)].add(str(firm.iri))
    decisions = [_decide_one(f, pool.for_firm(f), kind, thresholds, holders) for f in firms]
    # one identifier, one firm: among new links the clear winner keeps it, else all go to review
    by_identifier: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(decisions):
        if d.verdict is Verdict.LINK and d.candidate is not None:
            by_identifier[d.candidate.identifier].append(i)
    for identifier, positions in by_identifier.items():
        if len(positions) < 2:
            continue
        ranked = sorted(positions, key=lambda i: -decisions[i].candidate.raw)  # type: ignore[union-attr]
        scores = [decisions[i].candidate.raw for i in ranked]  # type: ignore[union-attr]
        winner = ranked[0] if scores[0] - scores[1] >= thresholds.margin else None
        refs = ", ".join(decisions[i].firm.ref for i in ranked)
        for i in ranked:
            if i == winner:
                continue
            d = decisions[i]
            decisions[i] = Decision(
                d.firm,
                Verdict.REVIEW,
                f"{kind} {identifier} matches several firms ({refs})",
                d.candidate,
                d.considered,
            )
    return decisions
