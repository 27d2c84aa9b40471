"""Options shared by several verbs."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.errors import InputError
from kg.paths import default_store

__all__ = ["add_store_option", "not_yet"]


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
