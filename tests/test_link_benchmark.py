"""The scale benchmark's pieces: synthetic file, our blocked pass, the all-pairs baseline."""

from __future__ import annotations

from kg.link.benchmark import (
    naive_link_gleif,
    reference_firms,
    time_gleif_linking,
    write_benchmark_file,
)
from kg.link.sources.gleif import iter_level1


def test_blocked_pass_finds_what_all_pairs_finds(tmp_path):
    firms = reference_firms()
    path = write_benchmark_file(tmp_path / "synthetic.csv", rows=1_000, firms=firms)
    assert sum(1 for _ in iter_level1(path)) == 1_000
    timing = time_gleif_linking(path, firms)
    assert timing.rows == timing.baseline_rows == 1_000
    assert timing.same_links
    assert timing.links >= 30  # most firms have a row named like them
    naive = naive_link_gleif(firms, path, limit=100)
    assert [d.firm for d in naive] == firms
    limited = time_gleif_linking(path, firms, baseline_limit=300)
    assert limited.baseline_rows == 300 and limited.same_links
