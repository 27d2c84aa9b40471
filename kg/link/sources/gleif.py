"""GLEIF golden-copy files, streamed: Level 1 (who is who) and Level 2 (who owns whom).

The files are CSV with a header row naming each column (``LEI``, ``Entity.LegalName`` ...; the
Level 1 file has over 300 columns and about 2.8 million rows), plain, gzip-compressed or in a
zip archive. Rows are read one at a time and never all held. A row with the wrong number of
fields, a malformed LEI or an empty legal name, a cut-off compressed stream or quoted field is
an ``InputError`` naming the file and the line.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from kg.core.errors import InputError
from kg.core.identifiers import IdKind, lei_is_valid
from kg.link.records import RegisterRecord

__all__ = [
    "Level1Row",
    "Relationship",
    "iter_level1",
    "iter_relationships",
    "open_table",
]

_LEGAL_NAME = "Entity.LegalName"
_NAME_PREFIXES = (
    "Entity.OtherEntityNames.OtherEntityName.",
    "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.",
)
_COUNTRIES = ("Entity.LegalAddress.Country", "Entity.HeadquartersAddress.Country")
_CHILD = "Relationship.StartNode.NodeID"
_PARENT = "Relationship.EndNode.NodeID"
_TYPE = "Relationship.RelationshipType"
_STATUS = "Relationship.RelationshipStatus"

csv.field_size_limit(1 << 24)


@contextlib.contextmanager
def open_table(path: Path) -> Iterator[IO[str]]:
    """``path`` as a text stream: a plain CSV, a ``.gz`` or a ``.zip`` holding one CSV."""
    try:
        with path.open("rb") as probe:
            magic = probe.read(4)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from exc
    try:
        if magic[:2] == b"\x1f\x8b":
            with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as stream:
                yield stream
        elif magic == b"PK\x03\x04":
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
                if len(members) != 1:
                    raise InputError(
                        f"expected one CSV file in the archive, found {len(members)}", file=path
                    )
                with archive.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                yield stream
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive (truncated?): {exc}", file=path) from exc


class _Counting(Protocol):
    @property
    def line_num(self) -> int: ...


@contextlib.contextmanager
def _csv_errors(path: Path, reader: _Counting) -> Iterator[None]:
    """Read errors of any layer as ``InputError`` at the line reached."""
    try:
        yield
    except csv.Error as exc:
        message = f"malformed CSV (truncated?): {exc}"
        raise InputError(message, file=path, line=reader.line_num) from exc
    except (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        message = f"the compressed file ends early or is damaged after row {reader.line_num}"
        raise InputError(f"{message}: {exc}", file=path, line=reader.line_num + 1) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: {exc.reason}", file=path, line=reader.line_num + 1) from exc


def _header(path: Path, reader: Iterator[list[str]], required: tuple[str, ...]) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty file: no header row", file=path, line=1) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(f"not a GLEIF file: no column {', '.join(missing)}", file=path, line=1)
    return header


@dataclass(frozen=True, slots=True)
class Level1Row:
    """One Level 1 row: its line, LEI and names; the rest is read only when asked."""

    line: int
    lei: str
    names: tuple[str, ...]
    fields: list[str]
    columns: dict[str, int]

    def _get(self, column: str) -> str | None:
        at = self.columns.get(column)
        value = self.fields[at].strip() if at is not None else ""
        return value or None

    def record(self) -> RegisterRecord:
        countries = {c.lower() for c in (self._get(col) for col in _COUNTRIES) if c}
        return RegisterRecord(
            kind=IdKind.LEI,
            identifier=self.lei,
            names=self.names,
            row=self.line,
            countries=frozenset(countries),
            jurisdiction=self._get("Entity.LegalJurisdiction"),
            registration_status=self._get("Registration.RegistrationStatus"),
            entity_status=self._get("Entity.EntityStatus"),
        )

    @property
    def last_update(self) -> str | None:
        return self._get("Registration.LastUpdateDate")


def iter_level1(path: Path) -> Iterator[Level1Row]:
    """The rows of a Level 1 golden-copy file, one at a time, checked as they go."""
    with open_table(path) as stream:
        reader = csv.reader(stream, strict=True)
        with _csv_errors(path, reader):
            header = _header(path, reader, ("LEI", _LEGAL_NAME))
            columns = {name: i for i, name in enumerate(header)}
            width = len(header)
            lei_at, name_at = columns["LEI"], columns[_LEGAL_NAME]
            other_at = [i for i, name in enumerate(header) if name.startswith(_NAME_PREFIXES)]
            other_at = [i for i in other_at if not header[i].endswith((".xmllang", ".type"))]
            for fields in reader:
                line = reader.line_num
                if len(fields) != width:
                    if not fields:
                        continue
                    message = f"row has {len(fields)} fields, the header {width} (truncated?)"
                    raise InputError(message, file=path, line=line)
                lei = fields[lei_at].strip()
                if not lei_is_valid(lei):
                    message = f"{lei!r} is not a valid LEI (ISO 17442)"
                    raise InputError(message, file=path, line=line)
                legal = fields[name_at].strip()
                if not legal:
                    raise InputError(f"LEI {lei} has no legal name", file=path, line=line)
                names = [legal]
                for at in other_at:
                    other = fields[at].strip()
                    if other and other not in names:
                        names.append(other)
                yield Level1Row(line, lei, tuple(names), fields, columns)


@dataclass(frozen=True, slots=True)
class Relationship:
    """A Level 2 relationship: ``child`` is consolidated by ``parent``."""

    line: int
    child: str
    parent: str
    kind: str
    status: str


def iter_relationships(path: Path) -> Iterator[Relationship]:
    """The rows of a Level 2 relationship-record file, one at a time."""
    with open_table(path) as stream:
        reader = csv.reader(stream, strict=True)
        with _csv_errors(path, reader):
            header = _header(path, reader, (_CHILD, _PARENT, _TYPE))
            columns = {name: i for i, name in enumerate(header)}
            width = len(header)
            status_at = columns.get(_STATUS)
            for fields in reader:
                line = reader.line_num
                if len(fields) != width:
                    if not fields:
                        continue
                    message = f"row has {len(fields)} fields, the header {width} (truncated?)"
                    raise InputError(message, file=path, line=line)
                child = fields[columns[_CHILD]].strip()
                parent = fields[columns[_PARENT]].strip()
                for lei in (child, parent):
                    if not lei_is_valid(lei):
                        message = f"{lei!r} is not a valid LEI (ISO 17442)"
                        raise InputError(message, file=path, line=line)
                status = fields[status_at].strip() if status_at is not None else "ACTIVE"
                yield Relationship(line, child, parent, fields[columns[_TYPE]].strip(), status)
