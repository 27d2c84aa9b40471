"""OWL reasoning over rdflib graphs with HermiT or Pellet (through owlready2), with explanations.

:func:`reason` merges the graphs, hands them to the reasoner in a private owlready2 ``World`` and
returns a :class:`ReasoningReport`: consistency, unsatisfiable classes, the inferred class
memberships and the inferred object-property assertions (the ``aikg:paysTo`` chains, inverses,
super-properties), as rdflib triples.

owlready2 reports an inconsistent ontology without saying why; the report then carries
:class:`Explanation` objects: first the individuals typed (directly, through
``rdfs:subClassOf``, ``rdfs:domain``/``rdfs:range`` or ``owl:sameAs``) with two disjoint
classes, and failing that the smallest set of individuals (then of their assertions) that keeps
the data inconsistent, found by re-running the reasoner on parts of the data (a bounded number
of runs). Graphs later in the list are suspected first: pass the ontology first, data last.

The parts: :mod:`kg.reason.report` (the report types), :mod:`kg.reason.reasoner` (running the
reasoner), :mod:`kg.reason.tbox` (merged input, TBox facts), :mod:`kg.reason.inferred` (sorting
and completing the inferred triples), :mod:`kg.reason.explain` (disjoint classes) and
:mod:`kg.reason.narrow` (narrowing by re-running the reasoner).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef

from kg.core.errors import InputError
from kg.core.iris import DERIVED_GRAPHS, GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.reason.explain import disjointness, unsatisfiable_by_hierarchy
from kg.reason.inferred import complete_properties, split_new
from kg.reason.narrow import narrow
from kg.reason.reasoner import Runner
from kg.reason.report import Explanation, Reasoner, ReasoningReport, short_name
from kg.reason.tbox import TBox, merge_graphs

__all__ = [
    "DEFAULT_MAX_RUNS",
    "Explanation",
    "Reasoner",
    "ReasoningReport",
    "StoreReasoning",
    "reason",
    "reason_store",
    "short_name",
]

#: reasoner runs spent at most on narrowing down an inconsistency
DEFAULT_MAX_RUNS = 24


def reason(
    *,
    graphs: Sequence[Graph] | Dataset,
    reasoner: Reasoner | str = Reasoner.HERMIT,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> ReasoningReport:
    """Check the graphs' union for consistency and infer class memberships and property values.

    ``max_runs`` bounds the extra reasoner runs spent explaining an inconsistency. Raises
    ``InputError`` when no Java runtime is found or the reasoner fails.
    """
    chosen = Reasoner(reasoner)
    source = merge_graphs(graphs)
    runner = Runner(chosen, max_runs=max_runs + 1)
    outcome = runner.run(source.graph, infer=True)
    tbox = TBox.of(source.graph)
    if not outcome.consistent:
        explanations = disjointness(source, tbox) or [narrow(source, runner)]
        declared = (c for c in source.graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
        return ReasoningReport(
            chosen,
            consistent=False,
            input_triples=len(source.graph),
            unsatisfiable=tuple(unsatisfiable_by_hierarchy(tbox, set(declared))),
            explanations=tuple(explanations),
            reasoner_runs=runner.runs,
        )
    types, props, unsatisfiable = split_new(outcome.new, source)
    props = complete_properties(props, source, tbox)
    return ReasoningReport(
        chosen,
        consistent=True,
        input_triples=len(source.graph),
        unsatisfiable=tuple(sorted(unsatisfiable, key=str)),
        inferred_types=tuple(sorted(types, key=lambda t: tuple(map(str, t)))),
        inferred_properties=tuple(sorted(props, key=lambda t: tuple(map(str, t)))),
        reasoner_runs=runner.runs,
    )


#: store graphs not read: the packaged ontology and reference data stand in for the first two,
#: and the inferred graph is what reasoning over a store rewrites
SKIPPED_GRAPHS = frozenset({GRAPH_ONTOLOGY, GRAPH_REFERENCE, GRAPH_INFERRED, *DERIVED_GRAPHS})


@dataclass(frozen=True)
class StoreReasoning:
    """What :func:`reason_store` did: the report; ``written`` ``"written"`` (the inferred graph
    replaced), ``"cleared"`` (inconsistent: the inferred graph removed) or None (not written);
    the number of store graphs read (None: there was no store)."""

    report: ReasoningReport
    written: str | None
    store_graphs: int | None

    @property
    def sources(self) -> list[str]:
        """What was reasoned over, in words."""
        if self.store_graphs is None:
            return ["ontology", "reference data", "no store"]
        return ["ontology", "reference data", f"{self.store_graphs} store graph(s)"]


def reason_store(
    path: Path,
    *,
    reasoner: Reasoner | str = Reasoner.HERMIT,
    write: bool = True,
    wait: float | None = None,
    required: bool = True,
    announce: Callable[[int], None] | None = None,
) -> StoreReasoning:
    """Reason over the packaged ontology and reference data and the store's graphs at ``path``
    (``kg reason``); with ``write``, the inferred triples replace the inferred graph (cleared if
    the data is inconsistent). No store at ``path``: an :class:`InputError` if ``required``,
    else the ontology and reference data alone. ``announce`` is told the number of input
    triples before the reasoner starts (it takes a while)."""
    from kg.core.ontology import load_ontology, load_reference
    from kg.store.embedded import Store

    graphs: list[Graph] = [load_ontology(), load_reference()]

    def run() -> ReasoningReport:
        if announce is not None:
            announce(sum(len(g) for g in graphs))
        return reason(graphs=graphs, reasoner=reasoner)

    path = Path(path)
    if not path.is_dir():
        if required:
            raise InputError("no store here: run 'kg build' first", file=path)
        return StoreReasoning(run(), None, None)
    with Store.open(path, read_only=not write, wait=wait) as store:
        names = [name for name in store.graph_names() if name not in SKIPPED_GRAPHS]
        graphs.extend(store.graph(name) for name in names)
        report = run()
        if not write:
            return StoreReasoning(report, None, len(names))
        if report.consistent:
            store.replace_graph(GRAPH_INFERRED, report.inferred_graph())
            return StoreReasoning(report, "written", len(names))
        store.remove_graph(GRAPH_INFERRED)
        return StoreReasoning(report, "cleared", len(names))
