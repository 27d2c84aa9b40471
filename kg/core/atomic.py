"""Atomic file writes: the data goes to a temporary file beside the target, then a rename.

A reader sees the old file or the new one, never half of one; a failed write leaves the old
file as it was and no temporary file behind. Several files are written all or none
(:func:`write_texts_atomically`): every one is staged before any is renamed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from kg.core.errors import InputError

__all__ = [
    "write_atomically",
    "write_bytes_atomically",
    "write_text_atomically",
    "write_texts_atomically",
]


def _stage(path: Path, write: Callable[[IO[bytes]], object]) -> str:
    """Write a temporary file beside ``path`` through ``write`` (mode 0644); its name.

    The folder is made if missing. An OS error raises :class:`InputError` naming the file and
    leaves no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from exc
    try:
        with os.fdopen(handle, "wb") as output:
            write(output)
        os.chmod(tmp, 0o644)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _writer(data: bytes) -> Callable[[IO[bytes]], object]:
    """What writes ``data`` to an open binary file."""
    return lambda output: output.write(data)


def write_atomically(path: Path | str, write: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` through ``write`` (given the open binary file), atomically.

    The folder is made if missing; the new file is readable by all (mode 0644). An OS error
    raises :class:`InputError` naming the file.
    """
    path = Path(path)
    tmp = _stage(path, write)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from exc


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path``, atomically."""
    write_atomically(path, _writer(data))


def write_text_atomically(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 (line ends as given), atomically."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_texts_atomically(texts: Mapping[Path, str]) -> None:
    """Write several files as UTF-8, all or none: every text goes to a temporary file beside
    its target first; only when all are written are they renamed into place. A failure before
    the renames leaves every target as it was and no temporary file behind."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            staged.append((_stage(path, _writer(text.encode("utf-8"))), path))
        for tmp, path in staged:
            os.replace(tmp, path)
        staged = []
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
