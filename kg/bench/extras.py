"""The figures the benchmark takes from other issues: extraction throughput (characters per
second, :mod:`kg.extract.throughput`) and linking a register of many rows against the firms
(:mod:`kg.link.benchmark`, ours against the all-pairs way)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kg.core.paths import data_dir

__all__ = ["article_texts", "extraction_figures", "linking_figures"]

#: the all-pairs baseline is timed on at most this many rows (its cost per row is flat)
BASELINE_ROWS = 2_000


def article_texts() -> list[Path]:
    """Article texts to extract: the project's test articles and, if set, ``$KG_CORPUS``'s."""
    paths = sorted((data_dir("tests") / "articles").glob("*.txt"))
    corpus = os.environ.get("KG_CORPUS")
    if corpus and Path(corpus).is_dir():
        paths += sorted(Path(corpus).glob("*.txt"))
    return paths


def extraction_figures(*, repeat: int = 3) -> dict[str, Any]:
    from kg.extract.throughput import measure_throughput

    paths = article_texts()
    if not paths:
        return {"articles": 0}
    return measure_throughput(paths, repeat=repeat).as_dict()


def linking_figures(*, rows: int, folder: Path) -> dict[str, Any]:
    if rows <= 0:
        return {"rows": 0}
    from kg.link.benchmark import reference_firms, time_gleif_linking, write_benchmark_file

    folder.mkdir(parents=True, exist_ok=True)
    firms = reference_firms()
    path = write_benchmark_file(folder / "level1.csv", rows=rows, firms=firms)
    timing = time_gleif_linking(path, firms, baseline_limit=min(rows, BASELINE_ROWS))
    path.unlink()
    scale = timing.rows / max(timing.baseline_rows, 1)
    return {
        "rows": timing.rows,
        "baseline_rows": timing.baseline_rows,
        "ours_s": timing.ours_s,
        "baseline_s": timing.baseline_s * scale,
        "ratio": timing.ratio,
        "links": timing.links,
        "same_links": timing.same_links,
    }
