"""The graphs ``kg build`` derives from the article graphs, kept in step at every write.

Each is an index for templates that would otherwise join the whole store at each call: the
conflicting reports (:mod:`kg.build.conflicts`) and the money flows (:mod:`kg.build.flows`).
``kg build`` and ``kg load`` derive them whole (:func:`derive_all`); ``kg build --update`` notes
what the changed article touches before and after the change (:func:`touched`) and derives
again only that (:func:`rederive`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.build.conflicts import (
    ConflictChange,
    Reported,
    derive_conflicts,
    rederive_conflicts,
    reported_in,
)
from kg.build.flows import FlowChange, Node, deals_in, derive_flows, rederive_flows
from kg.core.iris import GRAPH_CONFLICTS, GRAPH_FLOWS
from kg.store.embedded import Store

__all__ = ["Derived", "DerivedChange", "Touched", "derive_all", "rederive", "touched"]


@dataclass(frozen=True)
class Derived:
    """What :func:`derive_all` wrote."""

    conflicts: int  # conflicting reports
    flows: int  # money flows (pairs of parties)

    def lines(self) -> list[str]:
        return [
            f"conflicting reports: {self.conflicts} in {GRAPH_CONFLICTS}",
            f"money flows: {self.flows} in {GRAPH_FLOWS}",
        ]


def derive_all(store: Store) -> Derived:
    """Derive every derived graph of ``store`` whole, from all its article graphs."""
    return Derived(conflicts=derive_conflicts(store), flows=derive_flows(store))


@dataclass(frozen=True)
class Touched:
    """What an article graph touches in the derived graphs."""

    reported: set[Reported]  # the (node, property) pairs it reports on
    deals: set[Node]  # the deals it types or gives a payer's or payee's role

    def __or__(self, other: Touched) -> Touched:
        return Touched(self.reported | other.reported, self.deals | other.deals)


def touched(store: Store, article: ox.NamedNode) -> Touched:
    """What article graph ``article`` of ``store`` touches (nothing if there is no such graph)."""
    return Touched(reported_in(store, article), deals_in(store, article))


@dataclass(frozen=True)
class DerivedChange:
    """What :func:`rederive` changed."""

    conflicts: ConflictChange
    flows: FlowChange

    @property
    def triples(self) -> int:
        return self.conflicts.triples + self.flows.triples

    def lines(self) -> list[str]:
        return [self.conflicts.line(), self.flows.line()]


def rederive(store: Store, what: Touched) -> DerivedChange:
    """Derive again what ``what`` touches (an article before and after its change)."""
    return DerivedChange(
        conflicts=rederive_conflicts(store, what.reported), flows=rederive_flows(store, what.deals)
    )
