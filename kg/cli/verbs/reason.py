"""`kg reason`: OWL consistency, unsatisfiable classes and inferences (HermiT or Pellet).

``kg reason`` reasons over the ontology, the reference data and the store's graphs (if there
is a store) and writes what it infers to the graph ``.../id/graph/inferred``; ``kg reason
FILE...`` reasons over the ontology, the reference data and the given RDF files, without a store.
Exit status: 0 consistent, 1 inconsistent (with an explanation), 2 an error (no Java, bad file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import Graph, URIRef

from kg.cli.common import add_store_option, store_path
from kg.core.errors import InputError
from kg.core.extras import require
from kg.core.iris import GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.reason.run import Explanation, Reasoner, ReasoningReport, reason, short_name

__all__ = ["add_arguments", "run"]

#: store graphs not read: the packaged ontology and reference data stand in for the first two,
#: and the inferred graph is what this verb rewrites
_SKIPPED = frozenset({GRAPH_ONTOLOGY, GRAPH_REFERENCE, GRAPH_INFERRED})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files to reason over with the ontology and reference data (no store is used)",
    )
    add_store_option(parser)
    parser.add_argument(
        "--reasoner",
        choices=["hermit", "pellet"],
        default="hermit",
        help="the OWL reasoner (default: hermit)",
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="do not write the inferred triples to the store",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="how to print the report (default: text)",
    )


def run(args: argparse.Namespace) -> int:
    require("reason", what="kg reason")
    from kg.core.ontology import load_ontology, load_reference

    graphs: list[Graph] = [load_ontology(), load_reference()]
    sources = ["ontology", "reference data"]
    files: list[Path] = args.files
    if files:
        for path in files:
            graphs.extend(_read(path))
        sources.append(f"{len(files)} file(s)")
        report = _reason(graphs, args.reasoner)
        written = None
    else:
        report, written, store_graphs = _reason_over_store(args, graphs)
        sources.append(f"{store_graphs} store graph(s)" if store_graphs is not None else "no store")
    if args.format == "json":
        print(json.dumps(_as_json(report, sources, written), indent=2, ensure_ascii=False))
    else:
        print(_as_text(report, sources, written))
    return 0 if report.consistent else 1


def _reason(graphs: list[Graph], reasoner: str) -> ReasoningReport:
    if sys.stderr.isatty():
        total = sum(len(g) for g in graphs)
        print(f"kg reason: running {reasoner} over {total} triples ...", file=sys.stderr)
    return reason(graphs=graphs, reasoner=Reasoner(reasoner))


def _reason_over_store(
    args: argparse.Namespace, graphs: list[Graph]
) -> tuple[ReasoningReport, str | None, int | None]:
    from kg.store.embedded import Store

    path = store_path(args)
    if not path.is_dir():
        if args.store is not None:
            raise InputError("no store here: run 'kg build' first", file=path)
        return _reason(graphs, args.reasoner), None, None
    with Store.open(path, read_only=args.no_write) as store:
        names = [name for name in store.graph_names() if name not in _SKIPPED]
        graphs.extend(store.graph(name) for name in names)
        report = _reason(graphs, args.reasoner)
        if args.no_write:
            return report, None, len(names)
        if report.consistent:
            store.replace_graph(GRAPH_INFERRED, report.inferred_graph())
            return report, "written", len(names)
        store.remove_graph(GRAPH_INFERRED)
        return report, "cleared", len(names)


def _read(path: Path) -> list[Graph]:
    """The graphs of an RDF file (any format the project reads, told by the extension): one
    per named graph, the default graph's triples as one more."""
    import pyoxigraph as ox

    from kg.core.terms import term_converter
    from kg.store.formats import read_quads

    default = ox.NamedNode(path.resolve().as_uri())
    graphs: dict[str, Graph] = {}
    convert = term_converter()
    for quad in read_quads(path, default_graph=default):
        name = str(quad.graph_name)
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = Graph()
        graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return [g for g in graphs.values() if len(g)]


def _as_text(report: ReasoningReport, sources: list[str], written: str | None) -> str:
    r = report
    state = "consistent" if r.consistent else "INCONSISTENT"
    lines = [
        f"{r.reasoner.display_name}: {state} ({r.input_triples} triples: {', '.join(sources)})"
    ]
    unsat = ", ".join(short_name(c) for c in r.unsatisfiable) or "none"
    if not r.consistent:
        if r.unsatisfiable:
            lines.append(f"unsatisfiable classes (below two disjoint classes): {unsat}")
        lines.append("explanation:")
        lines.extend(_explanations(r.explanations))
        if written == "cleared":
            lines.append(f"the graph <{GRAPH_INFERRED}> was cleared")
        return "\n".join(lines)
    lines.append(f"unsatisfiable classes: {unsat}")
    where = {
        "written": f", written to graph <{GRAPH_INFERRED}>",
        None: " (not written)",
    }[written]
    lines.append(f"inferred: {len(r.inferred)} triples{where}")
    for title, counts in (
        ("class memberships", r.type_counts()),
        ("property assertions", r.property_counts()),
    ):
        if counts:
            lines.append(f"  {title}:")
            width = max(len(short_name(k)) for k in counts)
            lines.extend(f"    {short_name(k):<{width}}  {n:>6}" for k, n in counts.items())
    return "\n".join(lines)


def _explanations(explanations: tuple[Explanation, ...]) -> list[str]:
    """Each explanation with its axioms; one that differs from an earlier one only by the
    individual's name is listed in one line after them."""
    lines: list[str] = []
    alike: dict[tuple[str, ...], list[URIRef]] = {}
    for e in explanations:
        shape: tuple[str, ...] = ()
        if len(e.individuals) == 1:
            name = short_name(e.individuals[0])
            shape = (e.summary().replace(name, "?"), *(a.replace(name, "?") for a in e.axioms))
            if shape in alike:
                alike[shape].append(e.individuals[0])
                continue
            alike[shape] = []
        lines.append(f"  {e.summary()}")
        lines.extend(f"    {axiom}" for axiom in e.axioms)
    for others in alike.values():
        if others:
            lines.append(f"  the same for: {', '.join(short_name(i) for i in others)}")
    return lines


def _as_json(report: ReasoningReport, sources: list[str], written: str | None) -> dict[str, object]:
    r = report
    return {
        "reasoner": r.reasoner.value,
        "consistent": r.consistent,
        "input_triples": r.input_triples,
        "sources": sources,
        "unsatisfiable": [str(c) for c in r.unsatisfiable],
        "inferred": {
            "triples": len(r.inferred),
            "classes": {str(k): n for k, n in r.type_counts().items()},
            "properties": {str(k): n for k, n in r.property_counts().items()},
        },
        "graph": str(GRAPH_INFERRED) if written else None,
        "written": written,
        "explanations": [
            {
                "method": e.method,
                "summary": e.summary(),
                "individuals": [str(i) for i in e.individuals],
                "classes": [str(c) for c in e.classes],
                "axioms": list(e.axioms),
                "complete": e.complete,
            }
            for e in r.explanations
        ],
    }
