"""`kg load`: add RDF files to the store, each in its own graph or in the graphs it names; the
derived graphs (the conflicting reports and the money flows, kg.build.derived) are derived again,
in the same new generation."""

from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox

from kg.build.derived import derive_all
from kg.cli.common import add_store_option, store_path, store_wait
from kg.core.errors import InputError
from kg.store.embedded import Store
from kg.store.formats import read_quads

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="RDF files (.ttl .trig .nq .nt .jsonld .rdf .owl)",
    )
    parser.add_argument(
        "--graph",
        default=None,
        metavar="IRI",
        help="the graph for the triples of the files (default: each file's file:// IRI)",
    )
    add_store_option(parser, writes=True)


def _graph_iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise InputError(f"--graph {value!r} is not an IRI: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    chosen = _graph_iri(args.graph) if args.graph is not None else None
    # parse every file before touching the store: a bad file changes nothing
    loaded = [
        (path, read_quads(path, default_graph=chosen or ox.NamedNode(path.resolve().as_uri())))
        for path in args.files
    ]
    with Store.open(store_path(args), wait=store_wait(args)) as store:
        for path, quads in loaded:
            graphs = sorted({q.graph_name for q in quads}, key=str)
            store.add_quads(quads, bulk=True)  # parsed already: the bulk loader, as kg build
            names = ", ".join(str(g) for g in graphs) or "no graph (the file is empty)"
            print(f"{path}: {len(quads)} statements into {names}")
        for line in derive_all(store).lines():  # the loaded graphs may be articles
            print(line)
    return 0
