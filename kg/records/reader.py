"""Fact records (docs/records.md): reading and checking one record file.

:func:`load_record` reads one file and checks everything that needs no ontology: the
``article:`` header, the reserved keys of each fact, the evidence spans and, given the corpus
folder, the text's SHA-256 and length. The ontology-dependent checks (unknown keys, classes,
individuals, values of the wrong type) happen while mapping (:mod:`kg.records.mapper`). Either way,
every problem of a file is collected and raised as one :class:`RecordError`.

The YAML is read by :mod:`kg.records.yaml_lines` (line numbers, YAML 1.2 scalars).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import InputError
from kg.core.iris import SLUG, article_iri, parse_ref
from kg.records.yaml_lines import YamlList, YamlMap, parse_yaml

__all__ = [
    "FACT_KEYS",
    "HEADER_KEYS",
    "ArticleHeader",
    "Fact",
    "Problems",
    "Record",
    "RecordError",
    "Span",
    "YamlList",
    "YamlMap",
    "declared_individuals",
    "load_record",
    "load_records",
    "parse_date",
    "parse_yaml",
    "read_text",
    "record_files",
]

#: the keys of the ``article:`` header: required ones map to True
HEADER_KEYS: dict[str, bool] = {
    "id": True,
    "file": True,
    "publisher": True,
    "published": True,
    "precision": False,
    "language": True,
    "sha256": True,
    "length": True,
    "url": False,
    "encoding": False,
    "method": False,
    "reviewer": False,
    "extractor": False,
}

#: the reserved keys of a fact (every other key is an ontology term)
FACT_KEYS = frozenset({"type", "id", "evidence", "confidence", "method", "mentions"})

_PRECISIONS = {1: "year", 2: "month", 3: "day"}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_REF = re.compile(r"[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*")
_METHODS = ("reviewed", "extracted")


# -- collecting problems -------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


class RecordError(InputError):
    """Every problem found in one record file; the message leads with the first one."""

    def __init__(self, file: str | Path, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.message))
        first, rest = self.problems[0], self.problems[1:]
        message = first.message
        if rest:
            shown = "; ".join(f"line {p.line}: {p.message}" for p in rest[:5])
            more = "; ..." if len(rest) > 5 else ""
            message += f" (and {len(rest)} more: {shown}{more})"
        super().__init__(message, file=file, line=first.line)


@dataclass
class Problems:
    """Collects the problems of one file, to raise them together."""

    file: Path
    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, line: int | None) -> None:
        self.items.append(Problem(line, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise RecordError(self.file, self.items)


# -- the record model ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """Evidence: code points ``[start, end)`` of the article text."""

    start: int
    end: int
    line: int


@dataclass(frozen=True)
class ArticleHeader:
    id: str
    file: str
    publisher: str
    published: str
    precision: str
    language: str
    sha256: str
    length: int
    url: str | None
    encoding: str
    method: str
    reviewer: str | None
    extractor: str | None
    line: int
    key_lines: dict[str, int]


@dataclass(frozen=True)
class Fact:
    """One item of ``facts:``; ``n`` is its 1-based position, ``body`` the mapping as written."""

    n: int
    line: int
    body: YamlMap
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Record:
    path: Path
    header: ArticleHeader
    facts: tuple[Fact, ...]
    #: the article text, when the corpus folder was given (its hash matched the header)
    text: str | None = None

    @property
    def iri(self) -> str:
        return str(article_iri(self.header.id))


# -- values --------------------------------------------------------------------------------------
def parse_date(value: object) -> tuple[str, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (lexical form, precision).

    >>> parse_date("2025-09"), parse_date(2026), parse_date("2025-09-22")
    (('2025-09', 'month'), ('2026', 'year'), ('2025-09-22', 'day'))
    >>> parse_date("2025-13")
    Traceback (most recent call last):
    ...
    ValueError: '2025-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)
    """
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    match = _DATE.fullmatch(text) if isinstance(text, str) else None
    if match is None or not isinstance(text, str):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    parts = 1 + (month is not None) + (day is not None)
    return text, _PRECISIONS[parts]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- the header ----------------------------------------------------------------------------------
def _check_header(raw: object, line: int, problems: Problems) -> ArticleHeader | None:
    if not isinstance(raw, YamlMap):
        problems.add("'article:' must be a mapping of header keys", line)
        return None
    for key in raw:
        if key not in HEADER_KEYS:
            problems.add(f"unknown header key {key!r}", raw.line_of(key))
    for key, required in HEADER_KEYS.items():
        if required and raw.get(key) is None:
            problems.add(f"the header lacks {key!r}", raw.line)
    before = len(problems.items)

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        problems.add(f"header {key!r} must be text, not {value!r}", raw.line_of(key))
        return None

    article_id = text("id")
    if article_id is not None and not SLUG.fullmatch(article_id):
        problems.add(
            f"article id {article_id!r} is not a slug (a-z, 0-9, hyphens)", raw.line_of("id")
        )
    publisher = text("publisher")
    if publisher is not None and not _REF.fullmatch(publisher):
        problems.add(f"publisher {publisher!r} is not kind/slug", raw.line_of("publisher"))

    published, precision = None, None
    if raw.get("published") is not None:
        try:
            published, precision = parse_date(raw["published"])
        except ValueError as exc:
            problems.add(f"published: {exc}", raw.line_of("published"))
    stated = text("precision")
    if stated is not None and stated not in _PRECISIONS.values():
        problems.add(f"precision {stated!r} is not year, month or day", raw.line_of("precision"))
    elif stated is not None and precision is not None and stated != precision:
        problems.add(
            f"published {published!r} has {precision} precision, the header says {stated!r}",
            raw.line_of("precision"),
        )
    language = text("language")
    if language is not None and not _LANGUAGE.fullmatch(language):
        problems.add(f"language {language!r} is not a BCP 47 tag", raw.line_of("language"))
    sha256 = text("sha256")
    if sha256 is not None and not _SHA256.fullmatch(sha256):
        problems.add("sha256 must be 64 lower-case hex digits", raw.line_of("sha256"))
    length = raw.get("length")
    if length is not None and (not _is_int(length) or length < 0):
        problems.add(
            f"length must be a whole number of code points, not {length!r}", raw.line_of("length")
        )
    url = text("url")
    if url is not None and not re.fullmatch(r"https?://\S+", url):
        problems.add(f"url {url!r} is not an http(s) URL", raw.line_of("url"))
    method = text("method") or "reviewed"
    if method not in _METHODS:
        problems.add(f"method {method!r} is not reviewed or extracted", raw.line_of("method"))
    encoding = text("encoding") or "utf-8"
    file = text("file")
    if file is not None and (Path(file).name != file or file in ("", ".", "..")):
        problems.add(f"file {file!r} must be a bare file name", raw.line_of("file"))
    reviewer, extractor = text("reviewer"), text("extractor")

    if (
        len(problems.items) > before
        or article_id is None
        or file is None
        or publisher is None
        or published is None
        or precision is None
        or language is None
        or sha256 is None
        or not isinstance(length, int)
    ):
        return None
    return ArticleHeader(
        id=article_id,
        file=file,
        publisher=publisher,
        published=published,
        precision=precision,
        language=language,
        sha256=sha256,
        length=length,
        url=url,
        encoding=encoding,
        method=method,
        reviewer=reviewer,
        extractor=extractor,
        line=raw.line,
        key_lines=dict(raw.key_lines),
    )


# -- facts ---------------------------------------------------------------------------------------
def _check_spans(raw: object, line: int, length: int | None, problems: Problems) -> list[Span]:
    if raw is None:
        problems.add("a fact needs 'evidence': a list of [start, end] spans", line)
        return []
    if not isinstance(raw, YamlList) or not raw:
        problems.add("'evidence' must be a non-empty list of [start, end] spans", line)
        return []
    spans: list[Span] = []
    for i, item in enumerate(raw):
        where = raw.line_of(i)
        if not (isinstance(item, list) and len(item) == 2 and all(_is_int(x) for x in item)):
            problems.add(f"span {item!r} is not two whole numbers [start, end]", where)
            continue
        start, end = item
        if not 0 <= start < end:
            problems.add(f"span [{start}, {end}] is empty or negative", where)
        elif length is not None and end > length:
            problems.add(f"span [{start}, {end}] lies outside the text (length {length})", where)
        else:
            spans.append(Span(start, end, where))
    return spans


def _check_ref(value: object, what: str, line: int, problems: Problems) -> None:
    if not (isinstance(value, str) and _REF.fullmatch(value)):
        problems.add(f"{what} {value!r} is not kind/slug (such as firm/nvidia)", line)


def _check_fact(
    raw: object, n: int, line: int, length: int | None, problems: Problems
) -> Fact | None:
    if not isinstance(raw, YamlMap):
        problems.add(f"fact {n} must be a mapping of keys to values", line)
        return None
    spans = _check_spans(raw.get("evidence"), raw.line_of("evidence"), length, problems)
    if "id" in raw:
        _check_ref(raw["id"], "id", raw.line_of("id"), problems)
    if "type" in raw:
        types = raw["type"] if isinstance(raw["type"], list) else [raw["type"]]
        if not types or not all(isinstance(t, str) and t for t in types):
            problems.add(
                f"type {raw['type']!r} must be a class name or a list of them", raw.line_of("type")
            )
    if "confidence" in raw:
        value = raw["confidence"]
        if not (_is_number(value) and 0 <= value <= 1):
            problems.add(
                f"confidence {value!r} is not a number from 0 to 1", raw.line_of("confidence")
            )
    if "method" in raw and not isinstance(raw["method"], str):
        problems.add(
            f"method {raw['method']!r} must be text (a rule's name)", raw.line_of("method")
        )
    if "mentions" in raw:
        targets = raw["mentions"] if isinstance(raw["mentions"], list) else [raw["mentions"]]
        for target in targets or [None]:
            _check_ref(target, "mentions", raw.line_of("mentions"), problems)
        extra = sorted(set(raw) - {"mentions", "evidence", "confidence", "method"})
        if extra:
            problems.add(
                f"a mention takes only evidence, confidence and method, not {extra}", raw.line
            )
    elif "type" not in raw and "id" not in raw:
        problems.add("a fact needs 'type', 'id' or 'mentions'", raw.line)
    return Fact(n=n, line=raw.line, body=raw, spans=tuple(spans))


# -- the corpus ----------------------------------------------------------------------------------
def read_text(corpus_dir: Path, header: ArticleHeader, *, record: Path | None = None) -> str:
    """The article text named by ``header``, after checking its SHA-256 and length.

    A problem is an ``InputError`` naming ``record`` and the header line concerned."""
    path = corpus_dir / header.file

    def problem(message: str, key: str) -> InputError:
        return InputError(message, file=record, line=header.key_lines.get(key, header.line))

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise problem(f"cannot read the article text {path}: {exc.strerror}", "file") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != header.sha256:
        raise problem(f"SHA-256 of {path} is {digest}, the header says {header.sha256}", "sha256")
    try:
        text = raw.decode(header.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise problem(f"cannot decode {path} as {header.encoding}: {exc}", "encoding") from exc
    if len(text) != header.length:
        raise problem(
            f"{path} has {len(text)} code points, the header says {header.length}", "length"
        )
    return text


# -- loading -------------------------------------------------------------------------------------
def load_record(path: Path, *, corpus_dir: Path | None = None) -> Record:
    """Read and check one record file; with ``corpus_dir``, also its article text."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the record: {exc}", file=path) from exc
    data = parse_yaml(source, file=path)
    problems = Problems(path)
    if not isinstance(data, YamlMap):
        raise InputError("a record is a mapping with 'article:' and 'facts:'", file=path, line=1)
    for key in data:
        if key not in ("article", "facts"):
            problems.add(
                f"unknown top-level key {key!r} (expected article, facts)", data.line_of(key)
            )
    header = _check_header(data.get("article"), data.line_of("article"), problems)

    text: str | None = None
    if header is not None and corpus_dir is not None:
        try:
            text = read_text(corpus_dir, header, record=path)
        except InputError as exc:
            problems.add(exc.message, exc.line)

    raw_facts = data.get("facts")
    facts: list[Fact] = []
    if not isinstance(raw_facts, YamlList):
        problems.add("'facts:' must be a list of facts", data.line_of("facts"))
    else:
        length = header.length if header is not None else None
        for i, raw in enumerate(raw_facts):
            fact = _check_fact(raw, i + 1, raw_facts.line_of(i), length, problems)
            if fact is not None:
                facts.append(fact)
    problems.raise_if_any()
    if header is None:  # pragma: no cover - a missing header always adds a problem
        raise InputError("no article header", file=path)
    return Record(path=path, header=header, facts=tuple(facts), text=text)


def record_files(records_dir: Path) -> list[Path]:
    """The record files of a folder (``*.yaml``, ``*.yml``), sorted by name."""
    if not records_dir.is_dir():
        raise InputError("no such folder of fact records", file=records_dir)
    files = sorted(
        p for p in records_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
    )
    if not files:
        raise InputError("no fact records (*.yaml) in this folder", file=records_dir)
    return files


def load_records(files: list[Path], *, corpus_dir: Path | None = None) -> list[Record]:
    """Load several records; two records for one article id are an error."""
    records: list[Record] = []
    seen: dict[str, Path] = {}
    for path in files:
        record = load_record(path, corpus_dir=corpus_dir)
        other = seen.setdefault(record.header.id, path)
        if other != path:
            raise InputError(
                f"article id {record.header.id!r} is also the id in {other}",
                file=path,
                line=record.header.key_lines.get("id"),
            )
        records.append(record)
    return records


def declared_individuals(records: list[Record]) -> Iterator[str]:
    """The IRIs declared by facts with both ``id`` and ``type``, in every record given."""
    for record in records:
        for fact in record.facts:
            if "id" in fact.body and "type" in fact.body:
                yield str(parse_ref(fact.body["id"]))
