"""``kg link``: link the store's firms to a public register (SEC, GLEIF, Wikidata).

Exit 0 when done (links written, review lines and conflicts reported), 2 for bad input:
a malformed or truncated register file is named with its line, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import (
    add_quiet_option,
    add_store_option,
    progress_line,
    store_path,
    store_wait,
)
from kg.core.errors import InputError
from kg.link.linkset import explain_lines
from kg.link.match import Thresholds, Verdict
from kg.link.pipeline import Source
from kg.link.run import link_store

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
        "--replace",
        action="store_true",
        help="replace the store's linkset of this source even if the register gave no entries, "
        "or far fewer entries or links than the last run (refused otherwise: exit 2)",
    )
    parser.add_argument(
        "--user-agent",
        metavar="TEXT",
        default=None,
        help="User-Agent sent to a SPARQL endpoint (wikidata)",
    )
    add_store_option(parser, writes=True)
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    try:
        thresholds = Thresholds(accept=args.accept, review=args.review_band)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    with progress_line("kg link", quiet=args.quiet) as show:
        done = link_store(
            store_path(args),
            args.source,
            path=args.input,
            endpoint=args.endpoint,
            relationships=args.relationships,
            thresholds=thresholds,
            user_agent=args.user_agent,
            output=args.output,
            review=args.review,
            replace=args.replace,
            wait=store_wait(args),
            progress=lambda rows: show(f"{rows:,} register rows read"),
        )
    result, graph, target = done.result, done.graph, done.target
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
