"""Running each side of the benchmark in its own process, so that peak memory is honest.

The parent writes the synthetic corpus to disk once (:func:`prepare`), then starts
``python -m kg.bench.harness SIDE ...`` for ``ours``, ``baseline``, ``peers`` (the other
validators, :mod:`kg.bench.peers`) and ``extras`` (extraction and linking throughput), one after
the other (never both at once: the
machine has two cores), samples the proportional set size (PSS) of the child's whole process
tree while it runs, and reads one JSON object from its stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.core.errors import InputError

__all__ = ["SideRun", "main", "prepare", "run_side"]

_SIDES = ("ours", "baseline", "peers", "extras", "query", "export")


@dataclass(frozen=True)
class SideRun:
    """What one side's process reported, and the peak memory of its process tree (MB)."""

    side: str
    report: dict[str, Any]
    peak_mb: float


def _children(pid: int) -> list[int]:
    """The children of ``pid``, from each of its threads' ``children`` list (no walk over
    every process of the machine)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _tree_pss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _pss_kb(current)
        todo += _children(current)
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid))
            self.done.wait(self.interval)


def prepare(*, articles: int, seed: int, workdir: Path) -> None:
    """Write the corpus both sides read: ``WORKDIR/corpus`` (records, reference, extra)."""
    from kg.bench.synthetic import SyntheticCorpus, write_corpus

    write_corpus(SyntheticCorpus(articles=articles, seed=seed), workdir / "corpus")


def run_side(
    side: str,
    *,
    articles: int,
    seed: int,
    workdir: Path,
    link_rows: int,
    query_timeout: float = 10.0,
    time_limit: float = 3600.0,
    incremental_limit: float | None = None,
    peer_limit: float | None = None,
    interval: float = 0.5,
) -> SideRun:
    """Run one side in a child process; its stderr passes through (progress, warnings). The
    plain stack's validation pass stops at ``time_limit``, its incremental pass at
    ``incremental_limit`` and each peer at ``peer_limit`` (both default to ``time_limit``)."""
    command = [
        sys.executable,
        "-m",
        "kg.bench.harness",
        side,
        "--articles",
        str(articles),
        "--seed",
        str(seed),
        "--workdir",
        str(workdir),
        "--link-rows",
        str(link_rows),
        "--query-timeout",
        str(query_timeout),
        "--time-limit",
        str(time_limit),
        "--incremental-limit",
        str(incremental_limit or time_limit),
        "--peer-limit",
        str(peer_limit or time_limit),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = _Sampler(child.pid, interval)
    sampler.start()
    output, _ = child.communicate()
    sampler.done.set()
    sampler.join()
    if child.returncode != 0:
        raise InputError(f"the {side} side of the benchmark failed (exit {child.returncode})")
    try:
        report = json.loads(output.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise InputError(f"the {side} side of the benchmark wrote no JSON result") from exc
    return SideRun(side, report, sampler.peak_kb / 1024)


# -- inside the child -------------------------------------------------------------------------
def _workload(args: argparse.Namespace) -> Any:
    from kg.bench.workload import Workload

    return Workload(args.articles, args.seed, Path(args.workdir) / "corpus")


def _ours(args: argparse.Namespace) -> dict[str, Any]:
    from kg.bench.ours import run_ours
    from kg.core.ontology import load_shapes
    from kg.validate.compiled import compile_shapes

    result = run_ours(
        _workload(args), Path(args.workdir) / "ours", query_timeout=args.query_timeout
    )
    return {
        "seconds": result.seconds,
        "query_seconds": result.query_seconds,
        "timed_out": result.timed_out,
        "triples": result.triples,
        "findings": result.findings,
        "violations": result.violations,
        "unsupported": len(compile_shapes(load_shapes()).unsupported),
    }


def _baseline(args: argparse.Namespace) -> dict[str, Any]:
    from kg.bench.baseline import run_baseline

    result = run_baseline(
        _workload(args),
        query_timeout=args.query_timeout,
        time_limit=args.time_limit,
        incremental_limit=args.incremental_limit,
    )
    return {
        "seconds": result.seconds,
        "query_seconds": result.query_seconds,
        "triples": result.triples,
        "conforms": result.conforms,
        "timed_out": result.timed_out,
        "findings": result.findings,
    }


def _peers(args: argparse.Namespace) -> dict[str, Any]:
    """The other validators (:mod:`kg.bench.peers`) on the data the plain side validates, each
    in a process of its own stopped at ``--peer-limit``."""
    from kg.bench.baseline import load_dataset
    from kg.bench.peers import PEERS, run_peer, write_inputs
    from kg.core.ontology import load_reference

    workload = _workload(args)
    dataset, _, _ = load_dataset(workload, load_reference())
    data, shapes = write_inputs(dataset, workload.shapes, Path(args.workdir) / "peers")
    del dataset
    reports = {name: run_peer(name, data, shapes, time_limit=args.peer_limit) for name in PEERS}
    data.unlink()
    return {"peers": reports}


def _extras(args: argparse.Namespace) -> dict[str, Any]:
    from kg.bench.extras import extraction_figures, linking_figures

    return {
        "extraction": extraction_figures(),
        "linking": linking_figures(rows=args.link_rows, folder=Path(args.workdir) / "link"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.bench.harness")
    parser.add_argument("side", choices=_SIDES)
    parser.add_argument("--articles", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--link-rows", type=int, default=0)
    parser.add_argument("--query-timeout", type=float, default=10.0)
    parser.add_argument("--time-limit", type=float, default=3600.0)
    parser.add_argument("--incremental-limit", type=float, default=3600.0)
    parser.add_argument("--peer-limit", type=float, default=3600.0)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--template", default=None)
    parser.add_argument("--bindings", default="{}")
    parser.add_argument("--format", default=None)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.side == "query":  # one template, timed by run_ours in a process of its own
        from kg.bench.ours import query_child

        query_child(args.store, args.template, json.loads(args.bindings))
        return 0
    if args.side == "export":  # one export, timed by run_ours in a process of its own
        from kg.bench.ours import export_child

        export_child(args.store, args.format, args.output)
        return 0
    if args.workdir is None:
        args.workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    start = time.perf_counter()
    sides = {"ours": _ours, "baseline": _baseline, "peers": _peers, "extras": _extras}
    report = sides[args.side](args)
    report["wall_s"] = time.perf_counter() - start
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
