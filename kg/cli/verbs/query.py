"""`kg query NAME`: run a template on the store or on a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys

from rdflib import Graph, URIRef

from kg.cli.common import LANGUAGES, add_store_option, store_path
from kg.core.atomic import write_text_atomically
from kg.core.errors import InputError
from kg.core.extras import require
from kg.query.params import bind, parse_assignments
from kg.query.results import Format, format_for_path, graph_rows, render
from kg.query.run import DEFAULT_TIMEOUT, EndpointSource, Source, StoreSource, run_template
from kg.query.templates import load_catalogue
from kg.store.embedded import SelectResult, Store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the template (see 'kg queries')")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="a parameter value, e.g. firm=nvidia (repeatable)",
    )
    parser.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds to wait for the endpoint (default {DEFAULT_TIMEOUT:g})",
    )
    add_store_option(parser)
    parser.add_argument(
        "--format",
        choices=[f.value for f in Format],
        default=None,
        help="table (default for SELECT), csv, json, md, turtle (default for CONSTRUCT);"
        " svg or dot: a picture of a graph-shaped or metric template",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="the language of labels in tables and pictures (default en)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def _iris(result: SelectResult | Graph) -> set[URIRef]:
    rows = graph_rows(result).rows if isinstance(result, Graph) else result.rows
    return {t for row in rows for t in row.values() if isinstance(t, URIRef)}


def _execute(args: argparse.Namespace, source: Source) -> str:
    templates = load_catalogue()
    template = templates.get(args.name)
    if template is None:
        raise InputError(f"no template '{args.name}' (see 'kg queries': {', '.join(templates)})")
    bindings = bind(template, parse_assignments(args.param), knows=source.knows)
    fmt_name = args.format
    if fmt_name is None and args.output:
        implied = format_for_path(args.output)
        fmt_name = implied.value if implied else None
    if fmt_name is None:
        fmt_name = "table" if template.form in ("SELECT", "ASK") else "turtle"
    fmt = Format(fmt_name)
    if fmt is Format.TURTLE and template.form in ("SELECT", "ASK"):
        raise InputError(f"--format turtle is for CONSTRUCT templates; {template.name} is a SELECT")
    result = run_template(template, bindings, source=source)
    if fmt in (Format.SVG, Format.DOT):
        if not isinstance(result, SelectResult):
            raise InputError(f"--format {fmt.value}: {template.name} is not a SELECT")
        require("pictures", what=f"--format {fmt.value}")
        from kg.query.pictures import PictureFormat, picture

        return picture(
            template,
            result,
            bindings,
            source=source,
            fmt=PictureFormat(fmt.value),
            lang=args.lang,
        )
    labels = source.labels(_iris(result)) if fmt in (Format.TABLE, Format.MD) else {}
    return render(result, fmt, labels=labels, lang=args.lang)


def run(args: argparse.Namespace) -> int:
    if args.endpoint:
        text = _execute(args, EndpointSource(args.endpoint, timeout=args.timeout))
    else:
        with Store.open(store_path(args), read_only=True) as store:
            text = _execute(args, StoreSource(store))
    if args.output:
        write_text_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
