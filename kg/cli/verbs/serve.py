"""`kg serve`: the store over HTTP (SPARQL protocol, template API, OpenAPI, Graph Store read)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import add_store_option, store_path
from kg.core.errors import InputError
from kg.core.paths import corpus_texts_dir
from kg.server.serve import make_server

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a query may run (default 30)",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=10_000,
        metavar="N",
        help="most rows (or triples) in an answer (default 10000)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, metavar="N", help="query worker processes (default 2)"
    )
    add_store_option(parser)
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        help="the article texts, for the explorer's article pages (default $KG_CORPUS)",
    )


def run(args: argparse.Namespace) -> int:
    if args.time_limit <= 0 or args.max_rows < 1 or args.workers < 1:
        raise InputError("--time-limit must be above 0, --max-rows and --workers at least 1")
    path = store_path(args)
    if not path.is_dir():
        raise InputError("no store here: run 'kg build' first", file=path)
    try:
        server = make_server(
            path,
            host=args.host,
            port=args.port,
            time_limit=args.time_limit,
            row_limit=args.max_rows,
            workers=args.workers,
            corpus_dir=Path(args.corpus) if args.corpus else corpus_texts_dir(),
        )
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port}: {exc}") from exc
    except RuntimeError as exc:
        raise InputError(str(exc), file=path) from exc
    print(
        f"serving {path} at {server.url}/ (SPARQL at /sparql, API at /api); Ctrl-C stops",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
