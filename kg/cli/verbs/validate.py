"""`kg validate`: SHACL validation of the store, or of RDF files, graph by graph.

Exit status: 0 the data conforms (warnings and notes allowed), 1 it has violations, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import URIRef

from kg.cli.common import (
    LANGUAGES,
    add_quiet_option,
    add_store_option,
    progress_line,
    store_path,
)
from kg.store.embedded import Store
from kg.validate.report import Detail, ReportFormat, render
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
    detail = parser.add_mutually_exclusive_group()
    detail.add_argument(
        "--summary",
        action="store_const",
        const=Detail.SUMMARY,
        dest="detail",
        help="text: the counts only, per graph",
    )
    detail.add_argument(
        "--verbose",
        action="store_const",
        const=Detail.FULL,
        dest="detail",
        help="text: every result by graph and node, with its evidence (default: one line per "
        "kind of finding, with a count and a few of the nodes)",
    )
    parser.set_defaults(detail=Detail.GROUPED)
    add_store_option(parser)
    add_quiet_option(parser)


def run(args: argparse.Namespace) -> int:
    with progress_line("kg validate", quiet=args.quiet) as show:

        def progress(graph: URIRef | None) -> None:
            show(f"validating {compact(graph) if graph else 'default graph'}")

        show("running the compiled checks")
        fmt = ReportFormat(args.format)
        # the evidence of each result: in the JSON report and the verbose text only
        evidence = fmt is ReportFormat.JSON or args.detail is Detail.FULL
        if args.files:
            report = validate_files(args.files, progress=progress, evidence=evidence)
        else:
            with Store.open(store_path(args), read_only=True) as store:
                report = validate_store(store, progress=progress, evidence=evidence)
    sys.stdout.write(render(report, fmt=fmt, lang=args.lang, detail=args.detail))
    return 0 if report.conforms else 1
