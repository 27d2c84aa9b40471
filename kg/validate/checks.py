"""Running the compiled SHACL checks (:mod:`kg.validate.compiled`) on a store: every check is one
SPARQL query over all graphs at once, with the reference and ontology graphs as the default
graph; the findings are the focus nodes that violate a constraint, per graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
from rdflib import XSD
from rdflib.namespace import RDF, RDFS

from kg.store.embedded import Store
from kg.validate.compiled import Check, CompiledShapes, DefaultGraph, Finding
from kg.validate.functions import LEI_CHECKSUM_VALID, lei_checksum_valid

__all__ = ["check_store", "custom_functions", "read_default_graph"]

_XSD = str(XSD)


def custom_functions() -> dict[ox.NamedNode, Callable[..., object]]:
    """The shapes' custom SPARQL functions, for Oxigraph (the same as kg.validate.functions
    registers with rdflib)."""

    def lei(value: object) -> ox.Literal | None:
        if not isinstance(value, ox.Literal):
            return None
        valid = lei_checksum_valid(value.value)
        return ox.Literal("true" if valid else "false", datatype=ox.NamedNode(_XSD + "boolean"))

    return {ox.NamedNode(str(LEI_CHECKSUM_VALID)): lei}


def read_default_graph(store: ox.Store | Store, graphs: Iterable[str]) -> DefaultGraph:
    """The predicates and the rdfs:subClassOf edges of ``graphs`` in ``store``."""
    predicates: set[str] = set()
    types: set[str] = set()
    children: dict[str, set[str]] = {}
    for graph in graphs:
        result = store.query(
            f"SELECT DISTINCT ?t WHERE {{ GRAPH <{graph}> {{ ?s <{RDF.type}> ?t }} }}"
        )
        types |= {row["t"].value for row in result}  # type: ignore[union-attr]
        result = store.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        predicates |= {row["p"].value for row in result}  # type: ignore[union-attr]
        edges = store.query(
            f"SELECT ?sub ?sup WHERE {{ GRAPH <{graph}> {{ ?sub <{RDFS.subClassOf}> ?sup }} }}"
        )
        for row in edges:  # type: ignore[union-attr]
            sub, sup = row["sub"], row["sup"]
            if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode):
                children.setdefault(sup.value, set()).add(sub.value)
    return DefaultGraph(
        frozenset(predicates),
        {k: frozenset(v) for k, v in children.items()},
        frozenset(types),
    )


def _run_one(
    store: ox.Store | Store, check: Check, *, default_graph: list[ox.NamedNode]
) -> list[Finding]:
    result = store.query(
        check.query,
        default_graph=default_graph,  # type: ignore[arg-type]
        custom_functions=custom_functions(),  # type: ignore[arg-type]
    )
    findings = []
    for row in result:  # type: ignore[union-attr]
        graph, focus = row["g"], row["this"]
        if graph is None or focus is None:
            continue
        findings.append(
            Finding(
                graph=graph.value,
                focus=focus.value if not isinstance(focus, ox.Literal) else str(focus),
                shape=str(check.shape),
                component=check.component,
                severity=str(check.severity),
                top=str(check.top if check.top is not None else check.shape),
                iri=isinstance(focus, ox.NamedNode),
            )
        )
    return findings


def check_store(
    store: ox.Store | Store,
    compiled: CompiledShapes,
    *,
    default_graph: Iterable[str],
    graphs: Iterable[str] | None = None,
    threads: int = 2,
) -> list[Finding]:
    """Run every check on ``store``: the data graph of each named graph is that graph plus
    ``default_graph``; the findings of the graphs in ``graphs`` (default: all) are returned,
    sorted. What ``compiled.unsupported`` lists was not checked.

    (The graphs are filtered here, not with Oxigraph's ``named_graphs`` option: a long list
    there makes every ``GRAPH ?g`` pattern try each graph in turn.)
    """
    defaults = [ox.NamedNode(g) for g in default_graph]
    wanted = set(graphs) if graphs is not None else None
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        parts = pool.map(lambda c: _run_one(store, c, default_graph=defaults), compiled.checks)
        findings = {f for part in parts for f in part if wanted is None or f.graph in wanted}
    return sorted(findings, key=lambda f: (f.graph, f.focus, f.shape, f.component))
