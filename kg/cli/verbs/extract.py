"""`kg extract FILE... --out DIR`: draft fact records from article texts.

One YAML record per input file, named after the input's stem, written atomically. The lexicon
is built once for all the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kg.core.errors import InputError
from kg.extract import Extractor, Published, write_record

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article texts")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--published",
        default=None,
        metavar="DATE",
        help="publication date YYYY, YYYY-MM or YYYY-MM-DD; relative dates resolve against it "
        "(default: today)",
    )
    parser.add_argument(
        "--publisher",
        default=None,
        metavar="NAME",
        help="the publisher: firm/<slug>, or a name (a new one is proposed for review)",
    )
    parser.add_argument(
        "--encoding",
        default=None,
        metavar="ENC",
        help="the files' encoding (default: detected among UTF-8, Big5 and GB18030)",
    )


def run(args: argparse.Namespace) -> int:
    published = (
        Published.parse(args.published)
        if args.published is not None
        else Published.parse(dt.date.today().isoformat())
    )
    for path in args.files:
        if not path.is_file():
            raise InputError("no such file", file=path)
    if args.out.exists() and not args.out.is_dir():
        raise InputError("--out must be a folder", file=args.out)
    extractor = Extractor.from_reference()
    progress = sys.stderr.isatty()
    for i, path in enumerate(args.files, 1):
        record = extractor.extract_file(
            path, published=published, publisher=args.publisher, encoding=args.encoding
        )
        target = args.out / f"{path.stem}.yaml"
        write_record(
            target,
            record,
            comment=f"Draft fact record for {path.name}, "
            f"made by {record['article']['extractor']}.\n"
            "Review every fact (confidence and method say how sure each rule was).",
        )
        if progress:
            print(f"\r{i}/{len(args.files)} {path.name}", end="", file=sys.stderr)
    if progress:
        print(file=sys.stderr)
    return 0
