"""`kg bench --articles N [--json]`: aikg's way against the plain rdflib/pyshacl way, side by
side on one synthetic corpus, each side in its own process (see docs/performance.md)."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from kg.bench.harness import prepare, run_side
from kg.bench.report import combine, growth, growth_table, table
from kg.cli.common import add_quiet_option, progress_line
from kg.core.errors import InputError

__all__ = ["add_arguments", "run"]

#: what each side is, for the progress line
_SIDES = {
    "ours": "aikg's side",
    "baseline": "the plain rdflib + pyshacl side",
    "peers": "the peer validators (pyshacl-turbo, pyrudof)",
    "extras": "extraction and linking",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles", type=int, required=True, metavar="N", help="synthetic articles to build"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="the corpus seed (default 0)")
    parser.add_argument(
        "--link-rows",
        type=int,
        default=None,
        metavar="N",
        help="register rows for the linking figure (default: 100 per article, at most 1,000,000;"
        " 0 leaves extraction and linking out)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="stop a baseline query after S seconds and count S (a lower bound; default 10)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=3600.0,
        metavar="S",
        help="stop the plain stack's validation pass after S seconds and count S (default 3600)",
    )
    parser.add_argument(
        "--incremental-limit",
        type=float,
        default=None,
        metavar="S",
        help="stop the plain stack's incremental pass after S seconds (default: --time-limit)",
    )
    parser.add_argument(
        "--peer-limit",
        type=float,
        default=None,
        metavar="S",
        help="stop each peer validator after S seconds (default: --time-limit)",
    )
    parser.add_argument(
        "--aikg-only",
        action="store_true",
        help="run aikg's side alone (no ratios): how its costs grow at sizes the plain stack "
        "cannot hold in memory",
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, metavar="DIR", help="scratch folder (default: a temp)"
    )
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    if args.articles < 1:
        raise InputError(f"--articles {args.articles}: give at least 1")
    rows = args.link_rows if args.link_rows is not None else min(1_000_000, 100 * args.articles)
    limits = {
        "query_timeout_s": args.query_timeout,
        "time_limit_s": args.time_limit,
        "incremental_limit_s": args.incremental_limit or args.time_limit,
        "peer_limit_s": args.peer_limit or args.time_limit,
    }
    if min(limits.values()) <= 0:
        raise InputError("--query-timeout and the time limits must be above 0")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    # the progress line is redrawn by a thread of this process; each side is timed in a process
    # of its own, which it does not touch
    try:
        with progress_line("kg bench", quiet=args.quiet or args.json) as show:
            show(f"writing the corpus of {args.articles:,} articles")
            prepare(articles=args.articles, seed=args.seed, workdir=workdir)
            sides = {}
            chosen = ("ours",) if args.aikg_only else ("ours", "baseline", "peers")
            for side in chosen + (("extras",) if rows > 0 and not args.aikg_only else ()):
                show(f"running {_SIDES[side]}")
                sides[side] = run_side(
                    side,
                    articles=args.articles,
                    seed=args.seed,
                    workdir=workdir,
                    link_rows=rows,
                    query_timeout=limits["query_timeout_s"],
                    time_limit=limits["time_limit_s"],
                    incremental_limit=limits["incremental_limit_s"],
                    peer_limit=limits["peer_limit_s"],
                )
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.aikg_only:
        grown = growth(articles=args.articles, ours=sides["ours"])
        print(json.dumps(grown, indent=1) if args.json else growth_table(grown))
        return 0
    result = combine(
        articles=args.articles,
        ours=sides["ours"],
        baseline=sides["baseline"],
        extras=sides.get("extras"),
        peers=sides.get("peers"),
    )
    result["limits"] = limits  # what each ">=" figure was stopped at
    print(json.dumps(result, indent=1) if args.json else table(result))
    return 0
