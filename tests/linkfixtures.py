"""Register files in their public formats for the ``kg link`` tests, written at test time.

The true identifiers of the firms (``fixtures/link/truth.csv``, from the checked table in
identifiers.md) and the traps (``fixtures/link/traps.csv``) are planted among thousands of
invented decoys: SEC ``company_tickers.json`` and ``company_tickers_exchange.json``, the GLEIF
Level 1 golden copy (plain, gzip or zip) and the Level 2 relationship file.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg.core.iris import GRAPH_REFERENCE
from kg.core.paths import ontology_dir
from kg.link.synthetic import (
    GleifEntity,
    decoy_name,
    make_lei,
    write_gleif_level1,
)
from kg.store.embedded import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "link"

#: tickers the decoys must not take (the store's firms use them)
RESERVED_TICKERS = frozenset(
    [
        "NVDA",
        "ORCL",
        "MSFT",
        "AVGO",
        "AMZN",
        "GOOGL",
        "GOOG",
        "META",
        "AMD",
        "INTC",
        "CRWV",
        "TSM",
        "OWL",
        "MS",
        "MU",
        "OBDC",
        "SEG",
        "MMAT",
        "MICR",
        "MSDL",
        "OAIC",
        "QCOM",
        "MRVL",
        "SMCI",
        "CSCO",
        "NBIS",
        "HPE",
        "GS",
        "JPM",
        "ARM",
        "TSMC",
    ]
)

LEVEL2_HEADER = (
    "Relationship.StartNode.NodeID",
    "Relationship.StartNode.NodeIDType",
    "Relationship.EndNode.NodeID",
    "Relationship.EndNode.NodeIDType",
    "Relationship.RelationshipType",
    "Relationship.RelationshipStatus",
    "Relationship.Period.1.startDate",
    "Relationship.Period.1.endDate",
    "Relationship.Period.1.periodType",
    "Relationship.Qualifiers.1.QualifierDimension",
    "Relationship.Qualifiers.1.QualifierCategory",
    "Registration.InitialRegistrationDate",
    "Registration.LastUpdateDate",
    "Registration.RegistrationStatus",
    "Registration.NextRenewalDate",
    "Registration.ManagingLOU",
    "Registration.ValidationSources",
    "Registration.ValidationDocuments",
    "Registration.ValidationReference",
)


@dataclass(frozen=True)
class Truth:
    firm: str
    cik: str
    sec_title: str
    tickers: tuple[str, ...]
    exchange: str
    lei: str
    gleif_legal_name: str
    gleif_other_name: str
    country: str


@dataclass(frozen=True)
class Trap:
    register: str
    identifier: str
    name: str
    tickers: tuple[str, ...]
    exchange: str
    country: str
    status: str
    parent: str


def truth() -> list[Truth]:
    with (FIXTURES / "truth.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Truth(**{**row, "tickers": tuple(row["tickers"].split())})  # type: ignore[arg-type]
            for row in csv.DictReader(handle)
        ]


def traps() -> list[Trap]:
    with (FIXTURES / "traps.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Trap(
            register=row["register"],
            identifier=row["identifier"],
            name=row["name"],
            tickers=tuple(row["tickers"].split()),
            exchange=row["exchange"],
            country=row["country"],
            status=row["status"],
            parent=row["parent"],
        )
        for row in rows
    ]


def _decoy_ticker(rng: random.Random, taken: set[str]) -> str:
    while True:
        ticker = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=rng.randint(3, 5)))
        if ticker not in taken and ticker not in RESERVED_TICKERS:
            taken.add(ticker)
            return ticker


def sec_rows(*, decoys: int, seed: int = 11) -> list[tuple[int, str, str, str | None]]:
    """(cik, name, ticker, exchange) rows: truth, traps and decoys, shuffled."""
    rng = random.Random(seed)
    rows: list[tuple[int, str, str, str | None]] = []
    for t in truth():
        for ticker in t.tickers:
            rows.append((int(t.cik), t.sec_title, ticker, t.exchange))
    for trap in traps():
        if trap.register == "sec":
            rows.append((int(trap.identifier), trap.name, trap.tickers[0], trap.exchange))
    used = {r[0] for r in rows}
    taken: set[str] = set()
    exchanges = ["Nasdaq", "NYSE", "OTC", "CBOE", None]
    for _ in range(decoys):
        cik = rng.randint(3000, 2_100_000)
        while cik in used:
            cik = rng.randint(3000, 2_100_000)
        used.add(cik)
        rows.append(
            (cik, decoy_name(rng).upper(), _decoy_ticker(rng, taken), rng.choice(exchanges))
        )
    rng.shuffle(rows)
    return rows


def write_sec_tickers(path: Path, *, decoys: int, seed: int = 11) -> Path:
    """``company_tickers.json``: ``{"0": {"cik_str": ..., "ticker": ..., "title": ...}, ...}``."""
    rows = sec_rows(decoys=decoys, seed=seed)
    data = {
        str(i): {"cik_str": cik, "ticker": ticker, "title": name}
        for i, (cik, name, ticker, _) in enumerate(rows)
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_sec_exchange(path: Path, *, decoys: int, seed: int = 11) -> Path:
    """``company_tickers_exchange.json``: ``{"fields": [...], "data": [[...], ...]}``."""
    rows = sec_rows(decoys=decoys, seed=seed)
    data = {
        "fields": ["cik", "name", "ticker", "exchange"],
        "data": [[cik, name, ticker, exchange] for cik, name, ticker, exchange in rows],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def gleif_planted(seed: int = 13) -> tuple[list[GleifEntity], dict[str, str]]:
    """The truth and trap entities, and each trap's LEI -> its parent's LEI (Level 2)."""
    rng = random.Random(seed)
    planted: list[GleifEntity] = []
    lei_of: dict[str, str] = {}
    for t in truth():
        if not t.lei:
            continue
        lei_of[t.firm] = t.lei
        planted.append(
            GleifEntity(
                lei=t.lei,
                legal_name=t.gleif_legal_name,
                country=t.country,
                transliterated_names=(t.gleif_other_name,) if t.gleif_other_name else (),
                jurisdiction="US-DE" if t.country == "US" else t.country,
            )
        )
    parents: dict[str, str] = {}
    for trap in traps():
        if trap.register != "gleif":
            continue
        lei = make_lei(rng)
        planted.append(
            GleifEntity(
                lei=lei,
                legal_name=trap.name,
                country=trap.country,
                registration_status=trap.status or "ISSUED",
            )
        )
        if trap.parent and trap.parent in lei_of:
            parents[lei] = lei_of[trap.parent]
    return planted, parents


def write_gleif_level1_file(path: Path, *, decoys: int, seed: int = 13) -> Path:
    """A Level 1 file: ``.csv`` plain, ``.csv.gz`` gzip, ``.zip`` an archive of one CSV."""
    planted, _ = gleif_planted(seed)
    if path.suffix == ".zip":
        inner = path.with_suffix(".csv")
        write_gleif_level1(inner, decoys=decoys, planted=planted, seed=seed)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(inner, arcname=inner.name)
        inner.unlink()
        return path
    return write_gleif_level1(path, decoys=decoys, planted=planted, seed=seed)


def write_gleif_level2_file(path: Path, *, decoys: int, seed: int = 13) -> Path:
    """A Level 2 relationship file: the traps' parents among decoy relationships."""
    rng = random.Random(seed + 99)
    _, parents = gleif_planted(seed)
    rows: list[tuple[str, str, str]] = []
    for child, parent in parents.items():
        rows.append((child, parent, "IS_DIRECTLY_CONSOLIDATED_BY"))
        rows.append((child, parent, "IS_ULTIMATELY_CONSOLIDATED_BY"))
    for _ in range(decoys):
        rows.append((make_lei(rng), make_lei(rng), "IS_DIRECTLY_CONSOLIDATED_BY"))
    rng.shuffle(rows)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(LEVEL2_HEADER)
        for child, parent, kind in rows:
            row = dict.fromkeys(LEVEL2_HEADER, "")
            row["Relationship.StartNode.NodeID"] = child
            row["Relationship.StartNode.NodeIDType"] = "LEI"
            row["Relationship.EndNode.NodeID"] = parent
            row["Relationship.EndNode.NodeIDType"] = "LEI"
            row["Relationship.RelationshipType"] = kind
            row["Relationship.RelationshipStatus"] = "ACTIVE"
            row["Relationship.Period.1.periodType"] = "RELATIONSHIP_PERIOD"
            row["Registration.RegistrationStatus"] = "PUBLISHED"
            row["Registration.ValidationSources"] = "FULLY_CORROBORATED"
            writer.writerow(row.values())
    return path


IDENTIFIER_PREDICATES = (
    "https://w3id.org/aikg/ontology#lei",
    "https://w3id.org/aikg/ontology#cik",
    "https://w3id.org/aikg/ontology#ticker",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
)


def reference_graph(*, stripped: bool) -> Graph:
    """The project's reference individuals; ``stripped`` drops every external identifier
    (LEI, CIK, ticker, Wikidata match) from them."""
    graph = Graph()
    for path in sorted((ontology_dir() / "reference").glob("*.ttl")):
        graph.parse(path, format="turtle")
    if stripped:
        for predicate in IDENTIFIER_PREDICATES:
            graph.remove((None, URIRef(predicate), None))
    return graph


def make_store(path: Path, *, stripped: bool, extra: Graph | None = None) -> Path:
    """A store at ``path`` holding the reference graph (and ``extra`` in its own graph)."""
    with Store.open(path) as store:
        store.replace_graph(GRAPH_REFERENCE, reference_graph(stripped=stripped))
        if extra is not None:
            store.replace_graph(URIRef("https://example.org/graph/extra"), extra)
    return path
