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

from kg.core.atomic import write_texts_atomically
from kg.core.errors import InputError
from kg.extract.batch import (
    MAX_CHARS,
    Job,
    check_inputs,
    default_jobs,
    extract_all,
    input_files,
    summary_line,
)
from kg.extract.figures.dates import Published
from kg.extract.records_out import record_text

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
    published = Published.parse(args.published) if args.published is not None else None
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: at least 1")
    if args.max_chars < 1:
        raise InputError(f"--max-chars {args.max_chars}: at least 1")
    if args.out.exists() and not args.out.is_dir():
        raise InputError("--out must be a folder", file=args.out)
    files = input_files(args.files)
    check_inputs(files, max_chars=args.max_chars, encoding=args.encoding)
    job = Job(published=published, publisher=args.publisher, encoding=args.encoding)
    records = extract_all(files, job, jobs=args.jobs or default_jobs())
    texts = {}
    for path, record in zip(files, records, strict=True):
        comment = (
            f"Draft fact record for {path.name}, made by {record['article']['extractor']}.\n"
            "Review every fact (confidence and method say how sure each rule was)."
        )
        texts[args.out / f"{path.stem}.yaml"] = record_text(record, comment=comment)
    write_texts_atomically(texts)
    if not args.quiet:
        for path, record in zip(files, records, strict=True):
            print(summary_line(path, record))
        print(f"{len(files)} drafts written to {args.out}", file=sys.stderr)
    return 0
