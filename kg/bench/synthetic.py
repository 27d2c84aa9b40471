"""A synthetic corpus with the real one's shape, for the benchmark: deterministic for a seed.

Articles are fact records in the docs/records.md format, made as Python dicts (what the YAML of
a record parses to) and turned into :class:`kg.records.Record` objects, so they go through the
same generic mapper as the reviewed records. Each article has 5 to 15 facts of every kind:
mentions, deals (roles, amounts, capacities, products, status entries), metric observations and
claims, each with evidence spans. Firms come from a long-tailed population of synthetic firms
(a few are in many articles, most in few), described in a synthetic reference graph with
bilingual labels, aliases and valid LEIs. Deals recur across articles, each article adding its
own dated status entry, as in the news. Dates spread over several years.

>>> corpus = SyntheticCorpus(articles=3, seed=1)
>>> [len(r["facts"]) for r in corpus.record_dicts()] == [len(r.facts) for r in corpus.records()]
True
>>> corpus.record_dicts()[0]["article"]["id"]
'synth-000000'
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.core.iris import BASE, ONTOLOGY, article_iri
from kg.core.namespaces import AIKG
from kg.link.synthetic import make_lei
from kg.records.reader import ArticleHeader, Fact, Record, Span, YamlList, YamlMap

__all__ = [
    "CorpusFiles",
    "SyntheticCorpus",
    "SyntheticFirm",
    "as_record",
    "firm_population",
    "write_corpus",
]


_SYLLABLES = [
    "al",
    "ba",
    "cor",
    "da",
    "el",
    "fen",
    "gor",
    "hal",
    "ix",
    "jun",
    "kel",
    "lor",
    "mar",
    "nex",
    "or",
    "pra",
    "quan",
    "ros",
    "sil",
    "tor",
    "ul",
    "vek",
    "wan",
    "xen",
    "yor",
    "zel",
    "tri",
    "on",
    "ar",
    "is",
    "ta",
    "ve",
    "mo",
    "ri",
    "ka",
    "du",
]
_SUFFIXES = ("Compute", "Systems", "Semiconductor", "Cloud", "Capital", "Labs", "Networks", "AI")
_CJK = "星辰雲端科技電子晶片資本網路智能數據光電能源創新動力宏達華泰聯合精密半導體通訊"
_COUNTRIES = ("us", "cn", "tw", "jp", "kr", "de", "fr", "gb", "in", "ae", "sa", "nl", "ca")
_LANGUAGES = ("zh-Hant", "zh-Hant", "en", "zh-Hans")
_STATUSES = (
    "Rumoured",
    "Announced",
    "LetterOfIntent",
    "DefinitiveAgreement",
    "Completed",
    "Stalled",
    "Denied",
    "Withdrawn",
    "Cancelled",
)
_BOUNDS = ("Exact", "AtLeast", "AtMost", "Approximately")
_METRICS_MONEY = ("Revenue", "NetLoss", "NetIncome", "Capex", "Backlog", "Valuation", "MarketCap")
_METRICS_RATIO = ("TrailingPE", "ForwardPE", "DebtToEquity", "GrossMargin", "RevenueGrowth")
_CLAIM_KINDS = ("Opinion", "Forecast", "Denial", "Recommendation")
_CURRENCIES = ("USD", "USD", "USD", "TWD", "CNY", "EUR", "JPY")
_POWER = ("unit:GigaW", "unit:MegaW")
#: deal types and the roles each needs (first role, second role)
_DEALS = (
    ("Investment", "investor", "investee"),
    ("SupplyAgreement", "buyer", "supplier"),
    ("ComputeContract", "buyer", "supplier"),
    ("Partnership", "participant", "participant"),
    ("Financing", "lender", "borrower"),
    ("FundingRound", "investor", "investee"),
)
_REAL = {
    "chip": ("b200", "gb200", "h100", "h200", "mi300x", "mi450", "trainium2", "tpu", "hbm3e"),
    "architecture": ("blackwell", "hopper", "vera-rubin", "cdna-4", "rubin-ultra"),
    "datacenter": ("stargate", "stargate-abilene", "colossus", "fairwater", "hyperion"),
    "person": ("jensen-huang", "sam-altman", "lisa-su", "hock-tan", "andy-jassy", "elon-musk"),
    "publisher": ("bloomberg", "reuters", "tradingkey", "tradingview", "yahoo-news"),
}


@dataclass(frozen=True)
class SyntheticFirm:
    """One firm of the population: slug, names and identifiers."""

    slug: str
    name_en: str
    name_zh: str
    alias: str
    country: str
    lei: str
    cik: str | None
    financial: bool

    @property
    def ref(self) -> str:
        return f"firm/{self.slug}"

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{BASE}firm/{self.slug}")


def firm_population(size: int, *, seed: int) -> list[SyntheticFirm]:
    """``size`` invented firms (names of invented syllables; none is a real firm)."""
    rng = random.Random(f"firms-{seed}")
    firms: list[SyntheticFirm] = []
    for i in range(size):
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        suffix = rng.choice(_SUFFIXES)
        name_en = f"{stem.capitalize()} {suffix}"
        name_zh = "".join(rng.choice(_CJK) for _ in range(rng.randint(3, 5)))
        firms.append(
            SyntheticFirm(
                slug=f"synth-{stem}-{i}",
                name_en=name_en,
                name_zh=name_zh,
                alias=f"{stem.upper()[:4]}{i}",
                country=rng.choice(_COUNTRIES),
                lei=make_lei(rng),
                cik=f"{rng.randrange(1, 2_000_000):010d}" if rng.random() < 0.4 else None,
                financial=suffix == "Capital",
            )
        )
    return firms


def as_record(data: dict[str, Any], *, path: Path | None = None) -> Record:
    """A record dict (what a record file's YAML parses to) as a :class:`Record`, without a file.

    Lines are 0: there is no file to point into. The dict must be well formed (it is made by
    :class:`SyntheticCorpus`); files go through :func:`kg.records.reader.load_record` instead.
    """
    head = data["article"]
    header = ArticleHeader(
        id=head["id"],
        file=head["file"],
        publisher=head["publisher"],
        published=head["published"],
        precision=head["precision"],
        language=head["language"],
        sha256=head["sha256"],
        length=head["length"],
        url=head.get("url"),
        encoding="utf-8",
        method=head.get("method", "reviewed"),
        reviewer=head.get("reviewer"),
        extractor=head.get("extractor"),
        line=0,
        key_lines={},
    )
    facts = []
    for n, raw in enumerate(data["facts"], start=1):
        body = _yaml(raw)
        spans = tuple(Span(s, e, 0) for s, e in raw["evidence"])
        facts.append(Fact(n=n, line=0, body=body, spans=spans))
    where = path if path is not None else Path(f"synthetic/{head['id']}.yaml")
    return Record(path=where, header=header, facts=tuple(facts), text=None)


def _yaml(value: Any) -> Any:
    if isinstance(value, dict):
        out = YamlMap((k, _yaml(v)) for k, v in value.items())
        out.line, out.key_lines = 0, {}
        return out
    if isinstance(value, list):
        items = YamlList(_yaml(v) for v in value)
        items.line, items.item_lines = 0, []
        return items
    return value


@dataclass
class SyntheticCorpus:
    """``articles`` synthetic records and the reference graph they need, for one ``seed``.

    The firm population grows with the corpus (a third of the article count, at least 60 and at
    most 3,000 firms); its popularity is Zipf-like, so a few firms are in most articles.
    """

    articles: int
    seed: int = 0
    firms: int | None = None
    _deal_pool: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)

    @cached_property
    def population(self) -> list[SyntheticFirm]:
        size = self.firms if self.firms is not None else min(3000, max(60, self.articles // 3))
        return firm_population(size, seed=self.seed)

    @cached_property
    def _weights(self) -> list[float]:
        cumulative = list(
            itertools.accumulate(1 / (rank**1.1) for rank in range(1, 1 + len(self.population)))
        )
        return cumulative

    def _firm(self, rng: random.Random, *, avoid: str | None = None) -> str:
        total = self._weights[-1]
        while True:
            i = bisect.bisect_left(self._weights, rng.random() * total)
            ref = self.population[min(i, len(self.population) - 1)].ref
            if ref != avoid:
                return ref

    # -- the reference graph ---------------------------------------------------------------------
    def reference_graph(self) -> Graph:
        """The synthetic firms (the real reference data is loaded beside it)."""
        graph = Graph()
        for firm in self.population:
            iri = firm.iri
            graph.add((iri, RDF.type, AIKG.FinancialInstitution if firm.financial else AIKG.Firm))
            graph.add((iri, RDFS.label, Literal(firm.name_en, lang="en")))
            graph.add((iri, RDFS.label, Literal(firm.name_zh, lang="zh-Hant")))
            graph.add((iri, SKOS.altLabel, Literal(firm.alias, lang="en")))
            graph.add((iri, AIKG.headquarteredIn, URIRef(f"{BASE}country/{firm.country}")))
            graph.add((iri, AIKG.lei, Literal(firm.lei)))
            if firm.cik is not None:
                graph.add((iri, AIKG.cik, Literal(firm.cik)))
        return graph

    def reference_triples(self) -> int:
        return len(self.reference_graph())

    # -- records --------------------------------------------------------------------------------
    def record_dicts(self) -> list[dict[str, Any]]:
        return list(self.iter_record_dicts())

    def records(self) -> list[Record]:
        return [as_record(d) for d in self.iter_record_dicts()]

    def iter_record_dicts(self, *, start: int = 0) -> Iterator[dict[str, Any]]:
        """The record dicts, in order; the same for the same seed (articles from ``start`` on
        depend on the earlier ones only through the deal pool, rebuilt here)."""
        rng = random.Random(f"articles-{self.seed}")
        self._deal_pool = []
        for n in range(self.articles):
            record = self._article(n, rng)
            if n >= start:
                yield record

    def extra_record(self, n: int | None = None) -> dict[str, Any]:
        """One more article (number ``articles`` unless ``n``): what the incremental step adds."""
        number = self.articles if n is None else n
        if not self._deal_pool:
            for _ in self.iter_record_dicts():
                pass
        return self._article(number, random.Random(f"extra-{self.seed}-{number}"))

    def _article(self, n: int, rng: random.Random) -> dict[str, Any]:
        article_id = f"synth-{n:06d}"
        length = rng.randint(1500, 9000)
        year = rng.randint(2019, 2026)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        precise = rng.random() < 0.7
        published = f"{year}-{month:02d}-{day:02d}" if precise else f"{year}-{month:02d}"
        header = {
            "id": article_id,
            "file": f"{article_id}.txt",
            "publisher": f"firm/{rng.choice(_REAL['publisher'])}",
            "published": published,
            "precision": "day" if precise else "month",
            "language": rng.choice(_LANGUAGES),
            "sha256": hashlib.sha256(f"{self.seed}/{article_id}".encode()).hexdigest(),
            "length": length,
            "url": None,
            "method": "reviewed",
            "reviewer": "synthetic",
        }
        size = 5 + int(rng.betavariate(1.1, 3.0) * 11)  # 5..15 facts, most articles short
        mention_count = max(2, round(0.4 * size))
        body: list[dict[str, Any]] = []
        asof = f"{year}-{month:02d}"
        while len(body) < size - mention_count:
            pick = rng.random()
            if pick < 0.3:
                body.append(self._deal(rng, asof, length))
            elif pick < 0.65:
                body.append(self._metric(rng, asof, length))
            else:
                body.append(self._claim(rng, asof, length, body))
        mentioned = sorted(_refs(body))[:mention_count]
        while len(mentioned) < mention_count:
            extra = self._firm(rng)
            if extra not in mentioned:
                mentioned.append(extra)
        mentions = [{"mentions": ref, "evidence": _spans(rng, length)} for ref in mentioned]
        return {"article": header, "facts": mentions + body}

    def _deal(self, rng: random.Random, asof: str, length: int) -> dict[str, Any]:
        if self._deal_pool and rng.random() < 0.3:
            known = rng.choice(self._deal_pool)
            fact = {k: v for k, v in known.items() if k not in ("statusEntry", "evidence")}
        else:
            kind, first, second = rng.choice(_DEALS)
            a = self._firm(rng)
            b = self._firm(rng, avoid=a)
            number = len(self._deal_pool)
            fact = {"id": f"deal/synth-{number}", "type": kind}
            if first == second:
                fact[first] = [a, b]
            else:
                fact[first], fact[second] = a, b
            if rng.random() < 0.8:
                fact["amount"] = {
                    "value": rng.randint(1, 500) * 10 ** rng.randint(6, 10),
                    "currency": rng.choice(_CURRENCIES),
                    "bound": rng.choice(_BOUNDS),
                }
            if kind in ("ComputeContract", "Partnership", "Investment") and rng.random() < 0.6:
                fact["capacity"] = {"value": rng.randint(1, 100) / 2, "unit": rng.choice(_POWER)}
            if kind == "SupplyAgreement":
                kind_of = rng.choice(("chip", "architecture"))
                fact["product"] = f"{kind_of}/{rng.choice(_REAL[kind_of])}"
            if kind == "Partnership" and rng.random() < 0.4:
                fact["datacenter"] = f"datacenter/{rng.choice(_REAL['datacenter'])}"
            self._deal_pool.append(fact)
        fact = dict(fact)
        fact["statusEntry"] = {"status": rng.choice(_STATUSES), "asOf": asof}
        fact["evidence"] = _spans(rng, length)
        return fact

    def _metric(self, rng: random.Random, asof: str, length: int) -> dict[str, Any]:
        fact: dict[str, Any] = {"type": "MetricObservation", "metricOf": self._firm(rng)}
        if rng.random() < 0.5:
            fact["metric"] = rng.choice(_METRICS_MONEY)
            fact["amount"] = {"value": rng.randint(1, 900) * 10**8, "currency": "USD"}
        else:
            fact["metric"] = rng.choice(_METRICS_RATIO)
            fact["quantity"] = {"value": round(rng.uniform(0.5, 400), 2), "unit": "unit:PERCENT"}
        fact["asOf"] = asof
        if rng.random() < 0.3:
            fact["estimate"] = True
        fact["evidence"] = _spans(rng, length)
        return fact

    def _claim(
        self, rng: random.Random, asof: str, length: int, earlier: list[dict[str, Any]]
    ) -> dict[str, Any]:
        about = [self._firm(rng) for _ in range(rng.randint(1, 3))]
        deals = [f["id"] for f in earlier if "id" in f]
        if deals and rng.random() < 0.5:
            about.append(rng.choice(deals))
        who = f"person/{rng.choice(_REAL['person'])}" if rng.random() < 0.3 else self._firm(rng)
        return {
            "type": "Claim",
            "attributedTo": who,
            "claimKind": rng.choice(_CLAIM_KINDS),
            "about": sorted(set(about)),
            "statement": {
                "en": f"Synthetic claim {rng.randrange(10**6)} about {len(about)} subjects."
            },
            "asOf": asof,
            "evidence": _spans(rng, length),
        }


def _spans(rng: random.Random, length: int) -> list[list[int]]:
    spans = []
    for _ in range(1 if rng.random() < 0.85 else 2):
        start = rng.randrange(0, length - 200)
        spans.append([start, start + rng.randint(5, 200)])
    return spans


def _refs(facts: list[dict[str, Any]]) -> set[str]:
    """The individuals the facts name (what the article mentions)."""
    found: set[str] = set()
    for fact in facts:
        for key, value in fact.items():
            if key in ("id", "evidence"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and "/" in item and not item.startswith("deal/"):
                    found.add(item)
    return found


def graph_iri(record: dict[str, Any]) -> URIRef:
    """The named graph of a record dict."""
    return article_iri(record["article"]["id"])


@dataclass(frozen=True)
class CorpusFiles:
    """A synthetic corpus on disk, as a user has theirs: a folder of record files, a reference
    file (the synthetic firms) and the one more article the incremental step adds."""

    records: Path
    reference: Path
    extra: Path


def write_corpus(corpus: SyntheticCorpus, folder: Path) -> CorpusFiles:
    """Write ``corpus`` under ``folder``: ``records/*.yaml``, ``reference.ttl``, ``extra/``."""
    import pyoxigraph as ox
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    records = folder / "records"
    extra = folder / "extra"
    records.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)

    def dump(record: dict[str, Any], into: Path) -> Path:
        path = into / f"{record['article']['id']}.yaml"
        text = yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    for record in corpus.iter_record_dicts():
        dump(record, records)
    extra_path = dump(corpus.extra_record(), extra)
    reference = folder / "reference.ttl"
    from kg.store.embedded import to_ox

    triples = [
        ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in corpus.reference_graph()
    ]
    ox.serialize(
        triples,
        output=str(reference),
        format=ox.RdfFormat.TURTLE,
        prefixes={"aikg": ONTOLOGY, "firm": f"{BASE}firm/"},
    )
    return CorpusFiles(records=records, reference=reference, extra=extra_path)
