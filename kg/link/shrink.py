"""A register that shrank: the guard that keeps ``kg link`` from wiping the links it made.

A register file that is empty, cut short or of the wrong kind yields few entries or none, and
linking with it would replace a linkset of many links by one of few. Before the store's linkset
of a source is replaced, the new run is compared with the last one (its provenance records the
register's entries, ``void:entities``, and the graph holds its links): a run with no entries, or
with fewer than half the entries or half the links of the last run, is refused unless the user
says ``--replace``.

>>> refusal(Run(entries=0, links=0), Run(entries=None, links=0), source="gleif")
'the gleif register gave no entries'
>>> refusal(Run(entries=900, links=2), Run(entries=1000, links=13), source="gleif") is not None
True
>>> refusal(Run(entries=990, links=12), Run(entries=1000, links=13), source="gleif") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, VOID

from kg.core.namespaces import AIKG

__all__ = ["Run", "of_graph", "refusal"]

#: a run under this share of the last run's entries or links is refused
SHARE = 0.5

_LINKS = (AIKG.lei, AIKG.cik, SKOS.exactMatch)


@dataclass(frozen=True)
class Run:
    """What one run of a source gave: the register's entries (None: not recorded) and links."""

    entries: int | None
    links: int


def of_graph(graph: Graph, input_node: URIRef) -> Run:
    """The run a linkset graph records (``input_node``: the run's input, in its provenance)."""
    entries = None
    value = graph.value(input_node, VOID.entities)
    if isinstance(value, Literal):
        try:
            entries = int(str(value))
        except ValueError:
            entries = None
    links = sum(1 for p in _LINKS for _ in graph.triples((None, p, None)))
    return Run(entries, links)


def refusal(new: Run, last: Run, *, source: str) -> str | None:
    """Why the ``new`` run must not replace the ``last`` one (None: it may)."""
    if new.entries == 0:
        return f"the {source} register gave no entries"
    if last.entries and new.entries is not None and new.entries < last.entries * SHARE:
        return (
            f"the {source} register gave {new.entries:,} entries, the last run's "
            f"{last.entries:,}: is the file cut short?"
        )
    if last.links and new.links < last.links * SHARE:
        return f"this run makes {new.links} links of {source}, the last run {last.links}"
    return None
