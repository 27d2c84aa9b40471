"""Atomic file writes: the data goes to a temporary file beside the target, then a rename.

A reader sees the old file or the new one, never half of one; a failed write leaves the old
file as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from kg.core.errors import InputError

__all__ = ["write_atomically", "write_bytes_atomically", "write_text_atomically"]


def write_atomically(path: Path | str, write: Callable[[IO[bytes]], object]) -> None:
    """Write ``path`` through ``write`` (given the open binary file), atomically.

    The folder is made if missing; the new file is readable by all (mode 0644). An OS error
    raises :class:`InputError` naming the file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from exc
    try:
        with os.fdopen(handle, "wb") as output:
            write(output)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path``, atomically."""
    write_atomically(path, lambda output: output.write(data))


def write_text_atomically(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 (line ends as given), atomically."""
    write_bytes_atomically(path, text.encode("utf-8"))
