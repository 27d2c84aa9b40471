"""aikg's side of the benchmark: the ``kg`` verbs themselves, run the way a user runs them.

From the corpus on disk (record files and a reference file), the writing operations are one
command each, in a process of its own, timed from start to exit (the interpreter's start
included): ``kg build --records DIR --reference FILE`` (mapping, bulk load, the derived graph of
conflicting reports and validation), ``kg validate --format turtle`` (the standard
``sh:ValidationReport``, the plain side's kind of output; its findings are compared with
pyshacl's by the harness), ``kg build --update RECORD`` (one more article). The exports and the
templates are timed around the function ``kg export`` and ``kg query`` call (the store opened
read-only, then ``export_to_file`` or ``run_template``), each in a process of its own started
beforehand, as the plain side's times leave out its interpreter and its imports; a run past its
time limit can be stopped.

Beside them, the engine's floor: Oxigraph's own bulk load of the exported N-Quads into a new
store, and its full read of the same quads (``limit_load_s``, ``limit_read_s``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from kg.bench.peers import report_findings
from kg.bench.workload import QueryCase, Workload
from kg.core.errors import InputError
from kg.core.iris import DERIVED_GRAPHS
from kg.query.run import StoreSource, run_template
from kg.query.templates import load_catalogue
from kg.store.embedded import Store, from_ox, to_ox

__all__ = ["OursResult", "export_child", "query_child", "query_seconds", "run_ours"]


@dataclass
class OursResult:
    seconds: dict[str, float]
    query_seconds: dict[str, float]
    #: templates stopped at the time limit (their time is the limit: a lower bound)
    timed_out: list[str]
    triples: int
    #: kg validate's results: [focus, component, severity, shape], sorted, each once
    findings: list[list[str]] = field(default_factory=list)
    violations: int = 0


def _kg(*args: str) -> tuple[float, str]:
    """Run ``kg ARGS`` as a user does; its seconds and its standard output."""
    env = {k: v for k, v in os.environ.items() if k != "KG_CORPUS"}  # no article texts here
    command = [sys.executable, "-m", "kg", *args]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise InputError(f"'kg {' '.join(args)}' failed: {done.stderr.strip()[-500:]}")
    return took, done.stdout


def query_child(path: Path, name: str, bindings: dict[str, str]) -> None:
    """In the child process: open the store read-only, say ``ready``, run the template as
    ``kg query`` does, print its seconds (``bindings``: variable → N-Triples term)."""
    store = Store.open(path, read_only=True)
    template = load_catalogue()[name]
    terms = {k: from_ox(_parse_term(v)) for k, v in bindings.items()}
    source = StoreSource(store)
    print("ready", flush=True)
    start = time.perf_counter()
    run_template(template, terms, source=source)
    print(time.perf_counter() - start, flush=True)


def export_child(path: Path, fmt: str, output: Path) -> None:
    """In the child process: say ``ready``, then open the store read-only and write it to
    ``output`` as ``kg export --format FMT -o OUTPUT`` does; print the seconds."""
    from kg.store.export import export_to_file
    from kg.store.formats import RdfFormat

    chosen = RdfFormat(fmt)
    print("ready", flush=True)
    start = time.perf_counter()
    with Store.open(path, read_only=True) as store:
        export_to_file(store, output, fmt=chosen)
    print(time.perf_counter() - start, flush=True)


def _timed_child(command: list[str], *, timeout: float | None, what: str) -> float | None:
    """Start ``python -m kg.bench.harness ...``; once it says ``ready``, the seconds it prints
    (None if it ran past ``timeout`` and was stopped)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "kg.bench.harness", *command], stdout=subprocess.PIPE, text=True
    )
    if child.stdout is None or child.stdout.readline().strip() != "ready":
        child.wait()
        raise RuntimeError(f"the process for {what} failed")
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return None
    answer = child.stdout.read().strip()
    if child.returncode != 0 or not answer:
        raise RuntimeError(f"{what} failed")
    return float(answer)


def _parse_term(text: str) -> object:
    quad = next(iter(ox.parse(input=f"<urn:s> <urn:p> {text} .", format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def query_seconds(path: Path, case: QueryCase, *, timeout: float) -> float | None:
    """Seconds the store at ``path`` takes to answer ``case``, in a process of its own (opening
    the store read-only) so that a query running past ``timeout`` can be stopped (None then)."""
    bindings = json.dumps({k: str(to_ox(v)) for k, v in case.bindings.items()})
    command = ["query", "--store", str(path), "--template", case.name, "--bindings", bindings]
    return _timed_child(command, timeout=timeout, what=f"the query {case.name}")


def _engine_floor(nquads: Path, folder: Path) -> tuple[float, float]:
    """Oxigraph alone: seconds to bulk-load ``nquads`` into a new store, and to read every quad
    of it back."""
    start = time.perf_counter()
    engine = ox.Store(str(folder))
    engine.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    engine.optimize()
    load = time.perf_counter() - start
    start = time.perf_counter()
    for _ in engine.quads_for_pattern(None, None, None, None):
        pass
    read = time.perf_counter() - start
    del engine
    return load, read


def run_ours(workload: Workload, folder: Path, *, query_timeout: float = 10.0) -> OursResult:
    """Every operation of the benchmark, aikg's way: the CLI on the corpus files, in a store
    under ``folder``."""
    _ = workload.query_cases  # untimed set-up
    files = workload.files
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store"
    at = ("--store", str(store))
    seconds: dict[str, float] = {}

    seconds["build_validate"], _ = _kg(
        "build", "--records", str(files.records), "--reference", str(files.reference), *at
    )
    seconds["validate"], text = _kg("validate", "--format", "turtle", *at)
    report = Graph().parse(data=text, format="turtle")
    with Store.open(store, read_only=True) as opened:
        # the stated dataset, as the plain side has it (not the graphs kg build derives)
        triples = opened.count() - sum(opened.count(g) for g in DERIVED_GRAPHS)
    seconds["incremental"], _ = _kg("build", "--update", str(files.extra), *at)

    exported = folder / "export.nq"
    for name, fmt in (("export_turtle", "turtle"), ("export_nquads", "nquads")):
        output = exported if fmt == "nquads" else folder / "export.ttl"
        command = ["export", "--store", str(store), "--format", fmt, "--output", str(output)]
        took = _timed_child(command, timeout=None, what=f"kg export --format {fmt}")
        assert took is not None  # no time limit
        seconds[name] = took
    (folder / "export.ttl").unlink()
    seconds["limit_load"], seconds["limit_read"] = _engine_floor(exported, folder / "engine")
    exported.unlink()

    # each template once, in a process of its own (as the baseline's: a time limit each)
    timings: dict[str, float] = {}
    timed_out: list[str] = []
    for case in workload.query_cases:
        took = query_seconds(store, case, timeout=query_timeout)
        if took is None:
            timed_out.append(case.name)
            took = query_timeout
        timings[case.name] = took
    return OursResult(
        seconds=seconds,
        query_seconds=timings,
        timed_out=timed_out,
        triples=triples,
        findings=report_findings(report),
        violations=len(set(report.subjects(SH.resultSeverity, SH.Violation))),
    )
