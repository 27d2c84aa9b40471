"""What both sides of the benchmark work on: the synthetic corpus written to disk as a user has
theirs (record files and a reference file, :func:`kg.bench.synthetic.write_corpus`), the
ontology, the shapes and the query templates with values.

The corpus is written once, before either side runs; each side builds its own :class:`Workload`
in its own process (deterministic for a seed), so neither pays for the other's memory. Making the
workload is not timed; reading the files is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kg.bench.synthetic import CorpusFiles, SyntheticCorpus
from kg.core.ontology import load_ontology, load_shapes
from kg.query.params import bind
from kg.query.templates import Template, load_catalogue
from kg.records.mapper import Schema

__all__ = ["QueryCase", "Workload"]


@dataclass(frozen=True)
class QueryCase:
    """One template with the values it runs with."""

    name: str
    template: Template
    bindings: dict[str, Node]


@dataclass
class Workload:
    articles: int
    seed: int = 0
    #: where the corpus is on disk (written by :func:`kg.bench.synthetic.write_corpus`)
    folder: Path = Path("corpus")

    @property
    def files(self) -> CorpusFiles:
        extra = f"{self.corpus.extra_record()['article']['id']}.yaml"
        return CorpusFiles(
            records=self.folder / "records",
            reference=self.folder / "reference.ttl",
            extra=self.folder / "extra" / extra,
        )

    @cached_property
    def corpus(self) -> SyntheticCorpus:
        return SyntheticCorpus(articles=self.articles, seed=self.seed)

    @cached_property
    def record_dicts(self) -> list[dict[str, Any]]:
        return self.corpus.record_dicts()

    @cached_property
    def ontology(self) -> Graph:
        return load_ontology()

    @cached_property
    def shapes(self) -> Graph:
        return load_shapes()

    @cached_property
    def schema(self) -> Schema:
        return Schema.from_graph(self.ontology)

    def popular(self, role: str | None = None, *, rank: int = 0) -> str:
        """The slug of a frequently named firm (the ``rank``-th most named)."""
        counts: Counter[str] = Counter()
        for record in self.record_dicts:
            for fact in record["facts"]:
                for key, value in fact.items():
                    if role is not None and key != role:
                        continue
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str) and item.startswith("firm/synth-"):
                            counts[item] += 1
        ranked = sorted(counts, key=lambda k: (-counts[k], k))
        return ranked[min(rank, len(ranked) - 1)].split("/", 1)[1] if ranked else "nvidia"

    def typical_deal(self) -> tuple[str, str, str]:
        """A deal reported by several articles whose parties are neither the most nor the least
        named firms: (deal, first party, second party) as ``kind/slug`` references."""
        reports: Counter[str] = Counter()
        parties: dict[str, list[str]] = {}
        for record in self.record_dicts:
            for fact in record["facts"]:
                if str(fact.get("id", "")).startswith("deal/"):
                    reports[fact["id"]] += 1
                    found = [
                        v
                        for k, value in fact.items()
                        if k not in ("id", "type", "evidence", "statusEntry")
                        for v in (value if isinstance(value, list) else [value])
                        if isinstance(v, str) and v.startswith("firm/")
                    ]
                    parties[fact["id"]] = found
        top = {f"firm/{self.popular(rank=r)}" for r in range(10)}
        candidates = sorted(
            (d for d in reports if reports[d] > 1 and not set(parties[d][:2]) & top),
            key=lambda d: (-reports[d], int(d.rsplit("-", 1)[1])),
        )
        deal = candidates[0] if candidates else next(iter(reports), "deal/synth-0")
        first, second = [*parties.get(deal, []), "firm/nvidia", "firm/openai"][:2]
        return deal, first, second

    @cached_property
    def template_values(self) -> dict[str, str]:
        """The value of each template parameter that finds something in this corpus, as a user
        gives it: a deal reported more than once (``fact``), its two parties (``firm``,
        ``counterparty``), the metric ``Revenue``, ``max_length`` 3."""
        deal, firm, other = self.typical_deal()
        return {
            "firm": firm.split("/", 1)[1],
            "counterparty": other.split("/", 1)[1],
            "fact": deal,
            "metric": "Revenue",
            "max_length": "3",
        }

    @cached_property
    def query_cases(self) -> list[QueryCase]:
        """Every template of the catalogue, with values that find something in this corpus: a
        deal reported more than once, its two parties (firms named now and then, not the
        most named), the metric the corpus reports most."""
        given = self.template_values
        cases = []
        for name, template in sorted(load_catalogue().items()):
            values = {p.name: given[p.name] for p in template.parameters if p.name in given}
            missing = [p.name for p in template.parameters if p.required and p.name not in values]
            if missing:
                continue
            cases.append(QueryCase(name, template, bind(template, values)))
        return cases
