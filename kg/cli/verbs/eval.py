"""`kg eval`: precision, recall and F1 of extracted records against reviewed ones.

Exit status 1 when the F1 of a checked kind (``--kind``, default mentions and deals) is under
``--min-f1``. How facts are matched is defined in ``kg.extract.evaluate`` and docs/extraction.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.core.errors import InputError
from kg.extract.evaluate import HEADLINE_KINDS, evaluate_dirs, format_table

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", type=Path, required=True, metavar="DIR", help="reviewed records")
    parser.add_argument("--pred", type=Path, required=True, metavar="DIR", help="draft records")
    parser.add_argument(
        "--min-f1",
        type=float,
        default=None,
        metavar="X",
        help="exit 1 when the F1 of a checked kind is under X (0..1)",
    )
    parser.add_argument(
        "--kind",
        action="append",
        default=None,
        metavar="KIND",
        help=f"a kind --min-f1 checks (repeatable; default mentions and deals; "
        f"any of {', '.join(HEADLINE_KINDS)} or deals:<Type>)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    if args.min_f1 is not None and not 0 <= args.min_f1 <= 1:
        raise InputError(f"--min-f1 {args.min_f1} is not between 0 and 1")
    evaluation = evaluate_dirs(args.gold, args.pred)
    print(evaluation.to_json() if args.format == "json" else format_table(evaluation))
    if args.min_f1 is None:
        return 0
    failed = []
    for kind in args.kind or ["mentions", "deals"]:
        f1 = evaluation.f1(kind)
        if f1 is None:
            raise InputError(f"--kind {kind!r}: nothing of that kind on either side")
        if f1 < args.min_f1:
            failed.append(f"{kind} F1 {f1:.3f} < {args.min_f1}")
    if failed:
        print("kg eval: under the threshold: " + "; ".join(failed), file=__import__("sys").stderr)
        return 1
    return 0
