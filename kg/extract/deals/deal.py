"""A deal found in an article, and how two mentions of one deal merge."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.figures.quantities import Quantity
from kg.extract.tables import deal_tables

__all__ = [
    "UNNAMED_LENDER",
    "Deal",
    "as_money",
    "compatible",
    "merge",
    "settled_against_failed",
]

#: the lender of a financing whose text names none (bond investors, the banks of a loan): the
#: draft writes it as the reviewed records write a party they cannot name, a node with a
#: description
UNNAMED_LENDER = "agent/unnamed-lender"


@dataclass(slots=True)
class Deal:
    """A deal found in an article (offsets in the view text)."""

    type: str
    roles: dict[str, list[str]]
    evidence: list[tuple[int, int]]
    method: str
    confidence: float
    sentence: int
    amount: Quantity | None = None
    capacity: Quantity | None = None
    chip_count: Quantity | None = None
    duration: Quantity | None = None
    products: list[str] = field(default_factory=list)
    datacenters: list[str] = field(default_factory=list)
    date: str | None = None
    start_date: str | None = None
    statuses: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[dict[str, object]] = field(default_factory=list)
    part_of: int | None = None
    trigger: int = 0
    symmetric: bool = False
    negated: bool = False
    default_status: bool = False
    serial: int = 0  # the order deals were first found in (set by the engine)
    tranche: bool = False  # said of a first tranche or phase: part of a deal named before

    def parties(self) -> frozenset[tuple[str, str]]:
        """(role, party) pairs; the generic ``party`` (a licence's destination) counts only
        when no role does."""
        pairs = frozenset((role, ref) for role, refs in self.roles.items() for ref in refs)
        roles = frozenset(p for p in pairs if p[0] != "party")
        return roles or pairs

    def refs(self) -> set[str]:
        return {ref for refs in self.roles.values() for ref in refs}


def as_money(q: Quantity, currency: str) -> Quantity:
    """A bare figure read as money in ``currency``."""
    return Quantity(
        kind="money",
        unit=currency,
        start=q.start,
        end=q.end,
        value=q.value,
        min_value=q.min_value,
        max_value=q.max_value,
        bound=q.bound,
    )


def _negative() -> frozenset[str]:
    return frozenset(name for name, _ in deal_tables().negative_statuses)


def settled_against_failed(a: Deal, b: Deal) -> bool:
    """``a`` is reported done while ``b`` was denied, withdrawn, cancelled or stalled."""
    done = any(status == "Completed" for status, _ in a.statuses)
    negative = _negative()
    return done and any(status in negative for status, _ in b.statuses)


def compatible(a: Deal, b: Deal) -> bool:
    """Two mentions can be one deal: their amounts agree, both or neither are part of a round,
    and one is not reported done while the other was denied, withdrawn, cancelled or stalled
    (a stake held now is another deal than the commitment that fell through)."""
    if settled_against_failed(a, b) or settled_against_failed(b, a):
        return False
    if a.amount is not None and b.amount is not None:
        x, y = a.amount.point, b.amount.point
        if x and abs(x - y) > abs(x) / 100:
            return False
    return (a.part_of is None) == (b.part_of is None)


def merge(into: Deal, other: Deal) -> None:
    """``other`` is another mention of ``into``: its evidence, figures and statuses join."""
    for span in other.evidence:
        if span not in into.evidence:
            into.evidence.append(span)
    for name in ("amount", "capacity", "chip_count", "duration", "date", "start_date"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(other, name))
    for ref in other.roles.get("party", []):
        into.roles.setdefault("party", [])
        if ref not in into.roles["party"]:
            into.roles["party"].append(ref)
    for ref in other.products:
        if ref not in into.products:
            into.products.append(ref)
    for ref in other.datacenters:
        if ref not in into.datacenters:
            into.datacenters.append(ref)
    _merge_statuses(into, other)
    into.conditions += [c for c in other.conditions if c not in into.conditions]
    into.confidence = max(into.confidence, other.confidence)


def _merge_statuses(into: Deal, other: Deal) -> None:
    """Negative statuses (denied, withdrawn ...) are all kept; of the positive ones the most
    specific wins, and a status no word supported never replaces one that a word did."""
    rank = deal_tables().positive_rank
    if other.default_status and into.statuses:
        return
    for status, as_of in other.statuses:
        if status in {s for s, _ in into.statuses}:
            continue
        if status not in rank:
            into.statuses.append((status, as_of))
            continue
        positive = [(s, d) for s, d in into.statuses if s in rank]
        if not positive:
            into.statuses.insert(0, (status, as_of))
        elif into.default_status or rank[status] > rank[positive[0][0]]:
            into.statuses[into.statuses.index(positive[0])] = (status, as_of)
    if not other.default_status:
        into.default_status = False
