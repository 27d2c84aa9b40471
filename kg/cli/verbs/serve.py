"""`kg serve`: the store over HTTP (SPARQL protocol, template API, OpenAPI, Graph Store read,
the explorer), served by waitress; an access log on stderr."""

from __future__ import annotations

import argparse
import logging
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
    parser.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="an endpoint that a query's SERVICE clause may call (repeatable); without it, "
        "queries calling any other endpoint are refused (403) and the server sends no request",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no access log (by default one line per request on stderr)",
    )


def run(args: argparse.Namespace) -> int:
    if args.time_limit <= 0 or args.max_rows < 1 or args.workers < 1:
        raise InputError("--time-limit must be above 0, --max-rows and --workers at least 1")
    path = store_path(args)
    if not path.is_dir():
        raise InputError("no store here: run 'kg build' first", file=path)
    for url in args.allow_service:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"--allow-service {url!r}: expected an http(s) URL")
    if not args.quiet:
        access = logging.getLogger("kg.server.access")
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    try:
        server = make_server(
            path,
            host=args.host,
            port=args.port,
            time_limit=args.time_limit,
            row_limit=args.max_rows,
            workers=args.workers,
            corpus_dir=Path(args.corpus) if args.corpus else corpus_texts_dir(),
            allow_service=tuple(args.allow_service),
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
