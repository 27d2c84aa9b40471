"""The ``Extractor``: built once (the lexicon is the costly part), then applied to any number of
articles, each turned into a draft fact record.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg import __version__
from kg.core.scripts import detect_language, fold
from kg.extract.context import ArticleContext, CueIndex, SentenceContext
from kg.extract.deals.deal import UNNAMED_LENDER
from kg.extract.deals.engine import Deal, find_deals
from kg.extract.figures.dates import Published, article_date, find_dates
from kg.extract.figures.quantities import Quantity, find_quantities
from kg.extract.metrics import Observation, find_metrics
from kg.extract.names.lexicon import Entity, Lexicon, Mention
from kg.extract.names.shapes import Proposal, find_names
from kg.extract.read.reading import ArticleText, read_article
from kg.extract.read.sentences import split_sentences
from kg.extract.tables import cue, deal_tables

__all__ = ["EXTRACTOR", "Extractor", "article_slug"]

#: the currency of 元 with no currency before it, by the language of the text
LOCAL_CURRENCY = {"zh-Hant": "TWD", "zh-Hans": "CNY"}
#: the name and version written to each draft's header and PROV-O agent
EXTRACTOR = f"aikg-extract {__version__}"


def article_slug(path: Path) -> str:
    """An article id from a file name: lower-case ASCII words joined by hyphens.

    >>> article_slug(Path("000_2866ef9cdc55d130.txt"))
    '000-2866ef9cdc55d130'
    """
    ascii_name = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "article"


class Extractor:
    """Rules and lexicon, ready to draft records for any number of articles."""

    def __init__(self, *, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def from_reference(cls, paths: Iterable[Path] | None = None) -> Extractor:
        """An extractor over the project's reference individuals (or the Turtle files given)."""
        return cls(lexicon=Lexicon.from_reference(paths))

    # -- one article ----------------------------------------------------------------------------
    def context(self, article: ArticleText, *, published: Published | None) -> ArticleContext:
        """Sentences with their mentions, figures and dates (offsets in the view).

        Without a publication date given, the article's own dateline or byline date is its
        publication date (``article_date``); without either, relative dates stay unresolved
        (no date rather than one counted from today) and the header says today.
        """
        view = article.view
        folded = fold(view)
        mentions = self.lexicon.find(view, folded=folded)
        language = detect_language(view)
        if published is None:
            published = article_date(view, language=language, folded=folded)
        known = published
        if published is None:
            published = Published.parse(dt.date.today().isoformat())
        # a sum restated in another currency is the same sum: no figure of its own
        quantities = [
            q
            for q in find_quantities(view, folded=folded, local=LOCAL_CURRENCY.get(language))
            if not q.restates
        ]
        dates = find_dates(view, published=known, folded=folded)
        sentences: list[SentenceContext] = []
        mi = qi = di = 0
        split = split_sentences(view, longest=deal_tables().win("longest_sentence"))
        cues = CueIndex(folded, bounds=[(s.start, s.end) for s in split])
        for index, sentence in enumerate(split):
            ctx = SentenceContext(
                index=index,
                sentence=sentence,
                folded=folded[sentence.start : sentence.end],
                cues=cues,
            )
            ctx.furniture = bool(cue("furniture").search(ctx.folded))
            while mi < len(mentions) and mentions[mi].start < sentence.end:
                if mentions[mi].start >= sentence.start:
                    ctx.mentions.append(mentions[mi])
                mi += 1
            while qi < len(quantities) and quantities[qi].start < sentence.end:
                if quantities[qi].start >= sentence.start:
                    ctx.quantities.append(quantities[qi])
                qi += 1
            while di < len(dates) and dates[di].start < sentence.end:
                if dates[di].start >= sentence.start:
                    ctx.dates.append(dates[di])
                di += 1
            sentences.append(ctx)
        currencies = Counter(q.unit for q in quantities if q.kind == "money" and q.unit)
        currency = currencies.most_common(1)[0][0] if currencies else "USD"
        return ArticleContext(
            view=view,
            folded=folded,
            lexicon=self.lexicon,
            published=published,
            sentences=sentences,
            currency=currency,
            language=language,
        )

    def extract(
        self,
        article: ArticleText,
        *,
        article_id: str,
        file_name: str,
        published: Published | None,
        publisher: str | None = None,
    ) -> dict[str, Any]:
        """The draft record of one article (a mapping in the format of docs/records.md);
        ``published`` None: the article's own date (``context``)."""
        ctx = self.context(article, published=published)
        published = ctx.published
        language = ctx.language
        mentions = [m for s in ctx.sentences for m in s.mentions]
        names = find_names(
            ctx.view, folded=ctx.folded, lexicon=self.lexicon, known=mentions, language=language
        )
        if names.replaced:
            for sentence in ctx.sentences:
                sentence.mentions = [
                    m for m in sentence.mentions if (m.start, m.end) not in names.replaced
                ]
            mentions = [m for m in mentions if (m.start, m.end) not in names.replaced]
        proposals = names.proposals
        _add_proposals(ctx, proposals)
        for alias in names.aliases:
            _place(ctx, alias)
        mentions += names.aliases
        publisher_ref, publisher_fact = self._publisher(publisher)
        header: dict[str, Any] = {
            "id": article_id,
            "file": file_name,
            "publisher": publisher_ref,
            "published": published.value,
            "precision": published.precision,
            "language": language,
            "sha256": article.sha256,
            "length": article.length,
            "url": None,
            "encoding": article.encoding,
            "method": "extracted",
            "extractor": EXTRACTOR,
        }
        facts: list[dict[str, Any]] = []
        facts += _mention_facts(article, mentions, proposals)
        deals = find_deals(ctx)
        facts += _deal_facts(article, deals, article_id=article_id, start_index=len(facts))
        facts += [_metric_fact(article, o) for o in find_metrics(ctx)]
        facts += _declarations(article, mentions)
        facts += [_proposal_fact(article, p) for p in proposals]
        if publisher_fact is not None:
            facts.append(publisher_fact)
        return {"article": header, "facts": facts}

    def extract_file(
        self,
        path: Path,
        *,
        published: Published | None,
        publisher: str | None = None,
        encoding: str | None = None,
    ) -> dict[str, Any]:
        """Read, decode and extract one file."""
        article = read_article(path, encoding=encoding)
        return self.extract(
            article,
            article_id=article_slug(path),
            file_name=path.name,
            published=published,
            publisher=publisher,
        )

    def _publisher(self, name: str | None) -> tuple[str, dict[str, Any] | None]:
        """``firm/slug``, or a name the lexicon knows, or a new Publisher proposed for review."""
        if name is None or not name.strip():
            return "firm/unknown-publisher", {
                "id": "firm/unknown-publisher",
                "type": "Publisher",
                "rdfs:label": "unknown publisher",
                "confidence": 0.0,
                "method": "publisher-missing",
                "evidence": [[0, 1]],
            }
        if re.fullmatch(r"[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*", name):
            if self.lexicon.entity(name) is not None:
                return name, None
            return name, {
                "id": name,
                "type": "Publisher",
                "rdfs:label": name.partition("/")[2],
                "confidence": 0.5,
                "method": "publisher-new",
                "evidence": [[0, 1]],
            }
        found = self.lexicon.find(name)
        if found and found[0].end - found[0].start == len(name.strip()):
            return found[0].ref, None
        slug = article_slug(Path(name + ".x"))
        return f"firm/{slug}", {
            "id": f"firm/{slug}",
            "type": "Publisher",
            "rdfs:label": name.strip(),
            "confidence": 0.5,
            "method": "publisher-new",
            "evidence": [[0, 1]],
        }


def _place(ctx: ArticleContext, mention: Mention) -> None:
    """A mention found after the sentences were made goes into its sentence, in order."""
    i = bisect_right(ctx.starts, mention.start) - 1
    if i >= 0 and mention.start < ctx.sentences[i].end:
        sentence = ctx.sentences[i]
        insort(sentence.mentions, mention, key=lambda m: m.start)


def _add_proposals(ctx: ArticleContext, proposals: list[Proposal]) -> None:
    """Proposed individuals take part in deals like known ones."""
    for p in proposals:
        entity = Entity(ref=p.ref, kind=p.kind, label=p.label, types=frozenset({p.type}))
        for start, end in p.spans:
            _place(
                ctx,
                Mention(
                    entity=entity, start=start, end=end, method=p.method, confidence=p.confidence
                ),
            )


def _spans(article: ArticleText, spans: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Spans of the view as sorted, distinct spans of the stored text."""
    out = {article.to_source(start, end) for start, end in spans}
    return [[s, e] for s, e in sorted(out)]


def _mention_facts(
    article: ArticleText, mentions: list[Mention], proposals: list[Proposal]
) -> list[dict[str, Any]]:
    grouped: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        grouped.setdefault(m.ref, []).append((m.start, m.end))
    for p in proposals:
        grouped.setdefault(p.ref, []).extend(p.spans)
    confidence = {p.ref: p.confidence for p in proposals}
    method = {p.ref: p.method for p in proposals}
    return [
        {
            "mentions": ref,
            "evidence": _spans(article, spans),
            "confidence": confidence.get(ref, 0.95),
            "method": method.get(ref, "lexicon"),
        }
        for ref, spans in grouped.items()
    ]


def _deal_facts(
    article: ArticleText, deals: list[Deal], *, article_id: str, start_index: int
) -> list[dict[str, Any]]:
    ids = {i: f"deal/{article_id}-{i + 1}" for i, d in enumerate(deals)}
    rounds = {d.part_of for d in deals if d.part_of is not None}
    out: list[dict[str, Any]] = []
    for i, deal in enumerate(deals):
        fact: dict[str, Any] = {}
        if i in rounds:
            fact["id"] = ids[i]
        fact["type"] = deal.type
        for role, refs in deal.roles.items():
            values = [_unnamed_lenders() if r == UNNAMED_LENDER else r for r in refs]
            fact[role] = values[0] if len(values) == 1 else values
        if deal.part_of is not None and deal.part_of < len(deals):
            fact["partOf"] = ids[deal.part_of]
        _put(fact, "amount", deal.amount)
        _put(fact, "capacity", deal.capacity)
        _put(fact, "chipCount", deal.chip_count)
        if deal.duration is not None and deal.duration.value is not None:
            fact["duration"] = f"P{int(deal.duration.value)}Y"
        if deal.products:
            fact["product"] = deal.products[0] if len(deal.products) == 1 else deal.products
        if deal.datacenters:
            fact["datacenter"] = deal.datacenters[0]
        if deal.date:
            fact["date"] = deal.date
        if deal.start_date:
            fact["startDate"] = deal.start_date
        if deal.conditions:
            fact["condition"] = deal.conditions
        entries = [{"status": s, "asOf": d} for s, d in deal.statuses]
        fact["statusEntry"] = entries[0] if len(entries) == 1 else entries
        fact["confidence"] = round(deal.confidence, 2)
        fact["method"] = deal.method
        fact["evidence"] = _spans(article, deal.evidence)
        out.append(fact)
    del start_index
    return out


def _unnamed_lenders() -> dict[str, Any]:
    """A financing's lenders that the text does not name, as the reviewed records write a
    party they cannot name: a node with a description (docs/records.md)."""
    return {
        "description": {
            "en": "lenders the article does not name (bond investors, the banks of a loan)",
            "zh-Hant": "文中未具名的貸款方（債券投資人、放款銀行）",
        }
    }


def _put(fact: dict[str, Any], key: str, q: Quantity | None) -> None:
    if q is not None:
        fact[key] = q.record()


def _metric_fact(article: ArticleText, o: Observation) -> dict[str, Any]:
    fact: dict[str, Any] = {
        "type": "MetricObservation",
        "metricOf": o.metric_of,
        "metric": o.metric,
    }
    if o.figure.kind == "money":
        fact["amount"] = o.figure.record()
    else:
        fact["quantity"] = o.figure.record()
    if o.relative_to:
        fact["relativeTo"] = o.relative_to
    if o.period:
        fact["period"] = o.period
    if o.estimate:
        fact["estimate"] = True
    fact["asOf"] = o.as_of
    fact["confidence"] = o.confidence
    fact["method"] = o.method
    fact["evidence"] = _spans(article, o.evidence)
    return fact


def _labels(pairs: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """(property, language, text) → the record's label keys: one mapping of language to text
    for ``rdfs:label``, a list of them for ``skos:altLabel``."""
    out: dict[str, Any] = {}
    for prop, lang, text in pairs:
        if prop == "rdfs:label":
            out.setdefault("rdfs:label", {})
            if lang in out["rdfs:label"]:
                out.setdefault("skos:altLabel", []).append({lang: text})
            else:
                out["rdfs:label"][lang] = text
        else:
            out.setdefault("skos:altLabel", []).append({lang: text})
    return out


_REVIEW = {"en": "proposed by kg extract: not in the reference data; review"}


def _declarations(article: ArticleText, mentions: list[Mention]) -> list[dict[str, Any]]:
    """Individuals of the extractor's own tables (countries) that the reference data lacks."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in mentions:
        if not m.entity.declare or m.ref in seen:
            continue
        seen.add(m.ref)
        out.append(
            {
                "id": m.ref,
                "type": sorted(m.entity.types)[0] if m.entity.types else "Country",
                **_labels(m.entity.declare),
                "rdfs:comment": _REVIEW,
                "confidence": 0.9,
                "method": "names-table",
                "evidence": _spans(article, [(m.start, m.end)]),
            }
        )
    return out


def _proposal_fact(article: ArticleText, p: Proposal) -> dict[str, Any]:
    return {
        "id": p.ref,
        "type": p.type,
        **_labels(("rdfs:label", lang, text) for lang, text in p.labels.items()),
        "rdfs:comment": _REVIEW,
        "confidence": p.confidence,
        "method": p.method,
        "evidence": _spans(article, p.spans[:1]),
    }
