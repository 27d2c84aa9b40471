"""One writer, many readers: the store's folder as a series of immutable generations.

The store at ``DIR/NAME`` (``build/store``) is a symbolic link to the current generation,
``DIR/.NAME.gen-000007``, a complete Oxigraph (RocksDB) folder that is never written again once
it is published. Every verb that changes the store writes a *new* generation (``kg build``: an
empty one; ``kg load``, ``kg link``, ``kg reason``, ``kg build --update``: a RocksDB checkpoint of
the current one, hard links, then its changes) in ``DIR/.NAME.new-*`` and publishes it by
replacing the link, one atomic ``rename``. So:

* **one writer**: a writer holds an exclusive ``flock`` on ``DIR/.NAME.lock`` from before it
  reads the store until it has published (or dropped) its generation; a second writer is
  refused with :class:`StoreBusy` (exit 2), or waits for it;
* **many readers**: a reader resolves the link once and holds a shared ``flock`` on the
  generation's folder while it reads; it sees that generation to the end, whatever is published
  meanwhile; the next reader (or ``kg serve``'s worker, at its next request) sees the new one.
  A generation is removed only when no reader holds it;
* **crashes**: the publication is journalled (``DIR/.NAME.swap`` names the generation being
  published before anything is renamed); the next writer, or any opener that can take the lock,
  finishes a journalled swap whose generation is complete or rolls it back, and removes what
  killed writers left (``.NAME.new-*`` folders, ``NAME.old`` of older versions, unused
  generations). A reader that meets a swap half-done reads the generation the journal names.

A plain folder at ``DIR/NAME`` (a store made by an older version, or copied) is read as it is;
the first writer turns it into a generation (``rename``, journalled like the rest).
:func:`step` names each point of the swap, so the tests can kill a writer at each of them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.core.atomic import write_text_atomically
from kg.core.errors import InputError

__all__ = [
    "SWAP_STEPS",
    "ReaderHold",
    "StoreBusy",
    "current_generation",
    "hold_current",
    "new_folder",
    "publish",
    "recover",
    "step",
    "writer_lock",
]

#: the points of a swap, in order (see :func:`publish`); a crash between any two is recovered
SWAP_STEPS = (
    "journal-written",
    "generation-renamed",
    "plain-folder-adopted",
    "link-replaced",
    "journal-removed",
    "collected",
)

_GEN = re.compile(r"\.(?P<name>.+)\.gen-(?P<number>\d+)\Z")


def step(name: str) -> None:
    """A named point of the swap (one of :data:`SWAP_STEPS`): nothing happens here; the crash
    tests replace it in a child process to kill the writer at that point."""
    del name


class StoreBusy(InputError):
    """Another process is writing the store."""


# -- names ------------------------------------------------------------------------------------


def _lock_file(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _journal(path: Path) -> Path:
    return path.with_name(f".{path.name}.swap")


def _generations(path: Path) -> dict[int, Path]:
    """The generation folders beside ``path``, by number."""
    found: dict[int, Path] = {}
    parent = path.parent
    if not parent.is_dir():
        return found
    for entry in parent.iterdir():
        match = _GEN.fullmatch(entry.name)
        if match and match["name"] == path.name and entry.is_dir() and not entry.is_symlink():
            found[int(match["number"])] = entry
    return found


def _generation_name(path: Path, number: int) -> Path:
    return path.with_name(f".{path.name}.gen-{number:06d}")


def _number(folder: Path) -> int:
    match = _GEN.fullmatch(folder.name)
    return int(match["number"]) if match else 0


# -- the writer lock ----------------------------------------------------------------------------

#: locks this process holds: lock file → (descriptor, depth), so nested writers do not deadlock
_HELD: dict[str, tuple[int, int]] = {}
_HELD_GUARD = threading.Lock()


def _holder(lock: Path) -> str:
    try:
        text = lock.read_text("utf-8").strip()
    except OSError:
        return ""
    return f" ({text})" if text else ""


@contextlib.contextmanager
def writer_lock(path: Path, *, wait: float | None = None, what: str = "") -> Iterator[None]:
    """Hold the store's writer lock while the block runs.

    ``wait``: None or 0 refuses at once (:class:`StoreBusy`) when another process writes the
    store; a number of seconds waits that long at most (``math.inf``: as long as it takes).
    ``what`` (the command) is written into the lock file for the message another writer gets.
    """
    path = Path(path)
    lock = _lock_file(path)
    key = str(lock.resolve())
    with _HELD_GUARD:
        held = _HELD.get(key)
        if held is not None:
            _HELD[key] = (held[0], held[1] + 1)
    if held is not None:
        try:
            yield
        finally:
            with _HELD_GUARD:
                fd, depth = _HELD[key]
                _HELD[key] = (fd, depth - 1)
        return
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"cannot lock the store: {exc.strerror or exc}", file=path) from exc
    try:
        deadline = time.monotonic() + (wait or 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise InputError(f"cannot lock the store: {exc}", file=path) from exc
                if not wait or time.monotonic() >= deadline:
                    hint = "" if wait else ", or add --wait"
                    raise StoreBusy(
                        f"another process is writing this store{_holder(lock)}: "
                        f"try again when it is done{hint}",
                        file=path,
                    ) from None
                time.sleep(0.05 if math.isinf(wait) else min(0.05, wait))
        os.ftruncate(fd, 0)
        command = what or " ".join(["kg", *sys.argv[1:2]])
        os.write(fd, f"pid {os.getpid()}: {command}\n".encode())
        with _HELD_GUARD:
            _HELD[key] = (fd, 1)
        try:
            yield
        finally:
            with _HELD_GUARD:
                _HELD.pop(key, None)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _locked_by_me(path: Path) -> bool:
    with _HELD_GUARD:
        return str(_lock_file(path).resolve()) in _HELD


# -- where the current generation is ------------------------------------------------------------


def _journalled(path: Path) -> Path | None:
    """The generation a journalled swap publishes, if the journal names one that exists."""
    try:
        name = _journal(path).read_text("utf-8").strip()
    except OSError:
        return None
    target = path.with_name(name)
    if name and "/" not in name and _GEN.fullmatch(name) and target.is_dir():
        return target
    return None


def current_generation(path: Path) -> Path | None:
    """The folder a reader of the store at ``path`` reads now (None: there is no store): the
    link's target, the plain folder, or (while a swap is half-done) the journalled one."""
    path = Path(path)
    if path.is_symlink():
        target = path.parent / os.readlink(path)
        return target if target.is_dir() else _journalled(path)
    if path.is_dir():
        return path
    return _journalled(path)


@dataclass
class ReaderHold:
    """A shared lock on one generation's folder: it is not removed while held."""

    folder: Path
    fd: int

    def release(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


def hold_current(path: Path) -> ReaderHold | None:
    """Resolve the store at ``path`` and hold its current generation (None: no store)."""
    for _ in range(50):
        folder = current_generation(path)
        if folder is None:
            return None
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # removed between the look and the open: look again
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink > 0 and folder.is_dir():
            return ReaderHold(folder, fd)
        os.close(fd)  # removed while we waited for the lock: look again
    raise InputError("the store keeps changing under this reader: try again", file=path)


# -- writing a generation -----------------------------------------------------------------------


def new_folder(path: Path) -> Path:
    """A fresh private folder beside ``path`` for a generation being written (not created:
    Oxigraph creates it)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        made = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    except OSError as exc:
        raise InputError(f"cannot create the store: {exc.strerror or exc}", file=path) from exc
    made.rmdir()
    return made


def publish(path: Path, folder: Path) -> Path:
    """Make the complete store in ``folder`` the current generation of ``path``; the caller
    holds the writer lock. Returns the generation's folder."""
    path = Path(path)
    existing = _generations(path)
    current = current_generation(path)
    top = max([*existing, _number(current) if current is not None else 0], default=0)
    adopt = current is not None and not path.is_symlink() and current == path
    adopted = _generation_name(path, top + 1) if adopt else None
    final = _generation_name(path, top + (2 if adopt else 1))
    journal = _journal(path)
    write_text_atomically(journal, final.name + "\n")
    step("journal-written")
    os.rename(folder, final)
    step("generation-renamed")
    _point_at(path, final, adopted)
    journal.unlink()
    step("journal-removed")
    collect(path)
    step("collected")
    return final


def _point_at(path: Path, final: Path, adopted: Path | None) -> None:
    """The link at ``path`` made to point at ``final``; a plain folder there is first renamed
    to ``adopted`` (an old generation)."""
    if adopted is not None and path.is_dir() and not path.is_symlink():
        os.rename(path, adopted)
        step("plain-folder-adopted")
    link = path.with_name(f".{path.name}.link-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(final.name, link)
    os.replace(link, path)
    step("link-replaced")


def collect(path: Path) -> None:
    """Remove what is no longer any reader's: generations other than the current one that no
    reader holds, the private folders of killed writers, leftovers of older versions' swaps.
    The caller holds the writer lock."""
    path = Path(path)
    current = current_generation(path)
    for folder in _generations(path).values():
        if current is not None and folder == current:
            continue
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a reader still reads it: the next writer removes it
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)
    parent = path.parent
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        name = entry.name
        if name.startswith(f".{path.name}.new-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(f".{path.name}.link-"):
            with contextlib.suppress(OSError):
                entry.unlink()
    old = path.with_name(path.name + ".old")
    if old.is_dir() and current is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover(path: Path) -> None:
    """Finish or roll back a swap a crash interrupted, and remove the leftovers; the caller holds
    the writer lock. A journalled generation that exists is complete (it is renamed into place
    only when done): the swap is finished. One that does not exist was never renamed: nothing
    at ``path`` changed, the journal goes. An older version's swap cut between its two renames
    left the store in ``NAME.old``: it is put back."""
    path = Path(path)
    journal = _journal(path)
    if journal.exists():
        target = _journalled(path)
        if target is not None:
            adopted = None
            if path.is_dir() and not path.is_symlink():
                adopted = _generation_name(path, max(_generations(path), default=0) + 1)
            _point_at(path, target, adopted)
        journal.unlink()
    old = path.with_name(path.name + ".old")
    if not path.exists() and not path.is_symlink() and old.is_dir():
        os.rename(old, path)
    collect(path)


def try_recover(path: Path) -> None:
    """:func:`recover` if no writer is at work (a reader's courtesy; never waits)."""
    path = Path(path)
    needs = _journal(path).exists() or path.with_name(path.name + ".old").is_dir()
    if not needs or _locked_by_me(path):
        return
    with contextlib.suppress(StoreBusy, InputError, OSError), writer_lock(path, what="recovery"):
        recover(path)
