"""`kg reason`: OWL consistency, unsatisfiable classes and inferences (HermiT or Pellet).

``kg reason`` reasons over the ontology, the reference data and the store's graphs (if there
is a store) and writes what it infers to the graph ``.../id/graph/inferred``; ``kg reason
FILE...`` reasons over the ontology, the reference data and the given RDF files, without a store.
Exit status: 0 consistent, 1 inconsistent (with an explanation), 2 an error (no Java, bad file).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rdflib import Graph, URIRef

from kg.cli.common import add_quiet_option, add_store_option, progress_line, store_path, store_wait
from kg.core.extras import require
from kg.core.iris import GRAPH_INFERRED
from kg.reason.run import (
    Explanation,
    Reasoner,
    ReasoningReport,
    reason,
    reason_store,
    short_name,
)

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files to reason over with the ontology and reference data (no store is used)",
    )
    add_store_option(parser, writes=True)
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
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    require("reason", what="kg reason")
    with progress_line("kg reason", quiet=args.quiet) as show:

        def announce(triples: int) -> None:
            show(f"running {args.reasoner} over {triples:,} triples")

        files: list[Path] = args.files
        if files:
            from kg.core.ontology import load_ontology, load_reference

            graphs: list[Graph] = [load_ontology(), load_reference()]
            for path in files:
                graphs.extend(_read(path))
            announce(sum(len(g) for g in graphs))
            report = reason(graphs=graphs, reasoner=Reasoner(args.reasoner))
            written = None
            sources = ["ontology", "reference data", f"{len(files)} file(s)"]
        else:
            done = reason_store(
                store_path(args),
                reasoner=args.reasoner,
                write=not args.no_write,
                wait=store_wait(args),
                required=args.store is not None,
                announce=announce,
            )
            report, written, sources = done.report, done.written, done.sources
    if args.format == "json":
        print(json.dumps(_as_json(report, sources, written), indent=2, ensure_ascii=False))
    else:
        print(_as_text(report, sources, written))
    return 0 if report.consistent else 1


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
