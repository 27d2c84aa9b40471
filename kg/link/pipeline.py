"""One ``kg link`` run: a register (file or endpoint) and the store's firms -> a ``LinkResult``."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kg.core.errors import InputError
from kg.core.identifiers import IdKind
from kg.link.firms import FirmProfile, sparql_text
from kg.link.match import (
    Candidate,
    CandidatePool,
    Decision,
    FirmIndex,
    Thresholds,
    Verdict,
    decide,
    demote_subsidiaries,
)
from kg.link.records import Listing, RegisterRecord
from kg.link.sources import gleif, sec, wikidata

__all__ = [
    "LinkResult",
    "ListingLink",
    "Source",
    "SourceInfo",
    "Subsidiary",
    "link_gleif",
    "link_records",
    "link_sec",
    "link_wikidata",
]

_CONSOLIDATION = frozenset({"IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"})
_FILE_DATE = re.compile(r"(?<!\d)(20\d\d)-?(\d\d)-?(\d\d)(?!\d)")


class Source(StrEnum):
    """The registers ``kg link`` reads."""

    SEC = "sec"
    SEC_EXCHANGE = "sec-exchange"
    GLEIF = "gleif"
    WIKIDATA = "wikidata"

    @property
    def kind(self) -> IdKind:
        return {
            Source.SEC: IdKind.CIK,
            Source.SEC_EXCHANGE: IdKind.CIK,
            Source.GLEIF: IdKind.LEI,
            Source.WIKIDATA: IdKind.WIKIDATA,
        }[self]


@dataclass(frozen=True)
class SourceInfo:
    """Where the register came from: a file (``location`` its name, ``path`` its absolute path,
    ``date`` the date in its name or else its modification date) or an endpoint URL (``date``
    the day of the query, no ``path``)."""

    source: Source
    location: str
    is_endpoint: bool
    date: dt.date
    entries: int
    path: Path | None = None

    @classmethod
    def of_file(cls, source: Source, path: Path, entries: int) -> SourceInfo:
        found = _FILE_DATE.search(path.name)
        date: dt.date | None = None
        if found:
            try:
                date = dt.date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                date = None
        if date is None:
            date = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date()
        return cls(source, path.name, False, date, entries, path=path.resolve())


@dataclass(frozen=True)
class ListingLink:
    """A ticker (symbol and MIC) that a linked register entry gives a firm."""

    firm: FirmProfile
    listing: Listing
    candidate: Candidate


@dataclass(frozen=True)
class Subsidiary:
    """``child`` is directly consolidated by ``parent`` (GLEIF Level 2, line ``line``)."""

    child: FirmProfile
    parent: FirmProfile
    child_lei: str
    parent_lei: str
    line: int


@dataclass(frozen=True)
class LinkResult:
    """Everything one run decided, ready to be written and explained."""

    info: SourceInfo
    kind: IdKind
    thresholds: Thresholds
    decisions: list[Decision]
    listings: list[ListingLink] = field(default_factory=list)
    subsidiaries: list[Subsidiary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for d in self.decisions if d.verdict is verdict)


def _listing_links(
    decisions: Sequence[Decision], firms: Sequence[FirmProfile]
) -> tuple[list[ListingLink], list[str]]:
    holders: dict[Listing, set[str]] = defaultdict(set)
    for firm in firms:
        for listing in firm.listings:
            holders[listing].add(str(firm.iri))
    links: list[ListingLink] = []
    notes: list[str] = []
    for d in decisions:
        if not d.is_link or d.candidate is None:
            continue
        for listing in sorted(d.candidate.record.listings):
            if listing.mic is None:
                continue
            others = holders.get(listing, set()) - {str(d.firm.iri)}
            if others:
                notes.append(
                    f"{d.firm.ref}: ticker {listing.symbol} ({listing.mic}) already belongs to "
                    f"{', '.join(sorted(others))}; not linked"
                )
                continue
            links.append(ListingLink(d.firm, listing, d.candidate))
    return links, notes


def link_records(
    firms: Sequence[FirmProfile],
    records: Iterable[RegisterRecord],
    *,
    kind: IdKind,
    thresholds: Thresholds,
) -> tuple[list[Decision], CandidatePool]:
    """Score every record against the firms it may be, and decide."""
    index = FirmIndex(firms)
    pool = CandidatePool()
    for record in records:
        for candidate in index.candidates(record):
            pool.add(candidate)
    return decide(pool, firms, kind, thresholds), pool


def link_sec(
    firms: Sequence[FirmProfile],
    path: Path,
    *,
    exchange: bool,
    thresholds: Thresholds,
) -> LinkResult:
    """``company_tickers.json`` (CIKs) or ``company_tickers_exchange.json`` (CIKs and tickers)."""
    if exchange:
        records = sec.read_company_tickers_exchange(path)
        source = Source.SEC_EXCHANGE
    else:
        records = sec.read_company_tickers(path)
        source = Source.SEC
    decisions, _ = link_records(firms, records, kind=IdKind.CIK, thresholds=thresholds)
    listings, notes = _listing_links(decisions, firms) if exchange else ([], [])
    info = SourceInfo.of_file(source, path, len(records))
    return LinkResult(info, IdKind.CIK, thresholds, decisions, listings, [], notes)


def link_gleif(
    firms: Sequence[FirmProfile],
    path: Path,
    *,
    relationships: Path | None = None,
    thresholds: Thresholds,
    progress: Callable[[int], None] | None = None,
) -> LinkResult:
    """Stream a Level 1 file once (blocking, bounded memory); with ``relationships``, stream
    the Level 2 file once to demote subsidiaries and add parent companies."""
    index = FirmIndex(firms)
    pool = CandidatePool()
    rows = 0
    for row in gleif.iter_level1(path):
        rows += 1
        if progress is not None and rows % 100_000 == 0:
            progress(rows)
        hits = index.hits(row.names, identifiers=((IdKind.LEI, row.lei),))
        if hits:
            record = row.record()
            for position in hits:
                pool.add(index.candidate(position, record))
    subsidiaries: list[Subsidiary] = []
    if relationships is not None:
        held = {lei for firm in firms for lei in firm.held(IdKind.LEI)}
        wanted = pool.identifiers() | held
        parents: dict[str, set[str]] = defaultdict(set)
        direct: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for rel in gleif.iter_relationships(relationships):
            if rel.child not in wanted or rel.kind not in _CONSOLIDATION:
                continue
            if rel.status.upper() != "ACTIVE":
                continue
            parents[rel.child].add(rel.parent)
            if rel.kind == "IS_DIRECTLY_CONSOLIDATED_BY":
                direct[rel.child].append((rel.parent, rel.line))
        frozen = {child: frozenset(ps) for child, ps in parents.items()}
        demote_subsidiaries(pool, firms, frozen)
        decisions = decide(pool, firms, IdKind.LEI, thresholds)
        subsidiaries = _subsidiaries(decisions, direct)
    else:
        decisions = decide(pool, firms, IdKind.LEI, thresholds)
    info = SourceInfo.of_file(Source.GLEIF, path, rows)
    return LinkResult(info, IdKind.LEI, thresholds, decisions, [], subsidiaries, [])


def _subsidiaries(
    decisions: Sequence[Decision], direct: dict[str, list[tuple[str, int]]]
) -> list[Subsidiary]:
    owner: dict[str, FirmProfile] = {}
    for d in decisions:
        if d.is_link and d.candidate is not None:
            owner[d.candidate.identifier] = d.firm
        elif d.verdict is not Verdict.CONFLICT:
            for lei in d.firm.held(IdKind.LEI):
                owner.setdefault(lei, d.firm)
    found: list[Subsidiary] = []
    for child_lei, child in sorted(owner.items()):
        for parent_lei, line in sorted(direct.get(child_lei, [])):
            parent = owner.get(parent_lei)
            if parent is not None and parent.iri != child.iri:
                found.append(Subsidiary(child, parent, child_lei, parent_lei, line))
    return found


def link_wikidata(
    firms: Sequence[FirmProfile],
    *,
    path: Path | None = None,
    endpoint: str | None = None,
    thresholds: Thresholds,
    client: wikidata.WikidataClient | None = None,
    user_agent: str | None = None,
) -> LinkResult:
    """Saved query-service results (``path``) or a SPARQL endpoint: find the items named like
    the firms (or holding their LEI or CIK), fetch their details in batches, and decide."""
    if path is not None:
        records = wikidata.read_results_file(path)
        info = SourceInfo.of_file(Source.WIKIDATA, path, len(records))
    elif endpoint is not None:
        if client is None:
            agent = user_agent or wikidata.DEFAULT_USER_AGENT
            client = wikidata.WikidataClient(endpoint, user_agent=agent)
        items = wikidata.candidate_items(
            client,
            names=[f.names for f in firms],
            leis=[v for f in firms for v in f.held(IdKind.LEI)],
            ciks=[v for f in firms for v in f.held(IdKind.CIK)],
            candidates_query=sparql_text("wikidata-candidates"),
        )
        records = wikidata.item_records(
            client, items, details_query=sparql_text("wikidata-details")
        )
        today = dt.datetime.now(dt.UTC).date()
        info = SourceInfo(Source.WIKIDATA, endpoint, True, today, len(records))
    else:
        raise InputError("--source wikidata needs --input FILE or --endpoint URL")
    decisions, _ = link_records(firms, records, kind=IdKind.WIKIDATA, thresholds=thresholds)
    return LinkResult(info, IdKind.WIKIDATA, thresholds, decisions)
