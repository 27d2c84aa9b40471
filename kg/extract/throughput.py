"""Extraction throughput, for the benchmark: articles and characters per second, measured side
by side with reading (and decoding) the same files alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.extract.extractor import Extractor, article_slug
from kg.extract.figures.dates import Published
from kg.extract.read.reading import read_article

__all__ = ["Throughput", "measure_throughput"]


@dataclass(frozen=True, slots=True)
class Throughput:
    """One measurement: ``read_s`` reads and decodes only; ``extract_s`` reads and extracts."""

    articles: int
    characters: int
    read_s: float
    extract_s: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.extract_s if self.extract_s else float("inf")

    @property
    def chars_per_s(self) -> float:
        return self.characters / self.extract_s if self.extract_s else float("inf")

    @property
    def read_chars_per_s(self) -> float:
        return self.characters / self.read_s if self.read_s else float("inf")

    @property
    def ratio(self) -> float:
        """How many times longer extracting takes than reading alone."""
        return self.extract_s / self.read_s if self.read_s else float("inf")

    def as_dict(self) -> dict[str, float | int]:
        return {
            "articles": self.articles,
            "characters": self.characters,
            "read_s": self.read_s,
            "extract_s": self.extract_s,
            "articles_per_s": self.articles_per_s,
            "chars_per_s": self.chars_per_s,
            "read_chars_per_s": self.read_chars_per_s,
            "ratio": self.ratio,
        }


def measure_throughput(
    paths: Sequence[Path],
    *,
    extractor: Extractor | None = None,
    published: str = "2026-01",
    repeat: int = 1,
) -> Throughput:
    """Extract every file ``repeat`` times with one ``Extractor`` (built once, outside the
    timing), and read the same files alone as the baseline."""
    engine = extractor if extractor is not None else Extractor.from_reference()
    when = Published.parse(published)
    characters = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            characters += read_article(path).length
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        for path in paths:
            article = read_article(path)
            engine.extract(
                article, article_id=article_slug(path), file_name=path.name, published=when
            )
    extract_s = time.perf_counter() - start
    return Throughput(
        articles=len(paths) * repeat, characters=characters, read_s=read_s, extract_s=extract_s
    )
