"""Options shared by several verbs."""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.core.errors import InputError
from kg.core.paths import default_store

__all__ = [
    "LANGUAGES",
    "add_quiet_option",
    "add_store_option",
    "not_yet",
    "progress_line",
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


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet``: no progress line on stderr."""
    parser.add_argument(
        "--quiet", action="store_true", help="no progress line on stderr while it works"
    )


#: how often the progress line is redrawn: rarely enough to cost nothing measurable
_REFRESHES_PER_SECOND = 2


@contextlib.contextmanager
def progress_line(verb: str, *, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """The one progress mechanism of the verbs: within the block, ``show(message)`` puts a line
    on stderr (a spinner, ``verb: message`` and the time since the block began, redrawn by
    rich twice a second, each message replacing the last), cleared when the block ends. Nothing
    at all with ``quiet`` or when stderr is not a terminal (a pipe, a file, a test)."""
    if quiet or not sys.stderr.isatty():
        yield _silent
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        refresh_per_second=_REFRESHES_PER_SECOND,
    ) as bar:
        task = bar.add_task(f"{verb} ...", total=None)

        def show(message: str) -> None:
            bar.update(task, description=f"{verb}: {message}" if message else f"{verb} ...")

        yield show


def _silent(message: str) -> None:
    del message
