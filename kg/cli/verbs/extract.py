"""`kg extract FILE|FOLDER... --out DIR`: draft fact records from article texts.

Every input is read, decoded and checked first (a missing, binary or undecodable file, or a
text over ``--max-chars``, is exit 2 and nothing is written); the articles are then extracted
on ``--jobs`` processes (default: every core), and the drafts, one YAML record per input named
after its stem, are written all or none. A line per article says what it drafted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.api.dataset import extract
from kg.extract.batch import MAX_CHARS, summary_line

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="article texts, or folders of them (*.txt, *.html)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--published",
        default=None,
        metavar="DATE",
        help="publication date YYYY, YYYY-MM or YYYY-MM-DD; relative dates resolve against it "
        "(default: the article's own dateline or byline date; without one, relative dates stay "
        "unresolved and the header says today)",
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
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: every core)",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=MAX_CHARS,
        metavar="N",
        help=f"refuse a text longer than N characters (default {MAX_CHARS:,})",
    )
    parser.add_argument("--quiet", action="store_true", help="no line per article")


def run(args: argparse.Namespace) -> int:
    drafts = extract(
        args.files,
        out=args.out,
        published=args.published,
        publisher=args.publisher,
        encoding=args.encoding,
        jobs=args.jobs,
        max_chars=args.max_chars,
    )
    if not args.quiet:
        for path, record in drafts.items():
            print(summary_line(path, record))
        print(f"{len(drafts)} drafts written to {args.out}", file=sys.stderr)
    return 0
