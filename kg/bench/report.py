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
from kg.bench.peers import compare

__all__ = ["combine", "growth", "growth_table", "op", "table"]


def op(ours: float, baseline: float, *, stopped: bool = False) -> dict[str, Any]:
    """One operation: both times and how many times faster ours is; ``stopped`` when the
    baseline was stopped at its time limit (its time and the ratio are then lower bounds)."""
    ratio = baseline / ours if ours > 0 else float("inf")
    row: dict[str, Any] = {
        "ours_s": round(ours, 6),
        "baseline_s": round(baseline, 6),
        "ratio": round(ratio, 2),
    }
    if stopped:
        row["lower_bound"] = True
    return row


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def combine(
    *,
    articles: int,
    ours: SideRun,
    baseline: SideRun,
    extras: SideRun | None,
    peers: SideRun | None = None,
) -> dict[str, Any]:
    """The JSON object of one run: ``{"articles", "triples", "ops", "peak_mb", ...}``."""
    mine, theirs = ours.report, baseline.report
    stopped = set(theirs.get("timed_out", []))
    ops: dict[str, dict[str, Any]] = {}
    for name in ("build_validate", "incremental"):
        ops[name] = op(mine["seconds"][name], theirs["seconds"][name], stopped=name in stopped)
    common = sorted(set(mine["query_seconds"]) & set(theirs["query_seconds"]))
    mine_q = [mine["query_seconds"][n] for n in common]
    theirs_q = [theirs["query_seconds"][n] for n in common]
    capped = [theirs["query_seconds"][n] for n in common if n in stopped]
    for name, q in (("query_p50", 50), ("query_p95", 95)):
        value = _percentile(theirs_q, q)
        # a percentile at or above the smallest stopped template's time is a lower bound
        ops[name] = op(_percentile(mine_q, q), value, stopped=bool(capped) and value >= min(capped))
    for name in ("export_turtle", "export_nquads"):
        ops[name] = op(mine["seconds"][name], theirs["seconds"][name])
    result: dict[str, Any] = {
        "articles": articles,
        "triples": mine["triples"],
        "ops": ops,
        "peak_mb": {"ours": round(ours.peak_mb, 1), "baseline": round(baseline.peak_mb, 1)},
        "triples_baseline": theirs["triples"],
        "queries": {
            n: op(mine["query_seconds"][n], theirs["query_seconds"][n], stopped=n in stopped)
            for n in common
        },
        "validate": op(
            mine["seconds"]["validate"],
            theirs["seconds"]["validate"],
            stopped="build_validate" in stopped,
        ),
        "limit_load_s": round(mine["seconds"]["limit_load"], 6),
        "limit_read_s": round(mine["seconds"]["limit_read"], 6),
        "validation": _validation(mine, theirs),
        "timed_out": {"ours": mine.get("timed_out", []), "baseline": theirs.get("timed_out", [])},
    }
    if peers is not None:
        result["peers"] = _peers(mine, peers.report.get("peers", {}))
    if extras is not None:
        linking = extras.report.get("linking", {})
        if linking.get("rows"):
            ops["link_gleif"] = op(linking["ours_s"], linking["baseline_s"])
        result["linking"] = linking
        result["extraction"] = extras.report.get("extraction", {})
    return result


def growth(*, articles: int, ours: SideRun) -> dict[str, Any]:
    """aikg's side alone (``kg bench --aikg-only``): its seconds, each template's, the query
    percentiles, the engine's floor and the peak memory, for sizes the plain stack cannot hold.

    >>> run = SideRun("ours", {"seconds": {"build_validate": 9.0, "limit_load": 1.0,
    ...     "limit_read": 2.0}, "query_seconds": {"a": 0.1, "b": 0.3}, "triples": 10,
    ...     "timed_out": [], "findings": [["f"]], "violations": 1}, 512.0)
    >>> growth(articles=2, ours=run)["ops_s"]
    {'build_validate': 9.0, 'query_p50': 0.2, 'query_p95': 0.29}
    """
    mine = ours.report
    values = list(mine["query_seconds"].values())
    ops = {k: round(v, 6) for k, v in mine["seconds"].items() if not k.startswith("limit_")}
    ops["query_p50"] = round(_percentile(values, 50), 6)
    ops["query_p95"] = round(_percentile(values, 95), 6)
    return {
        "articles": articles,
        "triples": mine["triples"],
        "aikg_only": True,
        "ops_s": ops,
        "queries_s": {k: round(v, 6) for k, v in sorted(mine["query_seconds"].items())},
        "limit_load_s": round(mine["seconds"]["limit_load"], 6),
        "limit_read_s": round(mine["seconds"]["limit_read"], 6),
        "peak_mb": {"ours": round(ours.peak_mb, 1)},
        "findings": len(mine.get("findings") or []),
        "violations": mine.get("violations"),
        "timed_out": {"ours": mine.get("timed_out", [])},
    }


def growth_table(result: dict[str, Any]) -> str:
    """A growth run as a plain-text table."""
    lines = [f"{result['articles']} articles, {result['triples']} triples (aikg's side alone)"]
    lines += [f"{name:<16} {seconds:>10.3f} s" for name, seconds in result["ops_s"].items()]
    lines.append(
        f"{'engine floor':<16} load {result['limit_load_s']:.3f} s, "
        f"read {result['limit_read_s']:.3f} s (Oxigraph alone, the same quads)"
    )
    lines += [f"  {name:<24} {seconds:>8.3f} s" for name, seconds in result["queries_s"].items()]
    lines.append(f"{'peak memory (MB)':<16} {result['peak_mb']['ours']:>10.0f}")
    return "\n".join(lines)


def _peers(mine: dict[str, Any], reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each peer's findings against ``kg validate``'s, and its time against ``kg validate``'s
    (``ratio``: how many times faster ``kg validate`` is; both count reading the data)."""
    found: dict[str, Any] = {}
    for name, report in sorted(reports.items()):
        row = compare(mine.get("findings") or [], dict(report))
        if row.get("status") == "ok":
            row["ratio"] = op(mine["seconds"]["validate"], row["process_s"])["ratio"]
        found[name] = row
    return found


def _validation(mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """What ``kg validate`` found against what pyshacl found over the union (None when the
    plain side was stopped before it finished)."""
    ours = mine.get("findings") or []
    plain = theirs.get("findings")
    return {
        "findings": len(ours),
        "violations": mine.get("violations"),
        "unsupported_shapes": mine.get("unsupported"),
        "baseline_conforms": theirs.get("conforms"),
        "baseline_findings": None if plain is None else len(plain),
        "same_as_pyshacl": None if plain is None else ours == plain,
    }


def _peer_line(name: str, row: dict[str, Any]) -> str:
    """One peer in the table: its time and findings, or its status.

    >>> _peer_line("pyrudof", {"status": "not installed"})
    'pyrudof: not installed'
    >>> print(_peer_line("p", {"status": "ok", "process_s": 2.0, "ratio": 4.0, "findings": 3,
    ...     "same": 2, "only_ours": 1, "only_peer": 1, "equal": False, "shapes": "core",
    ...     "cannot_express": ["missed 1: S (MinCountConstraintComponent)"]}))
    p: 2.000 s (kg validate 4.0x faster), 3 findings: differ (2 same, 1 only ours, 1 only p); \
shapes 'core'
      cannot express: missed 1: S (MinCountConstraintComponent)
    """
    if row.get("status") != "ok":
        return f"{name}: {row.get('status')}" + (f" ({row['error']})" if "error" in row else "")
    verdict = "equal to kg validate's" if row["equal"] else "differ"
    line = (
        f"{name}: {row['process_s']:.3f} s (kg validate {row['ratio']:.1f}x faster), "
        f"{row['findings']} findings: {verdict}"
    )
    if not row["equal"]:
        line += (
            f" ({row['same']} same, {row['only_ours']} only ours, {row['only_peer']} only {name})"
        )
    line += f"; shapes '{row['shapes']}'"
    for item in row.get("cannot_express", []):
        line += f"\n  cannot express: {item}"
    return line


def table(result: dict[str, Any]) -> str:
    """The result as a plain-text table."""
    lines = [f"{result['articles']} articles, {result['triples']} triples"]
    if any(row.get("lower_bound") for row in result["ops"].values()):
        lines.append(">= : the plain side was stopped at its time limit (a lower bound)")
    lines.append(f"{'operation':<16} {'ours (s)':>9} {'baseline (s)':>13} {'ratio':>8}")
    for name, row in result["ops"].items():
        at_least = ">=" if row.get("lower_bound") else ""  # the baseline was stopped
        baseline = f"{at_least}{row['baseline_s']:.3f}"
        ratio = f"{at_least}{row['ratio']:.1f}"
        lines.append(f"{name:<16} {row['ours_s']:>9.3f} {baseline:>13} {ratio:>8}")
    rows = [("kg validate", result.get("validate"))]
    for name, row in rows:
        if row:
            at_least = ">=" if row.get("lower_bound") else ""
            baseline = f"{at_least}{row['baseline_s']:.3f}"
            lines.append(
                f"{name:<16} {row['ours_s']:>9.3f} {baseline:>13} {at_least}{row['ratio']:>8.1f}"
            )
    if "limit_load_s" in result:
        lines.append(
            f"{'engine floor':<16} load {result['limit_load_s']:.3f} s, "
            f"read {result['limit_read_s']:.3f} s (Oxigraph alone, the same quads)"
        )
    for name, row in (result.get("peers") or {}).items():
        lines.append(_peer_line(name, row))
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
