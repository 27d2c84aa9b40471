"""`kg push --endpoint URL`: copy the store's named graphs to a SPARQL 1.1 server.

Credentials come from ``--user``/``--password`` or from ``$KG_PUSH_USER``/``$KG_PUSH_PASSWORD``
(better: a password on the command line is visible to other users of the machine).
"""

from __future__ import annotations

import argparse
import os
import sys

import pyoxigraph as ox

from kg.cli.common import add_store_option, store_path
from kg.core.errors import InputError
from kg.http.client import AuthScheme, Credentials, HttpClient, HttpFailure, RetryPolicy
from kg.push.copy import (
    Endpoint,
    GraphState,
    PushError,
    PushOptions,
    compare,
    push,
)
from kg.store.embedded import Store

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint", required=True, metavar="URL", help="the SPARQL 1.1 query endpoint"
    )
    parser.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="the SPARQL 1.1 Update endpoint (default: the query endpoint)",
    )
    parser.add_argument(
        "--graph-store",
        metavar="URL",
        help="the Graph Store HTTP Protocol endpoint; when given, each graph is PUT there",
    )
    parser.add_argument("--user", metavar="U", help="user name (default: $KG_PUSH_USER)")
    parser.add_argument(
        "--password", metavar="P", help="password (default: $KG_PUSH_PASSWORD; prefer that)"
    )
    parser.add_argument(
        "--auth",
        choices=[a.value for a in AuthScheme],
        default=AuthScheme.BASIC.value,
        help="HTTP authentication scheme (default basic; Virtuoso wants digest)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show each graph's triples in the store and on the server; change nothing",
    )
    parser.add_argument(
        "--skip-same-count",
        action="store_true",
        help="leave alone graphs the server already holds with the same triple count",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds to wait for each answer (default 30)",
    )
    parser.add_argument(
        "--tries",
        type=int,
        default=3,
        metavar="N",
        help="attempts per request after a 5xx, a time-out or a dropped connection (default 3)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=1000,
        metavar="N",
        help="most triples per SPARQL Update request (default 1000; Virtuoso refuses larger)",
    )
    add_store_option(parser)


def _credentials(args: argparse.Namespace) -> Credentials | None:
    user = args.user or os.environ.get("KG_PUSH_USER") or None
    password = args.password or os.environ.get("KG_PUSH_PASSWORD") or None
    if user is None and password is None:
        return None
    if user is None or password is None:
        raise InputError("give both a user and a password (--user/--password or KG_PUSH_*)")
    return Credentials(user, password, scheme=args.auth)


def _dry_run(states: list[GraphState], *, skip_same: bool) -> str:
    width = max([len("graph"), *(len(str(s.graph)) for s in states)])
    lines = [f"{'graph':<{width}}  {'store':>8}  {'server':>8}  action"]
    for s in states:
        if s.on_server == 0 and s.in_store > 0:
            action = "create"
        elif s.same_count:
            action = "skip (same count)" if skip_same else "replace (same count)"
        else:
            action = "replace"
        lines.append(f"{s.graph!s:<{width}}  {s.in_store:>8}  {s.on_server:>8}  {action}")
    store_total = sum(s.in_store for s in states)
    server_total = sum(s.on_server for s in states)
    lines.append(f"{'total':<{width}}  {store_total:>8}  {server_total:>8}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if args.tries < 1 or args.timeout <= 0 or args.chunk_size < 1:
        raise InputError("--tries and --chunk-size must be at least 1, --timeout above 0")
    endpoint = Endpoint(args.endpoint, args.update_endpoint, args.graph_store)
    credentials = _credentials(args)
    options = PushOptions(
        timeout=args.timeout,
        retry=RetryPolicy(tries=args.tries),
        chunk_size=args.chunk_size,
        skip_same_count=args.skip_same_count,
    )
    interactive = sys.stderr.isatty()
    with Store.open(store_path(args), read_only=True) as store:
        default_graph = sum(1 for _ in store.match(graph=ox.DefaultGraph()))
        if default_graph:
            print(
                f"kg push: note: {default_graph} triples in the default graph are not pushed",
                file=sys.stderr,
            )
        if args.dry_run:
            client = HttpClient(credentials=credentials, timeout=args.timeout)
            try:
                states = compare(store, client, endpoint, retry=options.retry)
            except HttpFailure as exc:
                raise InputError(f"cannot count the graphs on the server: {exc}") from None
            sys.stdout.write(_dry_run(states, skip_same=args.skip_same_count))
            return 0
        try:
            report = push(
                store,
                endpoint,
                credentials=credentials,
                options=options,
                progress=(lambda m: print(m, file=sys.stderr)) if interactive else None,
            )
        except PushError as exc:
            for graph in exc.pushed:
                print(f"pushed: {graph}", file=sys.stderr)
            for graph in exc.not_pushed:
                print(f"not pushed: {graph}", file=sys.stderr)
            raise
    total = sum(s.in_store for s in report.states)
    print(
        f"pushed {len(report.pushed)} graphs ({report.triples} triples) to {report.endpoint}"
        + (f", {len(report.skipped)} already there" if report.skipped else "")
        + f"; checked: {len(report.states)} graphs, {total} triples, same counts as the store"
    )
    return 0
