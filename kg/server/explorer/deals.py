"""Deal summaries for the explorer: who, how much, how big, and where each deal stands now.

A deal's facts are spread over the articles that report it; a summary takes its parties from all
of them, its **latest status** (the status entry with the latest date), and its **latest amount
and capacity** (from the article published last that gives one). Read from
``sparql/deal-summaries.rq`` in one query for one deal or for all; ``loops`` ranks the cycles of
the ``capital-cycles`` template by the money that goes round them.

>>> from rdflib import URIRef
>>> status_key(URIRef("https://w3id.org/aikg/ontology#LetterOfIntent"))
'letterofintent'
>>> status_key(None)
'none'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.iris import ONTOLOGY
from kg.query import amounts
from kg.query.pictures.flows import ENDED_STATUSES
from kg.server.explorer.data import rows
from kg.store.embedded import Store

__all__ = [
    "ENDED",
    "SIZES",
    "Figure",
    "Loop",
    "Step",
    "Summary",
    "figure_text",
    "loops",
    "size_buckets",
    "status_counts",
    "status_key",
    "summaries",
]

#: the statuses after which a deal no longer moves money (the style sheet strikes them through)
ENDED = frozenset(name.lower() for name in ENDED_STATUSES)
#: the lower ends of the size buckets of the home page, in US dollars
SIZES = (Decimal(10) ** 11, Decimal(10) ** 10, Decimal(10) ** 9, Decimal(0))
#: roles in the order a summary lists them: who pays before who is paid
_ROLES = "investor investee buyer supplier borrower lender licensor licensee participant"
_ROLE_ORDER = {ONTOLOGY + name: i for i, name in enumerate(_ROLES.split())}
_AMOUNT = URIRef(ONTOLOGY + "amount")
_CAPACITY = URIRef(ONTOLOGY + "capacity")


def status_key(status: Node | None) -> str:
    """The status's name as a CSS class suffix (``denied``, ``stalled`` ...; ``none``)."""
    if status is None:
        return "none"
    return str(status).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()


def _decimal(term: Node | None) -> Decimal | None:
    return amounts.parse_decimal(term) if isinstance(term, Literal) else None


@dataclass(frozen=True)
class Figure:
    """An amount (``unit`` a currency code) or a capacity (``unit`` a QUDT unit IRI), as one
    article gives it: a value, or a range ``low``..``high``, with its bound."""

    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str | None
    bound: URIRef | None
    when: str
    article: URIRef

    @property
    def top(self) -> Decimal | None:
        """The figure, or the top of its range."""
        return self.value if self.value is not None else self.high


def figure_text(figure: Figure, *, lang: str) -> str:
    """``at most US$100 bn``, ``10 GW``, ``US$6–7 bn``: the figure with its bound in ``lang``
    (:func:`kg.query.amounts.figure`)."""
    return amounts.figure(
        value=figure.value,
        low=figure.low,
        high=figure.high,
        unit=figure.unit,
        bound=figure.bound,
        lang=lang,
    )


@dataclass(frozen=True)
class Summary:
    """One deal as the explorer sums it up."""

    deal: URIRef
    kinds: tuple[URIRef, ...]
    #: (role, party) pairs over every article, in a stable order
    parties: tuple[tuple[URIRef, URIRef], ...]
    status: URIRef | None
    status_as_of: str | None
    amount: Figure | None
    capacity: Figure | None
    #: the articles that say anything about the deal, oldest first
    articles: tuple[URIRef, ...]

    @property
    def status_class(self) -> str:
        """``status-denied`` ...: the CSS class its latest status gives it."""
        return "status-" + status_key(self.status)

    @property
    def ended(self) -> bool:
        """Whether its latest status says it is off (denied, withdrawn, cancelled)."""
        return status_key(self.status) in ENDED

    @property
    def usd(self) -> Decimal | None:
        """Its amount in US dollars (the top of a range), when it is given in dollars."""
        if self.amount is None or (self.amount.unit or "").upper() != "USD":
            return None
        return self.amount.top

    def terms(self) -> set[URIRef]:
        """Every IRI a page shows for it (to fetch their labels)."""
        out = {self.deal, *self.kinds, *self.articles}
        out.update(term for pair in self.parties for term in pair)
        for term in (self.status, self.amount and self.amount.bound):
            if isinstance(term, URIRef):
                out.add(term)
        if self.capacity is not None and self.capacity.bound is not None:
            out.add(self.capacity.bound)
        return out


@dataclass
class _Facts:
    kinds: dict[URIRef, None]
    parties: set[tuple[URIRef, URIRef]]
    statuses: list[tuple[str, str, str, URIRef]]
    figures: dict[URIRef, list[Figure]]
    articles: dict[URIRef, str]


def _party_order(pair: tuple[URIRef, URIRef]) -> tuple[int, str, str]:
    role, party = pair
    return (_ROLE_ORDER.get(str(role), len(_ROLE_ORDER)), str(role), str(party))


def _latest(figures: Sequence[Figure]) -> Figure | None:
    return max(figures, key=lambda f: (f.when, str(f.article)), default=None)


def summaries(store: Store, deal: URIRef | None = None) -> list[Summary]:
    """The summary of ``deal``, or of every deal (largest amount in dollars first)."""
    found: dict[URIRef, _Facts] = {}
    for row in rows(store, "deal-summaries", deal):
        node, fact, article = row.get("node"), str(row.get("fact", "")), row.get("article")
        if not isinstance(node, URIRef) or not isinstance(article, URIRef):
            continue
        facts = found.setdefault(node, _Facts({}, set(), [], {}, {}))
        when, issued = str(row.get("when", "")), str(row.get("issued", ""))
        facts.articles[article] = issued
        value, key = row.get("value"), row.get("key")
        if fact == "type" and isinstance(value, URIRef):
            facts.kinds.setdefault(value, None)
        elif fact == "party" and isinstance(key, URIRef) and isinstance(value, URIRef):
            facts.parties.add((key, value))
        elif fact == "status" and isinstance(value, URIRef):
            facts.statuses.append((when, str(article), str(value), value))
        elif fact == "figure" and isinstance(key, URIRef):
            unit, bound = row.get("unit"), row.get("bound")
            facts.figures.setdefault(key, []).append(
                Figure(
                    value=_decimal(value),
                    low=_decimal(row.get("min")),
                    high=_decimal(row.get("max")),
                    unit=str(unit) if unit is not None else None,
                    bound=bound if isinstance(bound, URIRef) else None,
                    when=issued,
                    article=article,
                )
            )
    out = []
    for node, facts in found.items():
        latest = max(facts.statuses, default=None)
        out.append(
            Summary(
                deal=node,
                kinds=tuple(sorted(facts.kinds, key=str)),
                parties=tuple(sorted(facts.parties, key=_party_order)),
                status=latest[3] if latest else None,
                status_as_of=latest[0] if latest else None,
                amount=_latest(facts.figures.get(_AMOUNT, [])),
                capacity=_latest(facts.figures.get(_CAPACITY, [])),
                articles=tuple(sorted(facts.articles, key=lambda a: (facts.articles[a], str(a)))),
            )
        )
    return sorted(out, key=lambda s: (-(s.usd or Decimal(-1)), str(s.deal)))


def status_counts(deals: Iterable[Summary]) -> list[tuple[URIRef | None, int]]:
    """How many deals stand at each latest status, most first."""
    counts: dict[URIRef | None, int] = {}
    for s in deals:
        counts[s.status] = counts.get(s.status, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0] or "~")))


def size_buckets(deals: Iterable[Summary]) -> list[tuple[Decimal | None, list[Summary]]]:
    """Deals by size: (lower end in US$, deals) for each of :data:`SIZES`, then (None, the
    deals without an amount in dollars)."""
    buckets: dict[Decimal | None, list[Summary]] = {low: [] for low in SIZES}
    buckets[None] = []
    for s in deals:
        usd = s.usd
        low = next((low for low in SIZES if usd is not None and usd >= low), None)
        buckets[low].append(s)
    return list(buckets.items())


@dataclass(frozen=True)
class Step:
    """One flow of a loop: the deals that carry money from ``source`` to ``target``."""

    source: URIRef
    target: URIRef
    deals: tuple[Summary, ...]

    @property
    def biggest(self) -> Summary | None:
        """The deal of the step with the largest amount in dollars, a live one before one that
        is off (else its first)."""
        return max(self.deals, key=lambda s: (not s.ended, s.usd or Decimal(-1)), default=None)


@dataclass(frozen=True)
class Loop:
    """A cycle of money flows: its parties in order and a step per flow."""

    parties: tuple[URIRef, ...]
    steps: tuple[Step, ...]

    @property
    def usd(self) -> Decimal:
        """The largest dollar amount of each step (live deals first), added up."""
        return sum(
            (b.usd for step in self.steps if (b := step.biggest) and b.usd is not None),
            Decimal(0),
        )


def loops(
    cycle_rows: Iterable[Mapping[str, Node]], by_deal: Mapping[URIRef, Summary]
) -> list[Loop]:
    """The loops in ``capital-cycles`` rows, the most money first."""
    steps: dict[str, dict[int, tuple[URIRef, URIRef, list[Summary]]]] = {}
    for row in cycle_rows:
        cycle, step = row.get("cycle"), row.get("step")
        source, target, deal = row.get("from"), row.get("to"), row.get("deal")
        if not (isinstance(source, URIRef) and isinstance(target, URIRef)):
            continue
        if cycle is None or not isinstance(step, Literal):
            continue
        entry = steps.setdefault(str(cycle), {}).setdefault(
            int(step.toPython()), (source, target, [])
        )
        summary = by_deal.get(deal) if isinstance(deal, URIRef) else None
        if summary is not None and summary not in entry[2]:
            entry[2].append(summary)
    out = []
    for _, numbered in sorted(steps.items()):
        ordered = [numbered[k] for k in sorted(numbered)]
        out.append(
            Loop(
                parties=tuple(source for source, _, _ in ordered),
                steps=tuple(Step(s, t, tuple(d)) for s, t, d in ordered),
            )
        )
    return sorted(out, key=lambda loop: (-loop.usd, [str(p) for p in loop.parties]))
