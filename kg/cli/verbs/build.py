"""`kg build`: fact records → the dataset in the store (a new store, swapped in when done)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.build.dataset import Validator, build_dataset
from kg.cli.common import (
    add_quiet_option,
    add_store_option,
    progress_line,
    store_path,
    store_wait,
)
from kg.core.paths import corpus_texts_dir, records_dir
from kg.validate.run import check_store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--records",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of fact records (default: the project's corpus/)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of article texts: checks their SHA-256 and attaches quotes "
        "(default: $KG_CORPUS)",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        nargs="+",
        default=[],
        metavar="FILE",
        help="your own reference data (firms, people, chips ...; any RDF format, told by the "
        "extension), loaded into the reference graph beside the project's and validated with it",
    )
    parser.add_argument(
        "--allow-invalid",
        action="store_true",
        help="replace the store even if the new dataset does not conform to the shapes",
    )
    parser.add_argument(
        "--update",
        type=Path,
        default=None,
        metavar="RECORD",
        help="add or replace this one record's article graph in the existing store, "
        "validated alone, and refresh what depends on it: the inferred graph and the links "
        "of the firms it declares (see docs/stores.md)",
    )
    add_store_option(parser, writes=True)
    add_quiet_option(parser)


#: the validation run on the new store before the swap (kg validate's SHACL check)
VALIDATOR: Validator | None = check_store


def run(args: argparse.Namespace) -> int:
    if args.update is not None:
        return run_update(args)
    with progress_line("kg build", quiet=args.quiet) as progress:
        summary = build_dataset(
            records_dir=args.records if args.records is not None else records_dir(),
            store_dir=store_path(args),
            corpus_dir=args.corpus if args.corpus is not None else corpus_texts_dir(),
            reference_files=args.reference,
            validate=VALIDATOR,
            allow_invalid=args.allow_invalid,
            progress=progress,
            wait=store_wait(args),
        )
    for line in summary.lines():
        print(line)
    if summary.conforms is False:
        print(
            "kg build: warning: the dataset does not conform (kept: --allow-invalid)",
            file=sys.stderr,
        )
    return 0


def run_update(args: argparse.Namespace) -> int:
    """`kg build --update RECORD.yaml`: one article graph replaced (kg.build.update)."""
    from kg.build.update import shacl_validator, update_record
    from kg.core.errors import InputError

    if args.reference:
        raise InputError("--reference is for a whole build, not with --update")

    summary = update_record(
        args.update,
        store_dir=store_path(args),
        corpus_dir=args.corpus if args.corpus is not None else corpus_texts_dir(),
        validate=shacl_validator(),
        allow_invalid=args.allow_invalid,
        wait=store_wait(args),
    )
    for line in summary.lines():
        print(line)
    if summary.conforms is False:
        print(
            "kg build: warning: the article does not conform (kept: --allow-invalid)",
            file=sys.stderr,
        )
    return 0
