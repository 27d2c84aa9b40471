"""Timing ``kg link``'s GLEIF pass against the plain all-pairs way, side by side.

Ours: one streaming pass, each row looked up in the blocking index and scored only against
the firms its names hit. Baseline: the same rows, each scored against every firm (all pairs),
with the same scorer and the same decisions. ``time_gleif_linking`` runs both on one file and
returns the seconds and their ratio; the baseline may be limited to the first rows (its
per-row cost is flat, so the ratio is then one of per-row times, and it says so).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.core.identifiers import IdKind
from kg.core.iris import GRAPH_REFERENCE
from kg.core.paths import ontology_dir
from kg.link.firms import FirmProfile, read_firms
from kg.link.match import CandidatePool, Decision, FirmIndex, Thresholds, Verdict, decide
from kg.link.names import has_cjk
from kg.link.sources.gleif import iter_level1
from kg.link.synthetic import GleifEntity, make_lei, write_gleif_level1
from kg.store.embedded import Store

__all__ = [
    "LinkTiming",
    "naive_link_gleif",
    "reference_firms",
    "time_gleif_linking",
    "write_benchmark_file",
]


@dataclass(frozen=True)
class LinkTiming:
    """Seconds for our pass and the all-pairs baseline over ``rows`` (``baseline_rows`` when the
    baseline was limited: then ``ratio`` compares per-row times)."""

    rows: int
    baseline_rows: int
    ours_s: float
    baseline_s: float
    ratio: float
    links: int
    same_links: bool


def reference_firms() -> list[FirmProfile]:
    """The firms of the project's reference data (no store needed)."""
    graph = Graph()
    for path in sorted((ontology_dir() / "reference").glob("*.ttl")):
        graph.parse(path, format="turtle")
    store = Store.in_memory()
    store.replace_graph(GRAPH_REFERENCE, graph)
    return read_firms(store)


def write_benchmark_file(
    path: Path, *, rows: int, firms: Sequence[FirmProfile], seed: int = 0
) -> Path:
    """A Level 1 file of ``rows`` rows: decoys plus one row named like each firm."""
    rng = random.Random(seed)
    planted = []
    for firm in firms:
        latin = [n for n in firm.names if not has_cjk(n) and len(n) > 3]
        if not latin:
            continue
        country = min(firm.countries).upper() if firm.countries else "US"
        planted.append(GleifEntity(make_lei(rng), max(latin, key=len), country))
    return write_gleif_level1(path, decoys=max(0, rows - len(planted)), planted=planted, seed=seed)


def _link(
    firms: Sequence[FirmProfile],
    path: Path,
    *,
    thresholds: Thresholds,
    all_pairs: bool,
    limit: int | None,
) -> tuple[list[Decision], int]:
    index = FirmIndex(firms)
    pool = CandidatePool()
    rows = 0
    for row in iter_level1(path):
        if limit is not None and rows >= limit:
            break
        rows += 1
        if all_pairs:
            for candidate in index.naive_candidates(row.record()):
                pool.add(candidate)
            continue
        hits = index.hits(row.names, identifiers=((IdKind.LEI, row.lei),))
        if hits:
            record = row.record()
            for position in hits:
                pool.add(index.candidate(position, record))
    return decide(pool, firms, IdKind.LEI, thresholds), rows


def naive_link_gleif(
    firms: Sequence[FirmProfile],
    path: Path,
    *,
    thresholds: Thresholds | None = None,
    limit: int | None = None,
) -> list[Decision]:
    """The baseline: every row scored against every firm."""
    decisions, _ = _link(
        firms, path, thresholds=thresholds or Thresholds(), all_pairs=True, limit=limit
    )
    return decisions


def _links(decisions: Sequence[Decision]) -> dict[str, str]:
    return {
        str(d.firm.iri): d.candidate.identifier
        for d in decisions
        if d.verdict is Verdict.LINK and d.candidate is not None
    }


def time_gleif_linking(
    path: Path,
    firms: Sequence[FirmProfile],
    *,
    thresholds: Thresholds | None = None,
    baseline_limit: int | None = None,
) -> LinkTiming:
    """Run ours and the baseline on ``path``; the baseline reads at most ``baseline_limit`` rows."""
    th = thresholds or Thresholds()
    start = time.perf_counter()
    ours, rows = _link(firms, path, thresholds=th, all_pairs=False, limit=None)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    base, base_rows = _link(firms, path, thresholds=th, all_pairs=True, limit=baseline_limit)
    base_s = time.perf_counter() - start
    if base_rows == rows:
        ratio, same = base_s / ours_s, _links(ours) == _links(base)
    else:
        ratio = (base_s / max(base_rows, 1)) / (ours_s / max(rows, 1))
        same = True
        if baseline_limit is not None:
            limited, _ = _link(firms, path, thresholds=th, all_pairs=False, limit=base_rows)
            same = _links(limited) == _links(base)
    return LinkTiming(rows, base_rows, ours_s, base_s, ratio, len(_links(ours)), same)
