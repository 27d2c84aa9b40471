"""The graph a picture draws: parties as nodes, deals (or uses) as edges, read from result rows.

Each graph-shaped template has its own reader that turns its rows into ``Edge`` values; a money
flow runs from the payer (investor, buyer, borrower) to the payee (investee, supplier, lender).
Edges that lie on a cycle of flows are marked, so a picture can highlight circular financing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.namespaces import AIKG
from kg.store.embedded import SelectResult

__all__ = ["GRAPH_TEMPLATES", "Edge", "FlowGraph", "read_flows"]

_PAYER_TO_PAYEE = {
    str(AIKG.investor): str(AIKG.investee),
    str(AIKG.buyer): str(AIKG.supplier),
    str(AIKG.borrower): str(AIKG.lender),
}
_PAYEE_TO_PAYER = {v: k for k, v in _PAYER_TO_PAYEE.items()}


@dataclass(frozen=True)
class Edge:
    """One edge: a deal between two parties (or a use of a chip, when ``deal`` is None).

    ``directed`` edges are money flows from ``source`` to ``target``; an undirected edge joins
    two parties of a deal without a flow between them (a partnership, a licence). ``note`` holds
    words the template itself supplies (``buys``, a chip, a kind of chip), as IRIs or literals.
    """

    source: URIRef
    target: URIRef
    deal: URIRef | None = None
    kind: URIRef | None = None
    note: tuple[Node, ...] = ()
    directed: bool = True
    on_cycle: bool = False


@dataclass(frozen=True)
class FlowGraph:
    """What one picture shows: its edges, the parties to stress, and cycles as lists of parties."""

    template: str
    edges: tuple[Edge, ...]
    focus: frozenset[URIRef] = frozenset()
    cycles: tuple[tuple[URIRef, ...], ...] = ()

    @property
    def nodes(self) -> list[URIRef]:
        """Every party, in a stable order (first appearance)."""
        seen: dict[URIRef, None] = {}
        for party in self.focus:
            seen.setdefault(party, None)
        for edge in self.edges:
            seen.setdefault(edge.source, None)
            seen.setdefault(edge.target, None)
        return sorted(seen, key=str)


def _iri(row: Mapping[str, Node], key: str) -> URIRef | None:
    value = row.get(key)
    return value if isinstance(value, URIRef) else None


def _dedupe(edges: Iterable[Edge]) -> tuple[Edge, ...]:
    out: dict[Edge, None] = {}
    for edge in edges:
        out.setdefault(edge, None)
    return tuple(out)


def _capital_cycles(result: SelectResult, bindings: Mapping[str, Node]) -> FlowGraph:
    del bindings
    edges: list[Edge] = []
    steps: dict[str, dict[int, URIRef]] = {}
    for row in result.rows:
        source, target, deal = _iri(row, "from"), _iri(row, "to"), _iri(row, "deal")
        if source is None or target is None:
            continue
        edges.append(Edge(source, target, deal=deal, kind=_iri(row, "dealType")))
        step, cycle = row.get("step"), row.get("cycle")
        if isinstance(step, Literal) and cycle is not None:
            steps.setdefault(str(cycle), {})[int(step.toPython())] = source
    cycles = tuple(
        tuple(parties[k] for k in sorted(parties)) for _, parties in sorted(steps.items())
    )
    return FlowGraph("capital-cycles", _dedupe(edges), cycles=cycles)


def _exposure(result: SelectResult, bindings: Mapping[str, Node]) -> FlowGraph:
    edges = [
        Edge(payer, dependent, deal=_iri(row, "deal"), kind=_iri(row, "dealType"))
        for row in result.rows
        if (payer := _iri(row, "payer")) is not None
        and (dependent := _iri(row, "dependent")) is not None
    ]
    focus = _iri(bindings, "_firm_iri")
    return FlowGraph("exposure", _dedupe(edges), focus=frozenset({focus} if focus else set()))


def _deals_of_firm(result: SelectResult, bindings: Mapping[str, Node]) -> FlowGraph:
    firm = _iri(bindings, "_firm_iri")
    edges: list[Edge] = []
    for row in result.rows:
        deal, other = _iri(row, "deal"), _iri(row, "counterparty")
        role, other_role = _iri(row, "role"), _iri(row, "counterpartyRole")
        if firm is None or deal is None or other is None or role is None or other_role is None:
            continue
        kind = _iri(row, "type")
        if _PAYER_TO_PAYEE.get(str(role)) == str(other_role):
            edges.append(Edge(firm, other, deal=deal, kind=kind))
        elif _PAYEE_TO_PAYER.get(str(role)) == str(other_role):
            edges.append(Edge(other, firm, deal=deal, kind=kind))
        elif role == other_role or str(role) in _PAYER_TO_PAYEE or str(role) in _PAYEE_TO_PAYER:
            continue  # co-investors of one round, or a payer role without its payee
        else:
            edges.append(Edge(firm, other, deal=deal, kind=kind, directed=False))
    return FlowGraph("deals-of-firm", _dedupe(edges), focus=frozenset({firm} if firm else set()))


def _chip_sourcing(result: SelectResult, bindings: Mapping[str, Node]) -> FlowGraph:
    del bindings
    edges: list[Edge] = []
    for row in result.rows:
        lab, vendor = _iri(row, "lab"), _iri(row, "vendor")
        if lab is None or vendor is None or lab == vendor:
            continue
        note = tuple(row[k] for k in ("how", "kind", "product") if k in row)
        edges.append(Edge(lab, vendor, note=note))
    return FlowGraph("chip-sourcing", _dedupe(edges))


_READERS: dict[str, Callable[[SelectResult, Mapping[str, Node]], FlowGraph]] = {
    "capital-cycles": _capital_cycles,
    "exposure": _exposure,
    "deals-of-firm": _deals_of_firm,
    "chip-sourcing": _chip_sourcing,
}

#: the templates whose rows read as a graph of parties
GRAPH_TEMPLATES = frozenset(_READERS)


def _strongly_connected(edges: Iterable[Edge]) -> dict[URIRef, int]:
    """Tarjan's algorithm over the directed edges: party → component number."""
    graph: dict[URIRef, list[URIRef]] = {}
    for edge in edges:
        if edge.directed:
            graph.setdefault(edge.source, []).append(edge.target)
            graph.setdefault(edge.target, [])
    index: dict[URIRef, int] = {}
    low: dict[URIRef, int] = {}
    stack: list[URIRef] = []
    on_stack: set[URIRef] = set()
    component: dict[URIRef, int] = {}

    def visit(start: URIRef) -> None:
        work = [(start, iter(sorted(graph[start], key=str)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child], key=str))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                number = len(set(component.values()))
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = number
                    if member == node:
                        break

    for node in sorted(graph, key=str):
        if node not in index:
            visit(node)
    return component


def _mark_cycles(graph: FlowGraph) -> FlowGraph:
    component = _strongly_connected(graph.edges)
    edges = tuple(
        replace(
            edge,
            on_cycle=edge.directed
            and edge.source != edge.target
            and component.get(edge.source) == component.get(edge.target),
        )
        for edge in graph.edges
    )
    return replace(graph, edges=edges)


def read_flows(template: str, result: SelectResult, bindings: Mapping[str, Node]) -> FlowGraph:
    """The graph in the rows of ``template``'s ``result``; edges on a cycle are marked.

    Raises ``KeyError`` for a template that is not graph-shaped (see ``GRAPH_TEMPLATES``).
    """
    return _mark_cycles(_READERS[template](result, bindings))
