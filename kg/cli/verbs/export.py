"""`kg export`: the dataset in one RDF format, byte for byte the same across rebuilds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import add_store_option, store_path
from kg.store.embedded import Store
from kg.store.export import export_to_file, write_export
from kg.store.formats import EXPORT_FORMATS, RdfFormat

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=[f.value for f in EXPORT_FORMATS],
        default=None,
        help="the RDF format (default: from -o's extension, else turtle)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="write to FILE (atomically) instead of stdout",
    )
    add_store_option(parser)


def run(args: argparse.Namespace) -> int:
    if args.format is not None:
        fmt = RdfFormat(args.format)
    elif args.output is not None:
        fmt = RdfFormat.for_path(args.output)
    else:
        fmt = RdfFormat.TURTLE
    with Store.open(store_path(args), read_only=True) as store:
        if args.output is not None:
            export_to_file(store, args.output, fmt=fmt)
        else:
            write_export(store, sys.stdout.buffer, fmt=fmt)
            sys.stdout.buffer.flush()
    return 0
