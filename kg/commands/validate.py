"""`kg validate`: SHACL validation of the store, or of RDF files, graph by graph.

Exit status: 0 the data conforms (warnings and notes allowed), 1 it has violations, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rdflib import URIRef

from kg.commands._common import add_store_option, store_path
from kg.report import ReportFormat, render
from kg.store import Store
from kg.validate import compact, validate_files, validate_store

__all__ = ["add_arguments", "run"]

LANGUAGES = ("en", "zh-Hant")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files to validate (with the reference data) instead of the store",
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in ReportFormat],
        default=ReportFormat.TEXT.value,
        help="text for people (default), json, or turtle (the standard sh:ValidationReport)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="the language of the messages (default: en)",
    )
    add_store_option(parser)


def _progress() -> Callable[[URIRef | None], None] | None:
    """One line of progress on stderr when it is a terminal; nothing in a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(graph: URIRef | None) -> None:
        sys.stderr.write(f"\r\033[Kvalidating {compact(graph) if graph else 'default graph'}")
        sys.stderr.flush()

    return show


def run(args: argparse.Namespace) -> int:
    progress = _progress()
    try:
        if args.files:
            report = validate_files(args.files, progress=progress)
        else:
            with Store.open(store_path(args), read_only=True) as store:
                report = validate_store(store, progress=progress)
    finally:
        if progress is not None:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    sys.stdout.write(render(report, fmt=ReportFormat(args.format), lang=args.lang))
    return 0 if report.conforms else 1
