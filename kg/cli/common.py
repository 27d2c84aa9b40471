"""Options shared by several verbs."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

from kg.core.errors import InputError
from kg.core.paths import default_store

__all__ = [
    "LANGUAGES",
    "add_store_option",
    "not_yet",
    "status_line",
    "store_path",
    "store_wait",
]

#: the languages of labels and messages (--lang)
LANGUAGES = ("en", "zh-Hant")


def add_store_option(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """``--store DIR``; for a verb that ``writes`` the store, ``--wait [SECONDS]`` too."""
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help="the dataset's store (default: $KG_STORE or build/store)",
    )
    if writes:
        parser.add_argument(
            "--wait",
            type=_seconds,
            nargs="?",
            const=math.inf,
            default=None,
            metavar="SECONDS",
            help="if another command is writing the store, wait for it (at most SECONDS) "
            "instead of stopping with exit 2",
        )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def store_wait(args: argparse.Namespace) -> float | None:
    """How long a writer waits for the store's writer lock (``--wait``; None: not at all)."""
    value: float | None = getattr(args, "wait", None)
    return value


def store_path(args: argparse.Namespace) -> Path:
    path: Path | None = getattr(args, "store", None)
    return path if path is not None else default_store()


def not_yet(verb: str) -> int:
    raise InputError(f"'kg {verb}' is not yet available in this version")


def status_line() -> Callable[[str], None] | None:
    """One line of progress on stderr when it is a terminal (each message replaces the last;
    ``""`` clears it); ``None`` in a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K{message}")
        sys.stderr.flush()

    return show
