"""What a public register says about one entity, whatever its file format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.core.identifiers import IdKind

__all__ = ["Listing", "RegisterRecord"]


@dataclass(frozen=True, slots=True, order=True)
class Listing:
    """A ticker symbol and, when the register says, the exchange's ISO 10383 MIC."""

    symbol: str
    mic: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterRecord:
    """One entity of a register: its identifier of kind ``kind`` and what helps to match it.

    ``row`` is where the entity is in its source (a CSV line, a JSON row index, a result row),
    for messages and ``--explain``. ``claims`` are other identifiers the register asserts
    (a Wikidata item's LEI and CIK), compared with what the store already holds.
    """

    kind: IdKind
    identifier: str
    names: tuple[str, ...]
    row: int
    listings: tuple[Listing, ...] = ()
    countries: frozenset[str] = frozenset()
    jurisdiction: str | None = None
    registration_status: str | None = None
    entity_status: str | None = None
    claims: Mapping[IdKind, frozenset[str]] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.names[0] if self.names else self.identifier
