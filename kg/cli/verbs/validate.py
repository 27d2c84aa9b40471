"""`kg validate`: SHACL validation of the store, or of RDF files, graph by graph.

Exit status: 0 the data conforms (warnings and notes allowed), 1 it has violations, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import URIRef

from kg.cli.common import LANGUAGES, add_store_option, status_line, store_path
from kg.store.embedded import Store
from kg.validate.report import ReportFormat, render
from kg.validate.results import compact
from kg.validate.run import validate_files, validate_store

__all__ = ["add_arguments", "run"]


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


def run(args: argparse.Namespace) -> int:
    status = status_line()

    def progress(graph: URIRef | None) -> None:
        if status is not None:
            status(f"validating {compact(graph) if graph else 'default graph'}")

    try:
        if args.files:
            report = validate_files(args.files, progress=progress)
        else:
            with Store.open(store_path(args), read_only=True) as store:
                report = validate_store(store, progress=progress)
    finally:
        if status is not None:
            status("")
    sys.stdout.write(render(report, fmt=ReportFormat(args.format), lang=args.lang))
    return 0 if report.conforms else 1
