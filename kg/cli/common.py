"""Options shared by several verbs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kg.core.errors import InputError
from kg.core.paths import default_store

__all__ = ["LANGUAGES", "add_store_option", "not_yet", "status_line", "store_path"]

#: the languages of labels and messages (--lang)
LANGUAGES = ("en", "zh-Hant")


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help="the dataset's store (default: $KG_STORE or build/store)",
    )


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
