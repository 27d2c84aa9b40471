"""Many articles at once: inputs checked first, extraction on every core, drafts written all
or none, and a line per article saying what it drafted.

``kg extract`` reads every input before it extracts anything (a missing, binary, undecodable
or oversized file is exit 2 and nothing is written), extracts them in worker processes (the
lexicon is built once, before the workers start, and shared with them), and writes the drafts
through ``kg.core.atomic.write_texts_atomically``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.core.errors import InputError
from kg.extract.extractor import Extractor
from kg.extract.figures.dates import Published
from kg.extract.read.reading import read_article

__all__ = [
    "MAX_CHARS",
    "TEXT_SUFFIXES",
    "Job",
    "check_inputs",
    "default_jobs",
    "extract_all",
    "input_files",
    "summary_line",
]

#: the longest text ``kg extract`` takes by default (code points): ~1 MB of news is far more
#: than any article, and is extracted in seconds
MAX_CHARS = 1_000_000
#: the files a folder given to ``kg extract`` contributes
TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class Job:
    """What every article of one run is extracted with."""

    published: Published | None  # None: each article's own dateline (Extractor.context)
    publisher: str | None = None
    encoding: str | None = None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the article files of the folders named (sorted), in order; a
    name that is neither is an error."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                raise InputError(
                    f"no article files ({', '.join(TEXT_SUFFIXES)}) in this folder", file=path
                )
            out += [p for p in found if p.is_file()]
        elif path.is_file():
            out.append(path)
        else:
            raise InputError("no such file or folder", file=path)
    return out


def check_inputs(files: Sequence[Path], *, max_chars: int, encoding: str | None) -> None:
    """Read and decode every file and check its length, before anything is extracted."""
    stems: dict[str, Path] = {}
    for path in files:
        other = stems.setdefault(path.stem, path)
        if other != path:
            raise InputError(
                f"two inputs would write one draft {path.stem}.yaml ({other})", file=path
            )
        size = path.stat().st_size
        if size > 4 * max_chars:  # more characters than the limit, whatever the encoding
            raise InputError(
                f"{size:,} bytes is over the limit of {max_chars:,} characters (--max-chars)",
                file=path,
            )
        length = read_article(path, encoding=encoding).length
        if length > max_chars:
            raise InputError(
                f"{length:,} characters is over the limit of {max_chars:,} (--max-chars)",
                file=path,
            )


_EXTRACTOR: Extractor | None = None


def _extract(args: tuple[Path, Job]) -> dict[str, Any]:
    path, job = args
    engine = _EXTRACTOR if _EXTRACTOR is not None else Extractor.from_reference()
    return engine.extract_file(
        path, published=job.published, publisher=job.publisher, encoding=job.encoding
    )


def _start_worker() -> None:
    global _EXTRACTOR
    if _EXTRACTOR is None:  # spawned, not forked: build the lexicon here
        _EXTRACTOR = Extractor.from_reference()


def extract_all(
    files: Sequence[Path], job: Job, *, jobs: int, extractor: Extractor | None = None
) -> list[dict[str, Any]]:
    """The drafts of ``files``, in order, on up to ``jobs`` worker processes."""
    global _EXTRACTOR
    _EXTRACTOR = extractor if extractor is not None else Extractor.from_reference()
    workers = max(1, min(jobs, len(files)))
    if workers == 1:
        return [_extract((path, job)) for path in files]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_start_worker) as pool:
        return pool.map(_extract, [(path, job) for path in files], chunksize=1)


def summary_line(path: Path, record: dict[str, Any]) -> str:
    """What a draft holds, on one line: facts, deals, figures, and the names it proposes."""
    from kg.extract.eval.evaluate import DEAL_TYPES

    facts = record["facts"]
    deals = [f for f in facts if str(f.get("type")) in DEAL_TYPES]
    metrics = [f for f in facts if f.get("type") == "MetricObservation"]
    proposed = [
        f
        for f in facts
        if "id" in f and "review" in str(f.get("rdfs:comment", "")) and f.get("type") != "Publisher"
    ]
    names = []
    for fact in proposed:
        labels = fact.get("rdfs:label")
        text = "/".join(labels.values()) if isinstance(labels, dict) else str(labels)
        names.append(f"{fact['id']} ({text})")
    line = (
        f"{path.name}: {len(facts)} facts, {len(deals)} deals, {len(metrics)} figures, "
        f"{len(proposed)} new names"
    )
    return line + (": " + ", ".join(names) if names else "")
