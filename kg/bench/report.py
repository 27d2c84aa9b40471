"""The benchmark's result: one JSON object, and the same as a table for the terminal.

>>> result = {"articles": 2, "triples": 10, "ops": {"build_validate": {"ours_s": 0.5,
...     "baseline_s": 5.0, "ratio": 10.0}}, "peak_mb": {"ours": 100.0, "baseline": 300.0}}
>>> print(table(result))
2 articles, 10 triples
operation         ours (s)  baseline (s)    ratio
build_validate       0.500         5.000     10.0
peak memory (MB)       100           300      3.0
"""

from __future__ import annotations

import statistics
from typing import Any

from kg.bench.harness import SideRun

__all__ = ["combine", "op", "table"]


def op(ours: float, baseline: float) -> dict[str, float]:
    """One operation: both times and how many times faster ours is."""
    ratio = baseline / ours if ours > 0 else float("inf")
    return {"ours_s": round(ours, 6), "baseline_s": round(baseline, 6), "ratio": round(ratio, 2)}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def combine(
    *, articles: int, ours: SideRun, baseline: SideRun, extras: SideRun | None
) -> dict[str, Any]:
    """The JSON object of one run: ``{"articles", "triples", "ops", "peak_mb", ...}``."""
    mine, theirs = ours.report, baseline.report
    ops: dict[str, dict[str, float]] = {}
    for name in ("build_validate", "incremental"):
        ops[name] = op(mine["seconds"][name], theirs["seconds"][name])
    common = sorted(set(mine["query_seconds"]) & set(theirs["query_seconds"]))
    mine_q = [mine["query_seconds"][n] for n in common]
    theirs_q = [theirs["query_seconds"][n] for n in common]
    ops["query_p50"] = op(_percentile(mine_q, 50), _percentile(theirs_q, 50))
    ops["query_p95"] = op(_percentile(mine_q, 95), _percentile(theirs_q, 95))
    for name in ("export_turtle", "export_nquads"):
        ops[name] = op(mine["seconds"][name], theirs["seconds"][name])
    result: dict[str, Any] = {
        "articles": articles,
        "triples": mine["triples"],
        "ops": ops,
        "peak_mb": {"ours": round(ours.peak_mb, 1), "baseline": round(baseline.peak_mb, 1)},
        "triples_baseline": theirs["triples"],
        "queries": {n: op(mine["query_seconds"][n], theirs["query_seconds"][n]) for n in common},
        "validation": {
            "findings": mine.get("findings"),
            "pyshacl_graphs": mine.get("pyshacl_graphs"),
            "unsupported_shapes": mine.get("unsupported"),
            "baseline_conforms": theirs.get("conforms"),
        },
        "timed_out": {"ours": mine.get("timed_out", []), "baseline": theirs.get("timed_out", [])},
    }
    if extras is not None:
        linking = extras.report.get("linking", {})
        if linking.get("rows"):
            ops["link_gleif"] = op(linking["ours_s"], linking["baseline_s"])
        result["linking"] = linking
        result["extraction"] = extras.report.get("extraction", {})
    return result


def table(result: dict[str, Any]) -> str:
    """The result as a plain-text table."""
    lines = [f"{result['articles']} articles, {result['triples']} triples"]
    lines.append(f"{'operation':<16} {'ours (s)':>9} {'baseline (s)':>13} {'ratio':>8}")
    for name, row in result["ops"].items():
        lines.append(
            f"{name:<16} {row['ours_s']:>9.3f} {row['baseline_s']:>13.3f} {row['ratio']:>8.1f}"
        )
    peak = result["peak_mb"]
    share = peak["baseline"] / peak["ours"] if peak["ours"] else float("inf")
    lines.append(
        f"{'peak memory (MB)':<16} {peak['ours']:>9.0f} {peak['baseline']:>13.0f} {share:>8.1f}"
    )
    extraction = result.get("extraction") or {}
    if extraction.get("chars_per_s"):
        lines.append(
            f"extraction: {extraction['chars_per_s']:,.0f} characters/s "
            f"({extraction['articles_per_s']:.1f} articles/s over {extraction['characters']:,} "
            "characters)"
        )
    linking = result.get("linking") or {}
    if linking.get("rows"):
        lines.append(
            f"linking: {linking['rows']:,} register rows in {linking['ours_s']:.3f} s "
            f"(all pairs timed on {linking['baseline_rows']:,} rows, scaled)"
        )
    return "\n".join(lines)
