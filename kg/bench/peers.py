"""Validators a user might pick instead of aikg's, run on the same shapes and the same data.

``pyshacl-turbo`` (a Rust SHACL engine behind pyshacl's API) and ``pyrudof`` (rudof's SHACL
validator) are optional (``pip install 'aikg[bench]'``); a peer that is not installed is reported
as ``not installed``. The data is what the plain side validates (the ontology, the reference
data and every article graph, as one union graph) written once as N-Triples, the shapes are the
project's ``ontology/*.shapes.ttl`` as one Turtle file. Each peer runs in a process of its own
(``python -m kg.bench.peers NAME DATA SHAPES``), stopped at the harness's time limit, so a crash
or a hang is a line of the report and never stops the benchmark. Its time counts reading both
files and validating.

Its findings, ``[focus, component, severity, shape]`` as the other sides give them, are compared
with ``kg validate``'s. What a peer cannot express is listed from two sources: what it says (an
error or a warning while it reads the shapes or validates) and what the comparison shows (the
shapes and constraint components of the findings that differ).

>>> _term("<https://w3id.org/aikg/id/firm/x>")
'https://w3id.org/aikg/id/firm/x'
>>> _term("sh:Warning")
'http://www.w3.org/ns/shacl#Warning'
>>> _component("sh:MinCountConstraintComponent")
'http://www.w3.org/ns/shacl#MinCountConstraintComponent'
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import logging
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Container
from pathlib import Path
from typing import Any

__all__ = [
    "PEERS",
    "SHAPE_SETS",
    "compare",
    "main",
    "report_findings",
    "run_peer",
    "write_inputs",
]

#: peer name → the module it needs
PEERS = {"pyshacl-turbo": "pyshacl_turbo", "pyrudof": "pyrudof"}

_SH = "http://www.w3.org/ns/shacl#"
_PREFIXES = {"sh": _SH, "aikgsh": "https://w3id.org/aikg/shapes#"}


#: the shapes a peer is tried with, in turn, when it refuses the previous set: all of them,
#: then without the SHACL-SPARQL constraints that call a custom function (``sh:Function``), then
#: without any SHACL-SPARQL constraint
SHAPE_SETS = ("all", "no-custom-functions", "core")


def write_inputs(dataset: Any, shapes: Any, folder: Path) -> tuple[Path, Path]:
    """Write the union of ``dataset`` (an rdflib ``Dataset`` with ``default_union``) as
    N-Triples, and ``shapes`` as Turtle, once per entry of :data:`SHAPE_SETS`
    (``shapes-all.ttl`` ...), into ``folder``: the data file and the first shapes file."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data.nt"
    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    union.serialize(destination=data, format="nt", encoding="utf-8")
    functions = {str(f) for f in shapes.subjects(RDF.type, SH.Function)}
    for name in SHAPE_SETS:
        kept = Graph()
        for prefix, namespace in shapes.namespaces():
            kept.bind(prefix, namespace)
        dropped = set()
        for shape, constraint in shapes.subject_objects(SH.sparql):
            text = " ".join(str(o) for o in shapes.objects(constraint, SH.select))
            calls = any(f.rsplit("#", 1)[-1] in text for f in functions)
            if name == "core" or (name == "no-custom-functions" and calls):
                dropped.add((shape, constraint))
        gone = {c for _, c in dropped}
        for s, p, o in shapes:
            if (s, o) in dropped or s in gone:
                continue
            kept.add((s, p, o))
        kept.serialize(destination=folder / f"shapes-{name}.ttl", format="turtle", encoding="utf-8")
    return data, folder / f"shapes-{SHAPE_SETS[0]}.ttl"


def _run_once(name: str, data: Path, shapes: Path, time_limit: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "kg.bench.peers", name, str(data), str(shapes)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=time_limit)
    except subprocess.TimeoutExpired:
        return {"status": "stopped at the time limit", "seconds": time_limit}
    took = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = [line.strip() for line in done.stderr.strip().splitlines()[-2:]]
        return {
            "status": "failed",
            "exit": done.returncode,
            "error": " / ".join(tail)[-300:],
            "process_s": round(took, 6),
        }
    report: dict[str, Any] = json.loads(lines[-1])
    report["status"] = "ok"
    report["process_s"] = round(took, 6)
    return report


def run_peer(name: str, data: Path, shapes: Path, *, time_limit: float) -> dict[str, Any]:
    """Run one peer in a process of its own, stopped after ``time_limit`` seconds: its report,
    or why there is none (``status``: ``ok``, ``not installed``, ``stopped at the time limit``,
    ``failed``). A peer that fails on the shapes is tried with fewer (:data:`SHAPE_SETS`, files
    beside ``shapes``); ``shapes`` says which set it ran with, ``refused`` what it failed on."""
    if importlib.util.find_spec(PEERS[name]) is None:
        return {"status": "not installed"}
    refused: list[str] = []
    report: dict[str, Any] = {}
    for shape_set in SHAPE_SETS:
        path = shapes.with_name(f"shapes-{shape_set}.ttl")
        report = _run_once(name, data, path, time_limit)
        report["shapes"] = shape_set
        if report["status"] != "failed":
            break
        refused.append(f"{shape_set}: {report['error']}")
    report["refused"] = refused
    return report


def compare(ours: list[list[str]], peer: dict[str, Any]) -> dict[str, Any]:
    """A peer's report against ``kg validate``'s findings: equal or not, with counts, and the
    shapes and components of the findings only one side has."""
    if peer.get("status") != "ok":
        return peer
    mine = {tuple(f) for f in ours}
    theirs = {tuple(f) for f in peer.pop("findings")}
    only_ours, only_peer = mine - theirs, theirs - mine
    row: dict[str, Any] = {
        **peer,
        "findings": len(theirs),
        "same": len(mine & theirs),
        "only_ours": len(only_ours),
        "only_peer": len(only_peer),
        "equal": not only_ours and not only_peer,
    }
    cannot = [f"refused the shapes ({r})" for r in peer.get("refused", [])]
    if peer.get("shapes", SHAPE_SETS[0]) != SHAPE_SETS[0]:
        cannot.append(f"ran with the shapes '{peer['shapes']}' (see SHAPE_SETS)")
    cannot += [f"said: {m}" for m in peer.get("messages", [])]
    for label, part in (("missed", only_ours), ("extra", only_peer)):
        by_shape = Counter((f[3], f[1].removeprefix(_SH)) for f in part)
        for (shape, component), count in sorted(by_shape.items()):
            cannot.append(f"{label} {count}: {shape} ({component})")
    row["cannot_express"] = cannot
    return row


# -- inside the peer's process -----------------------------------------------------------------
def _term(text: str) -> str:
    """An IRI as pyrudof writes it (``<iri>`` or ``prefix:local``), as a plain IRI."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, colon, local = text.partition(":")
    if colon and prefix in _PREFIXES:
        return _PREFIXES[prefix] + local
    return text


def _component(text: str) -> str:
    iri = _term(text)
    return iri if "://" in iri else _SH + iri.removeprefix("sh:")


def _severity(text: str) -> str:
    iri = _term(text)
    if "://" in iri:
        return iri
    return _SH + {"violation": "Violation", "warning": "Warning", "info": "Info"}.get(
        iri.lower(), iri
    )


def report_findings(report: Any, *, skip: Container[Any] = ()) -> list[list[str]]:
    """The top-level results of a pyshacl-style report graph as ``[focus, component, severity,
    shape]``, sorted, each once; results whose focus is in ``skip`` left out."""
    from rdflib.namespace import SH

    found = set()
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        if focus is None or focus in skip:
            continue
        found.add(
            (
                str(focus),
                str(report.value(node, SH.sourceConstraintComponent)),
                str(report.value(node, SH.resultSeverity)),
                str(report.value(node, SH.sourceShape)),
            )
        )
    return [list(f) for f in sorted(found)]


def _pyshacl_turbo(data: Path, shapes: Path) -> tuple[list[list[str]], bool]:
    import pyshacl_turbo
    from rdflib import Graph

    from kg.validate import functions

    functions.register()  # the LEI check, should the engine call rdflib's functions
    data_graph = Graph().parse(data, format="nt")
    shapes_graph = Graph().parse(shapes, format="turtle")
    conforms, report, _ = pyshacl_turbo.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", allow_warnings=True
    )
    return report_findings(report), bool(conforms)


def _pyrudof(data: Path, shapes: Path) -> tuple[list[list[str]], bool]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(data), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(str(shapes), format=pyrudof.ShaclFormat.Turtle)
    report = rudof.validate_shacl()
    found = {
        (
            _term(str(entry.focus_node)),
            _component(str(entry.constraint_component)),
            _severity(str(entry.severity)),
            _term(str(entry.source_shape)),
        )
        for entry in report.violations
    }
    return [list(f) for f in sorted(found)], bool(report.conforms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.bench.peers")
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("data", type=Path)
    parser.add_argument("shapes", type=Path)
    args = parser.parse_args(argv)
    run = {"pyshacl-turbo": _pyshacl_turbo, "pyrudof": _pyrudof}[args.peer]
    logged = io.StringIO()
    handler = logging.StreamHandler(logged)
    handler.setLevel(logging.WARNING)
    logging.getLogger().addHandler(handler)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(sys.stderr):
        warnings.simplefilter("always")
        findings, conforms = run(args.data, args.shapes)
    took = time.perf_counter() - start
    messages = sorted({str(w.message).strip().splitlines()[0][:300] for w in caught})
    messages += sorted({line[:300] for line in logged.getvalue().splitlines() if line.strip()})
    report = {"seconds": took, "conforms": conforms, "findings": findings, "messages": messages}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
