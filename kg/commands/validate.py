"""`kg validate`: not yet available."""

from __future__ import annotations

import argparse

from kg.commands._common import not_yet

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    return not_yet(args.verb)
