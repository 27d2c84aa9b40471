"""`kg eval`: precision, recall and F1 of extracted drafts against a gold standard.

Two kinds of gold, told apart by what the ``--gold`` folder holds:

- analyst annotations (``*.gold.json``, the dev set's format): entities by type and name
  variants, deals by type and parties, per article, per language and overall
  (``kg.extract.eval.gold``);
- reviewed fact records (``*.yaml``): facts matched by individual, type and roles
  (``kg.extract.eval.evaluate``).

Exit status 1 when the F1 of a checked kind (``--kind``; default mentions and deals, for analyst
gold entities and deals) is under ``--min-f1``. How facts are matched is defined in those two
modules and docs/extraction.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.core.errors import InputError
from kg.extract.eval.evaluate import HEADLINE_KINDS, evaluate_dirs, format_table

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gold",
        type=Path,
        required=True,
        metavar="DIR",
        help="reviewed records (*.yaml) or analyst annotations (*.gold.json)",
    )
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
        help=f"a kind --min-f1 checks (repeatable; default mentions and deals, for analyst "
        f"gold entities and deals; any of {', '.join(HEADLINE_KINDS)} or deals:<Type>)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--json", action="store_true", help="the same as --format json")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="analyst gold: list each article's missed and false entities and deals",
    )


def run(args: argparse.Namespace) -> int:
    from kg.extract.eval.gold import evaluate_gold, format_gold_table, is_gold_folder

    if args.min_f1 is not None and not 0 <= args.min_f1 <= 1:
        raise InputError(f"--min-f1 {args.min_f1} is not between 0 and 1")
    as_json = args.json or args.format == "json"
    if is_gold_folder(args.gold):
        gold = evaluate_gold(args.gold, args.pred)
        print(gold.to_json() if as_json else format_gold_table(gold, explain=args.explain))
        kinds = args.kind or ["entities", "deals"]
        f1 = gold.f1
    else:
        evaluation = evaluate_dirs(args.gold, args.pred)
        print(evaluation.to_json() if as_json else format_table(evaluation))
        kinds = args.kind or ["mentions", "deals"]
        f1 = evaluation.f1
    if args.min_f1 is None:
        return 0
    failed = []
    for kind in kinds:
        try:
            value = f1(kind)
        except KeyError:
            value = None
        if value is None:
            raise InputError(f"--kind {kind!r}: nothing of that kind on either side")
        if value < args.min_f1:
            failed.append(f"{kind} F1 {value:.3f} < {args.min_f1}")
    if failed:
        print("kg eval: under the threshold: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0
