"""``kg link``: link the store's firms to a public register (SEC, GLEIF, Wikidata).

Exit 0 when done (links written, review lines and conflicts reported), 2 for bad input:
a malformed or truncated register file is named with its line, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import add_store_option, store_path
from kg.core.errors import InputError
from kg.core.iris import GRAPH_LINKSET
from kg.link.firms import read_firms
from kg.link.linkset import (
    explain_lines,
    linkset_graph,
    linkset_graph_iri,
    write_graph_file,
    write_review,
)
from kg.link.match import Thresholds, Verdict
from kg.link.pipeline import LinkResult, Source, link_gleif, link_sec, link_wikidata
from kg.store.embedded import Store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        required=True,
        choices=[s.value for s in Source],
        help="the register: SEC company_tickers.json (sec), company_tickers_exchange.json "
        "(sec-exchange), the GLEIF Level 1 golden copy (gleif), Wikidata (wikidata)",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--input", type=Path, metavar="FILE", help="the register file")
    where.add_argument("--endpoint", metavar="URL", help="a SPARQL endpoint (wikidata only)")
    parser.add_argument(
        "--relationships",
        type=Path,
        metavar="FILE",
        help="GLEIF Level 2 relationship file: parent companies (gleif only)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the linkset to FILE (.ttl, .trig, .nq, .nt, .jsonld) instead of the store",
    )
    parser.add_argument(
        "--review", type=Path, metavar="FILE", help="write the lines to review (CSV) to FILE"
    )
    parser.add_argument("--explain", action="store_true", help="print why each decision was made")
    parser.add_argument(
        "--accept", type=float, default=0.9, metavar="X", help="lowest score of a link (0.9)"
    )
    parser.add_argument(
        "--review-band",
        type=float,
        default=0.7,
        metavar="Y",
        help="lowest score of a line in the review file (0.7)",
    )
    parser.add_argument(
        "--user-agent",
        metavar="TEXT",
        default=None,
        help="User-Agent sent to a SPARQL endpoint (wikidata)",
    )
    add_store_option(parser)


def _progress(rows: int) -> None:
    print(f"\r  {rows:,} rows", end="", file=sys.stderr, flush=True)


def _link(args: argparse.Namespace, store: Store, thresholds: Thresholds) -> LinkResult:
    source = Source(args.source)
    firms = read_firms(store, ignore_graphs={linkset_graph_iri(source), GRAPH_LINKSET})
    if not firms:
        raise InputError("the store holds no firms: run 'kg build' first", file=store_path(args))
    if source is Source.WIKIDATA:
        return link_wikidata(
            firms,
            path=args.input,
            endpoint=args.endpoint,
            thresholds=thresholds,
            user_agent=args.user_agent,
        )
    if args.endpoint is not None:
        raise InputError(f"--source {source.value} reads a file: use --input FILE")
    if source is Source.GLEIF:
        progress = _progress if sys.stderr.isatty() else None
        result = link_gleif(
            firms,
            args.input,
            relationships=args.relationships,
            thresholds=thresholds,
            progress=progress,
        )
        if progress is not None:
            print(file=sys.stderr)
        return result
    return link_sec(
        firms, args.input, exchange=source is Source.SEC_EXCHANGE, thresholds=thresholds
    )


def run(args: argparse.Namespace) -> int:
    try:
        thresholds = Thresholds(accept=args.accept, review=args.review_band)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if args.relationships is not None and args.source != Source.GLEIF.value:
        raise InputError("--relationships goes with --source gleif")
    path = store_path(args)
    if not path.is_dir():
        raise InputError("no store here: run 'kg build' first", file=path)
    with Store.open(path) as store:
        result = _link(args, store, thresholds)
        graph = linkset_graph(result)
        if args.review is not None:
            write_review(result, args.review)
        if args.output is not None:
            write_graph_file(graph, args.output)
            target = str(args.output)
        else:
            store.replace_graph(linkset_graph_iri(result.info.source), graph)
            target = f"graph <{linkset_graph_iri(result.info.source)}> in {path}"
    if args.explain:
        for line in explain_lines(result):
            print(line)
    for d in result.decisions:
        if d.verdict is Verdict.CONFLICT:
            print(f"kg link: conflict: {d.firm.ref}: {d.reason}", file=sys.stderr)
    for note in result.notes:
        print(f"kg link: conflict: {note}", file=sys.stderr)
    print(
        f"kg link: {result.info.source.value}: {result.info.entries:,} register entries; "
        f"{result.count(Verdict.LINK)} linked, {result.count(Verdict.CONFIRMED)} confirmed, "
        f"{len(result.listings)} tickers, {len(result.subsidiaries)} parent companies, "
        f"{result.count(Verdict.REVIEW)} to review, {result.count(Verdict.CONFLICT)} conflicts; "
        f"{len(graph)} triples to {target}",
        file=sys.stderr,
    )
    return 0
