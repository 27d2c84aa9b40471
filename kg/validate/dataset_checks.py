"""Checks over the whole dataset, that SHACL (one graph at a time) cannot make: SPARQL queries in
``ontology/dataset-checks/*.rq``, run in Oxigraph over every graph at once.

A check's ``#+`` header (YAML) names its shape (an IRI in the shapes' namespace, for the
report), its severity, and its message and fix in each language, with the placeholders of the
shapes' messages (``{$this}``, ``{?var}``). Each row of its answer is one result in the graph
``?graph``, about ``?this`` (``?class`` is its value). The results join the SHACL results in
the one report of ``kg validate`` and ``kg build`` (:mod:`kg.validate.run`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.paths import ontology_dir
from kg.store.embedded import Store
from kg.validate.results import Result, Severity, compact
from kg.validate.shapes import SHAPES_NS

__all__ = ["DatasetCheck", "load_checks", "run_checks"]

_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class DatasetCheck:
    """One check: its query and what its results say."""

    name: str
    shape: URIRef
    severity: Severity
    query: str
    messages: Mapping[str, str]
    fixes: Mapping[str, str]


def _read(path: Path) -> DatasetCheck:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] for line in text.splitlines() if line.startswith("#+ "))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"the #+ header is not YAML: {exc}", file=path) from exc
    if not isinstance(meta, dict) or not {"shape", "severity", "message"} <= set(meta):
        raise InputError("the #+ header needs shape, severity and message", file=path)
    severity = Severity.of(URIRef(_SH + str(meta["severity"])))
    return DatasetCheck(
        name=path.stem,
        shape=URIRef(SHAPES_NS + str(meta["shape"])),
        severity=severity,
        query=text,
        messages={str(k): str(v) for k, v in dict(meta["message"]).items()},
        fixes={str(k): str(v) for k, v in dict(meta.get("fix") or {}).items()},
    )


@functools.cache
def load_checks() -> tuple[DatasetCheck, ...]:
    """The checks of ``ontology/dataset-checks``, by name."""
    folder = ontology_dir() / "dataset-checks"
    return tuple(_read(p) for p in sorted(folder.glob("*.rq")))


def _fill(template: str, row: Mapping[str, Node]) -> str:
    out = template
    for name, value in row.items():
        shown = compact(value)
        out = out.replace("{?" + name + "}", shown)
        if name == "this":
            out = out.replace("{$this}", shown)
    return out


def run_checks(store: Store, graphs: Iterable[URIRef]) -> dict[URIRef, list[Result]]:
    """The results of every check in each of ``graphs`` (graphs without results are absent)."""
    wanted = set(graphs)
    found: dict[URIRef, list[Result]] = {}
    for check in load_checks():
        for row in store.select(check.query).rows:
            graph, this = row.get("graph"), row.get("this")
            if not isinstance(graph, URIRef) or graph not in wanted or this is None:
                continue
            value = row.get("class")
            found.setdefault(graph, []).append(
                Result(
                    graph=graph,
                    focus=this,
                    severity=check.severity,
                    component=URIRef(SHAPES_NS + "DatasetCheckComponent"),
                    shape=check.shape,
                    value=value if isinstance(value, URIRef | Literal) else None,
                    messages={k: _fill(v, row) for k, v in check.messages.items()},
                    fixes=dict(check.fixes),
                )
            )
    return found
