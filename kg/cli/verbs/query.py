"""`kg query NAME`: run a template on the store or on a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys

from kg.cli.common import add_store_option, store_path
from kg.core.atomic import write_text_atomically
from kg.core.errors import InputError
from kg.core.extras import require
from kg.query.answer import LANGUAGES, answer, prepare
from kg.query.params import parse_assignments
from kg.query.results import Format, format_for_path
from kg.query.run import DEFAULT_TIMEOUT, EndpointSource, Source, StoreSource, run_template
from kg.store.embedded import SelectResult, Store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the template (see 'kg queries')")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="a parameter value, e.g. firm=NVIDIA, firm=輝達, as_of=2025-10 (repeatable)",
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
        help="table (default for SELECT), md, csv, json (labels, readable figures, IRIs and raw"
        " figures beside them), turtle (default for CONSTRUCT), sparql-csv or sparql-json (the"
        " raw W3C results); svg or dot: a picture of a graph-shaped or metric template",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="the language of labels, figures and headers (default en)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def _execute(args: argparse.Namespace, source: Source) -> str:
    fmt_name = args.format
    if fmt_name is None and args.output:
        implied = format_for_path(args.output)
        fmt_name = implied.value if implied else None
    params = parse_assignments(args.param)
    if fmt_name in (Format.SVG.value, Format.DOT.value):
        fmt = Format(fmt_name)
        template, bindings = prepare(source, args.name, params)
        result = run_template(template, bindings, source=source)
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
    answered = answer(source, args.name, params, lang=args.lang)
    if fmt_name is None:
        fmt_name = "table" if isinstance(answered.result, SelectResult) else "turtle"
    fmt = Format(fmt_name)
    if fmt is Format.TURTLE and isinstance(answered.result, SelectResult):
        raise InputError(f"--format turtle is for CONSTRUCT templates; {args.name} is a SELECT")
    return answered.text(fmt)


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
