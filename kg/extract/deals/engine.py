"""The deal engine: reads each sentence with the rules of ``rules/deals.yaml``, then merges the
mentions of one deal and settles what several sentences say together.

Every rule is a pattern over the *folded* sentence (Simplified script, lower case; see
``kg.core.scripts.fold``), so one rule serves Traditional, Simplified and English text. The
sentence rules are tried in the order of their table; each names its cues, its builder (the
code in ``kg.extract.deals.builders`` that reads roles and figures for its kind of deal) and whether
later rules still run. Roles come from the markers around each party, never from the order of
the names alone. Hedges make a deal ``Rumoured`` with a lower confidence; denials, withdrawals,
cancellations and stalls set the status of the deal they name, or of the deal the previous
sentences were about.

(Longer than 500 lines on purpose: the passes share one article's deals and the indexes over
them, by party and by sentence; the code of each rule is in ``builders`` and ``trades``.)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from decimal import Decimal

from kg.extract.context import ArticleContext, SentenceContext
from kg.extract.deals import builders
from kg.extract.deals.deal import Deal, as_money, compatible, merge, settled_against_failed
from kg.extract.deals.roles import Party, agents, marker_before, parties_of
from kg.extract.figures.quantities import Quantity
from kg.extract.names.lexicon import Lexicon, Mention
from kg.extract.tables import AGENTS, DealTables, cue, deal_tables, names_table

__all__ = ["Deal", "Engine", "find_deals"]


@dataclass(slots=True)
class Engine:
    """The deals of one article, built sentence by sentence."""

    article: ArticleContext
    tables: DealTables = field(default_factory=deal_tables)
    deals: list[Deal] = field(default_factory=list)
    suppliers: dict[str, set[str]] = field(default_factory=dict)
    chip_vendors: frozenset[str] = frozenset()
    agency_country: dict[str, str] = field(default_factory=dict)
    #: the deals that name each party, and the deals of each sentence: what a new mention is
    #: compared with, so that the work per sentence does not grow with the article
    by_ref: dict[str, list[Deal]] = field(default_factory=dict)
    by_sentence: dict[int, list[Deal]] = field(default_factory=dict)
    _parties: dict[int, list[Party]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        vendors, countries = _lexicon_facts(self.article.lexicon, self.tables)
        self.chip_vendors = vendors
        self.agency_country = dict(countries)
        for ctx in self.article.sentences:  # 美國 inside 美國政府: the agency's country
            for outer in ctx.mentions:
                if outer.entity.kind != "agency":
                    continue
                for inner in ctx.mentions:
                    inside = outer.start <= inner.start and inner.end <= outer.end
                    if inside and inner.entity.kind == "country":
                        self.agency_country[outer.ref] = inner.ref

    def run(self) -> list[Deal]:
        for ctx in self.article.sentences:
            if ctx.furniture:
                continue
            parties = self.parties(ctx)
            if ctx.hits("firm_anaphor"):
                parties = self.firm_anaphors(ctx, parties)
            anaphor = cue("anaphor").search(ctx.folded) if ctx.hits("anaphor") else None
            own = {p.ref for p in parties}
            injected = False
            if anaphor and len({p.ref for p in parties if p.end <= anaphor.start()}) < 2:
                before = len(parties)
                parties = self.antecedents(ctx, anaphor.start(), anaphor.end(), parties)
                injected = len(parties) > before
            found = self.sentence_deals(ctx, parties)
            if injected and found:
                for deal in found:  # "雙方" gives no direction: it must come from elsewhere
                    deal.symmetric = (
                        deal.type in _DIRECTED
                        and deal.method not in _UNDIRECTED
                        and not deal.refs() <= own
                    )
            _share_figures(ctx, found)
            if found:
                for deal in found:
                    self.add(deal)
            else:
                self.status_only(ctx, parties)
                self.continuation(ctx, parties)
        self.resolve_symmetric()
        self.link_rounds()
        self.fold_supply_into_compute()
        self.fold_agreements()
        self.drop_shadowed_partnerships()
        self.group_signatories()
        self.letters_of_intent()
        return [d for d in self.deals if len(d.refs()) >= 2 or d.type == "ExportLicence"]

    # -- per sentence ---------------------------------------------------------------------------
    def sentence_deals(self, ctx: SentenceContext, parties: list[Party]) -> list[Deal]:
        """The rules of the table, in order, on one sentence."""
        out: list[Deal] = []
        by_kind = {key: agents(parties, kinds) for key, kinds in AGENTS.items()}
        counts = {key: len({p.ref for p in own}) for key, own in by_kind.items()}
        for rule in self.tables.rules:
            own = by_kind[rule.agents]
            if not rule.fires(ctx.hits, counts[rule.agents], len(out)):
                continue
            made: list[Deal] = []
            if rule.build is not None:
                made = builders.BUILD[rule.build](self, ctx, own, rule, out)
                out += made
            if rule.stop == "fired" or (rule.stop == "found" and made):
                break
        return out

    # -- building deals -------------------------------------------------------------------------
    def make(
        self,
        ctx: SentenceContext,
        deal_type: str,
        roles: dict[str, list[str]],
        t: int,
        method: str,
        *,
        status: str | None = None,
        confidence: float | None = None,
        amount: Quantity | None = None,
    ) -> Deal:
        """A deal of this sentence: its status from the sentence's words, its figures the
        nearest ones to the trigger at ``t``."""
        tables = self.tables
        f = ctx.folded
        confidence = tables.conf("deal") if confidence is None else confidence
        default = False
        hedge = cue("hedge").search(f) if ctx.hits("hedge") else None
        hedged = hedge is not None and not (
            hedge.group(0) == "would" and cue("reported_speech").search(f)
        )
        negative = next((name for name, c in tables.negative_statuses if ctx.hits(c)), None)
        talks = ctx.hits("negotiation")
        if negative:
            status = negative
        elif talks:
            status = "InNegotiation"
        elif hedged:
            status = "Rumoured"
        elif status is None:
            status = next((name for name, c in tables.positive_statuses if ctx.hits(c)), None)
            if status is None:
                status, default = "Announced", True
        if hedged:
            confidence = min(confidence, tables.conf("hedged"))
        elif talks:
            confidence = min(confidence, tables.conf("talks"))
        window = tables.win("negation_before_trigger")
        negated = bool(cue("negation_before").search(f[max(0, t - window) : t]))
        if negated:
            status, confidence = "Denied", min(confidence, tables.conf("negated"))
        events = [d for d in ctx.dates if d.role is None]
        as_of = events[0].value if events else self.article.published.value
        deal = Deal(
            type=deal_type,
            roles=roles,
            evidence=[(ctx.start, ctx.end)],
            method=method,
            confidence=confidence,
            sentence=ctx.index,
            products=ctx.things("chip", "architecture"),
            datacenters=ctx.things("datacenter"),
            date=events[0].value if events else None,
            start_date=next((d.value for d in ctx.dates if d.role == "start"), None),
            statuses=[(status, as_of)],
            default_status=default,
            negated=negated,
        )
        deal.trigger = t
        deal.tranche = ctx.hits("tranche")
        deal.amount = amount if amount is not None else self.nearest(ctx, t, ("money",), whole=True)
        if deal.amount is not None and deal.amount.kind == "number":
            deal.amount = as_money(deal.amount, self.article.currency)
        deal.capacity = self.nearest(ctx, t, ("power",))
        deal.chip_count = self.nearest(ctx, t, ("count",))
        deal.duration = self.nearest(ctx, t, ("duration",))
        if deal.amount is None and deal_type in ("Investment", "FundingRound"):
            bare = self.nearest(ctx, t, ("number",))
            minimum = tables.win("bare_amount_minimum")
            if bare is not None and bare.value is not None and bare.value >= minimum:
                deal.amount = as_money(bare, self.article.currency)
        return deal

    def nearest(
        self, ctx: SentenceContext, t: int, kinds: tuple[str, ...], *, whole: bool = False
    ) -> Quantity | None:
        """The figure of these kinds nearest the trigger (one before it counts as further);
        ``whole``: not a part after 其中 / including / of which (a component of the sum)."""
        found = [q for q in ctx.quantities if q.kind in kinds]
        if whole:
            found = [
                q
                for q in found
                if not cue("component").search(
                    ctx.folded[max(0, ctx.local(q.start) - 12) : ctx.local(q.start)]
                )
            ] or found
        if not found:
            return None
        penalty = self.tables.win("figure_before_penalty")
        return min(
            found,
            key=lambda q: abs(ctx.local(q.start) - t) + (0 if ctx.local(q.start) >= t else penalty),
        )

    def topic(self, ctx: SentenceContext, *, exclude: set[str]) -> list[str]:
        """The firm the previous sentences were about (the first one they name)."""
        reach = self.tables.win("topic_sentences")
        for other in reversed(self.article.sentences[max(0, ctx.index - reach) : ctx.index]):
            firms = [
                m.ref for m in other.agents if m.entity.kind == "firm" and m.ref not in exclude
            ]
            if firms:
                return [firms[0]]
        return []

    def parties(self, ctx: SentenceContext) -> list[Party]:
        """The parties of a sentence (``kg.extract.deals.roles.parties_of``), read once."""
        found = self._parties.get(ctx.index)
        if found is None:
            found = self._parties[ctx.index] = parties_of(ctx)
        return found

    def firm_anaphors(self, ctx: SentenceContext, parties: list[Party]) -> list[Party]:
        """A phrase that stands for one firm named before is that firm, as a party where the
        phrase stands (with the marker before it): "the latter" / 後者 / 對方 the last firm
        named, "the same venture" the first firm of this sentence, "the company" / 該公司 /
        "the startup" the firm the sentence before opens with."""
        out = list(parties)
        for m in cue("firm_anaphor").finditer(ctx.folded):
            start, end = m.start(), m.end()
            if any(p.start < end and start < p.end for p in out):
                continue
            firms = [p for p in out if p.end <= start and p.mention.entity.kind == "firm"]
            referent: Mention | None = None
            if m.group("latter") or m.group("latter_en"):
                if firms:
                    referent = firms[-1].mention
                else:
                    before = self.previous_sentence(ctx)
                    named = [a for a in before.agents if a.entity.kind == "firm"] if before else []
                    referent = named[-1] if named else None
            elif m.group("same"):
                referent = firms[0].mention if firms else None
            else:
                topic = self.topic_party(ctx)
                referent = topic.mention if topic is not None else None
            if referent is None:
                continue
            marker = marker_before(ctx.folded, start)
            out.append(Party(mention=referent, start=start, end=end, marker=marker))
        return sorted(out, key=lambda p: p.start)

    def topic_party(self, ctx: SentenceContext) -> Party | None:
        """The firm the sentence before (in the same paragraph) opens with, as an unmarked
        party at the start of this sentence: the subject Chinese leaves out (諾基亞是…大廠；今年
        稍早以…收購 X)."""
        if ctx.index == 0:
            return None
        before = self.article.sentences[ctx.index - 1]
        if "\n" in self.article.view[before.end : ctx.start]:
            return None
        reach = self.tables.win("topic_opening")
        for party in self.parties(before):
            if party.mention.entity.kind != "firm" or party.start > reach:
                continue
            if party.marker is None and not party.apposition:
                return Party(mention=party.mention, start=0, end=0, marker=None)
        return None

    def previous_sentence(self, ctx: SentenceContext) -> SentenceContext | None:
        """The sentence before this one, in the same paragraph."""
        if ctx.index == 0:
            return None
        before = self.article.sentences[ctx.index - 1]
        return None if "\n" in self.article.view[before.end : ctx.start] else before

    def next_sentence(self, ctx: SentenceContext) -> SentenceContext | None:
        """The sentence after this one, in the same paragraph."""
        if ctx.index + 1 >= len(self.article.sentences):
            return None
        after = self.article.sentences[ctx.index + 1]
        return None if "\n" in self.article.view[ctx.end : after.start] else after

    # -- merging --------------------------------------------------------------------------------
    def _index(self, deal: Deal) -> None:
        for ref in deal.refs():
            bucket = self.by_ref.setdefault(self.up(ref), [])
            if deal not in bucket:
                bucket.append(deal)
        bucket = self.by_sentence.setdefault(deal.sentence, [])
        if deal not in bucket:
            bucket.append(deal)

    def sharing(self, deal: Deal) -> list[Deal]:
        """The deals found so far that name a party of ``deal``, in the order found."""
        found: dict[int, Deal] = {}
        for ref in deal.refs():
            for other in self.by_ref.get(self.up(ref), []):
                found[id(other)] = other
        return sorted(found.values(), key=lambda d: d.serial)

    def append(self, deal: Deal) -> None:
        deal.serial = len(self.deals)
        self.deals.append(deal)
        self._index(deal)

    def add(self, deal: Deal) -> None:
        """A deal of a sentence: another mention of one found before (merged into it), or new."""
        candidates = self.sharing(deal)
        if deal.type == "FundingRound":
            for other in candidates:
                if (
                    other.type == "FundingRound"
                    and other.roles["investee"] == deal.roles["investee"]
                ):
                    investors = other.roles.setdefault("investor", [])
                    investors += [r for r in deal.roles.get("investor", []) if r not in investors]
                    if other.amount is None:
                        other.amount = deal.amount
                    merge(other, deal)
                    self._index(other)
                    return
        if any(
            settled_against_failed(deal, other)
            for other in candidates
            if other.type == deal.type and other.refs() == deal.refs()
        ):
            self.append(deal)  # a stake held now, after a commitment that failed
            return
        for other in candidates:
            if (
                other.type == deal.type
                and other.symmetric == deal.symmetric
                and self.same_parties(other, deal)
                and compatible(other, deal)
            ):
                merge(other, deal)
                return
        for other in candidates:
            if other.type != deal.type or other.refs() != deal.refs():
                continue
            if deal.tranche and self.same_parties(other, deal):
                deal.amount = None  # a first tranche of the deal: its figure is the tranche's
                merge(other, deal)
                return
            if "agreement" in (deal.method, other.method):
                if other.method == "agreement" and deal.method != "agreement":
                    other.roles = deal.roles  # the roles a verb showed, not the guess
                    other.method = deal.method
                merge(other, deal)
                return
        for other in candidates:  # a later mention names one more investor (the vehicle)
            if _more_investors(other, deal) and compatible(other, deal):
                for ref in deal.roles["investor"]:
                    if ref not in other.roles["investor"]:
                        other.roles["investor"].append(ref)
                merge(other, deal)
                self._index(other)
                return
            if _more_investors(deal, other) and compatible(other, deal):
                other.roles["investor"] = list(deal.roles["investor"])
                merge(other, deal)
                self._index(other)
                return
        self.append(deal)

    def up(self, ref: str) -> str:
        """A unit's parent (AWS → Amazon), else the party itself."""
        entity = self.article.lexicon.entity(ref)
        return entity.parent if entity is not None and entity.parent else ref

    def same_parties(self, a: Deal, b: Deal) -> bool:
        """The same roles for the same firms, a unit standing for its parent (AWS, Amazon)."""
        if a.parties() == b.parties():
            return True
        return {(r, self.up(x)) for r, x in a.parties()} == {
            (r, self.up(x)) for r, x in b.parties()
        }

    def status_only(self, ctx: SentenceContext, parties: list[Party]) -> None:
        """A sentence that names no deal but denies, withdraws, cancels or stalls one."""
        tables = self.tables
        status = None
        window = tables.win("negated_status_before")
        for name, cue_name in tables.negative_statuses:
            hit = cue(cue_name).search(ctx.folded) if ctx.hits(cue_name) else None
            if hit and not cue("negated_before").search(
                ctx.folded[max(0, hit.start() - window) : hit.start()]
            ):
                status = name
                break
        if status is None or not self.deals:
            return
        names = {p.ref for p in parties}
        names |= {m.entity.affiliated for m in ctx.people if m.entity.affiliated}
        reach = tables.win("status_recent_sentences")
        recent = sorted(
            {
                id(d): d
                for i in range(max(0, ctx.index - reach), ctx.index + 1)
                for d in self.by_sentence.get(i, [])
                if ctx.index - d.sentence <= reach
            }.values(),
            key=lambda d: d.serial,
        )
        target = None
        if names:
            matching = [d for d in recent if names & d.refs()]
            target = matching[0] if matching else None
        elif recent and ctx.index - recent[-1].sentence <= tables.win("status_topic_sentences"):
            target = max(recent, key=lambda d: d.amount.point if d.amount else Decimal(0))
        if target is None:
            return
        events = [d for d in ctx.dates if d.role is None]
        as_of = events[0].value if events else self.article.published.value
        if (status, as_of) not in target.statuses:
            target.statuses.append((status, as_of))
            target.evidence.append((ctx.start, ctx.end))

    def antecedents(
        self, ctx: SentenceContext, start: int, end: int, parties: list[Party]
    ) -> list[Party]:
        """ "雙方" / "the two companies": the last two firms the previous sentences named."""
        found: list[Mention] = []
        reach = self.tables.win("antecedent_sentences")
        for other in reversed(self.article.sentences[max(0, ctx.index - reach) : ctx.index]):
            for m in other.agents:
                if m.entity.kind == "firm" and m.ref not in {f.ref for f in found}:
                    found.append(m)
            if len(found) >= 2:
                break
        if len(found) < 2:
            return parties
        extra = [Party(mention=m, start=start, end=end, marker=None) for m in found[:2]]
        return sorted(parties + extra, key=lambda p: p.start)

    def resolve_symmetric(self) -> None:
        """A deal whose direction the sentence does not show joins the directed deal of the
        same type between the same parties; without one it is dropped."""
        keep: list[Deal] = []
        for deal in self.deals:
            if not deal.symmetric:
                keep.append(deal)
                continue
            host = next(
                (
                    o
                    for o in self.sharing(deal)
                    if not o.symmetric
                    and o.type == deal.type
                    and o.refs() == deal.refs()
                    and compatible(o, deal)
                ),
                None,
            )
            if host is not None:
                merge(host, deal)
        self._keep(keep)

    def continuation(self, ctx: SentenceContext, parties: list[Party]) -> None:
        """A sentence right after a deal's, naming no other party: its chips and start date;
        when it speaks of "the deal" (該交易), its figures the deal lacks too."""
        last = [d for d in self.by_sentence.get(ctx.index - 1, []) if d.sentence == ctx.index - 1]
        if len(last) != 1 or any(p.ref not in last[0].refs() for p in parties):
            return
        deal = last[0]
        added = False
        if cue("deal_anaphor").search(ctx.folded):
            for name, kinds in (
                ("amount", ("money",)),
                ("capacity", ("power",)),
                ("duration", ("duration",)),
                ("chip_count", ("count",)),
            ):
                figure = self.nearest(ctx, 0, kinds)
                if getattr(deal, name) is None and figure is not None:
                    setattr(deal, name, figure)
                    added = True
        for ref in ctx.things("chip", "architecture"):
            if ref not in deal.products:
                deal.products.append(ref)
                added = True
        start = next((d.value for d in ctx.dates if d.role == "start"), None)
        if start and deal.start_date is None:
            deal.start_date = start
            added = True
        if added:
            deal.evidence.append((ctx.start, ctx.end))
            deal.sentence = ctx.index
            self._index(deal)

    def link_rounds(self) -> None:
        rounds = [i for i, d in enumerate(self.deals) if d.type == "FundingRound"]
        reach = self.tables.win("round_part_sentences")
        for deal in self.deals:
            if deal.type != "Investment":
                continue
            for r in rounds:
                rnd = self.deals[r]
                # a part made with its round stays with it when the round merged into an
                # earlier mention of the same round
                near = deal.part_of == -1 or abs(rnd.sentence - deal.sentence) <= reach
                if not near or rnd.roles.get("investee") != deal.roles.get("investee"):
                    continue
                # an investment near the round joins it while unsettled, or when its investor
                # is one the round named (that investor's part: "SoftBank will put in $10bn")
                named = set(deal.roles.get("investor", [])) <= set(rnd.roles.get("investor", []))
                unsettled = deal.statuses[0][0] in self.tables.unsettled
                if deal.part_of is None and not (unsettled or named):
                    continue
                deal.part_of = r
                investors = rnd.roles.setdefault("investor", [])
                for ref in deal.roles.get("investor", []):
                    if ref not in investors:
                        investors.append(ref)
        for deal in self.deals:
            if deal.part_of == -1:
                deal.part_of = None
        for r in rounds:
            _negotiated_together([self.deals[r], *(d for d in self.deals if d.part_of == r)])
        # a round with one named investor is one deal: its investor's commitment is no other
        for r in rounds:
            parts = [d for d in self.deals if d.part_of == r]
            if len(parts) == 1 and parts[0].roles["investor"] == self.deals[r].roles.get(
                "investor"
            ):
                merge(self.deals[r], parts[0])
                parts[0].part_of = -2  # dropped below
        if any(d.part_of == -2 for d in self.deals):
            kept = {i: d for i, d in enumerate(self.deals) if d.part_of != -2}
            index = {old: new for new, old in enumerate(kept)}
            for deal in kept.values():
                if deal.part_of is not None:
                    deal.part_of = index[deal.part_of]
            self._keep(list(kept.values()))

    def fold_supply_into_compute(self) -> None:
        keep: list[Deal] = []
        for deal in self.deals:
            host = next(
                (
                    o
                    for o in self.sharing(deal)
                    if o.type == "ComputeContract"
                    and deal.type == "SupplyAgreement"
                    and not deal.negated
                    and o.roles.get("buyer") == deal.roles.get("buyer")
                    and o.roles.get("supplier") == deal.roles.get("supplier")
                ),
                None,
            )
            if host is not None:
                merge(host, deal)
                continue
            keep.append(deal)
        self._keep(keep)

    def _keep(self, keep: list[Deal]) -> None:
        """Only these deals are left: the indexes follow."""
        kept = {id(d) for d in keep}
        self.deals = keep
        self.by_ref = {k: [d for d in v if id(d) in kept] for k, v in self.by_ref.items()}
        self.by_sentence = {k: [d for d in v if id(d) in kept] for k, v in self.by_sentence.items()}

    def fold_agreements(self) -> None:
        """An agreement typed only by the words around it ("a $1.6 billion deal for X") is the
        contract of an investment (an acquisition) or a trade of its type between the same
        parties, when the article names one."""
        keep: list[Deal] = []
        for deal in self.deals:
            if deal.method == "agreement":
                host = next(
                    (
                        o
                        for o in self.sharing(deal)
                        if o is not deal
                        and o.method != "agreement"
                        and o.refs() == deal.refs()
                        and (o.type == deal.type or o.type in ("Investment", "FundingRound"))
                    ),
                    None,
                )
                if host is not None:
                    merge(host, deal)
                    continue
            keep.append(deal)
        self._keep(keep)

    def letters_of_intent(self) -> None:
        """A deal whose words give it no status, between parties that signed a letter of intent
        in the article, is a part of that letter (三星為OpenAI提供記憶體 under their LOI)."""
        for deal in self.deals:
            if not deal.default_status:
                continue
            for other in self.sharing(deal):
                signed = [(s, d) for s, d in other.statuses if s == "LetterOfIntent"]
                if other is not deal and signed and len(deal.refs() & other.refs()) >= 2:
                    deal.statuses = [signed[0]]
                    deal.default_status = False
                    break

    def drop_shadowed_partnerships(self) -> None:
        """ "Cooperation" that names the parties of other deals is those deals, unless it is a
        joint development or a datacenter project of its own."""
        keep: list[Deal] = []
        for deal in self.deals:
            own = deal.method in _OWN_PARTNERSHIPS or bool(deal.datacenters)
            if deal.type != "Partnership" or own:
                keep.append(deal)
                continue
            refs = deal.refs()
            others = [o for o in self.sharing(deal) if o.type != "Partnership"]
            hosts = [o for o in others if refs <= o.refs()]
            if hosts:
                merge(hosts[0], deal)
                continue
            covered = all(
                any(r in o.refs() and len(o.refs() & refs) >= 2 for o in others) for r in refs
            )
            if not covered:
                keep.append(deal)
        self._keep(keep)

    def group_signatories(self) -> None:
        """A group that agrees with B for its affiliates (SK Group with B, then SK Telecom and
        B build …): the group is a party (the signatory) of each affiliate's deal with B, and
        its own cooperation with B is those deals. An affiliate is a unit of the group
        (``aikg:subsidiaryOf``) or a firm whose name begins with the group's (SK Telecom)."""
        keep: list[Deal] = []
        for deal in self.deals:
            groups = [r for r in deal.refs() if self._group_stem(r)]
            hosts: list[Deal] = []
            if deal.type == "Partnership" and len(deal.refs()) == 2 and len(groups) == 1:
                group = groups[0]
                (other,) = deal.refs() - {group}
                hosts = [
                    o
                    for o in self.deals
                    if o is not deal
                    and other in o.refs()
                    and group not in o.refs()
                    and any(self._affiliate(a, group) for a in o.refs() - {other})
                ]
            if not hosts:
                keep.append(deal)
                continue
            for host in hosts:
                host.roles.setdefault("party", []).append(group)
                host.evidence += [span for span in deal.evidence if span not in host.evidence]
        self._keep(keep)

    def _group_stem(self, ref: str) -> str:
        """The name a group's affiliates begin with ("SK" of SK Group), else ''."""
        entity = self.article.lexicon.entity(ref)
        if entity is None:
            return ""
        stem, _, last = entity.label.rpartition(" ")
        return stem if stem and last in names_table()["org"]["en_group_words"] else ""

    def _affiliate(self, ref: str, group: str) -> bool:
        entity = self.article.lexicon.entity(ref)
        if entity is None or ref == group:
            return False
        stem = self._group_stem(group).lower()
        return entity.parent == group or entity.label.lower().startswith(stem + " ")


#: deal types whose roles have a direction
_DIRECTED = ("Investment", "SupplyAgreement", "ComputeContract", "Financing")
#: rules whose roles carry no direction anyway
_UNDIRECTED = ("agreement",)
#: partnerships that are deals of their own even between the parties of other deals
_OWN_PARTNERSHIPS = ("partnership-joint", "partnership-strategic", "partnership-role")


def _more_investors(a: Deal, b: Deal) -> bool:
    """``b`` is ``a`` with more investors: the same investee, ``a``'s investors among its."""
    if a.type != "Investment" or b.type != "Investment" or a.symmetric or b.symmetric:
        return False
    if set(a.roles.get("investee", [])) != set(b.roles.get("investee", [])):
        return False
    mine, theirs = set(a.roles.get("investor", [])), set(b.roles.get("investor", []))
    return bool(mine) and mine < theirs


def _negotiated_together(group: list[Deal]) -> None:
    """A funding round is negotiated as a whole: when the round or one of its parts is in
    negotiation, the hedged ("may invest up to") parts are positions in that negotiation."""
    if not any(s == "InNegotiation" for d in group for s, _ in d.statuses):
        return
    for deal in group:
        statuses: list[tuple[str, str]] = []
        for status, as_of in deal.statuses:
            entry = ("InNegotiation" if status == "Rumoured" else status, as_of)
            if entry not in statuses:
                statuses.append(entry)
        deal.statuses = statuses


_FACTS: weakref.WeakKeyDictionary[Lexicon, tuple[frozenset[str], dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def _lexicon_facts(lexicon: Lexicon, tables: DealTables) -> tuple[frozenset[str], dict[str, str]]:
    """What the rules need of the reference data, worked out once per lexicon: the merchant
    chip vendors, and each agency's country ("US Department of Commerce")."""
    found = _FACTS.get(lexicon)
    if found is None:
        merchant = set(tables.extra.get("merchant_chip_types", ()))
        entities = lexicon.entities.values()
        vendors = frozenset(e.designed_by for e in entities if e.designed_by and e.types & merchant)
        countries: dict[str, str] = {}
        for entity in entities:
            if entity.kind == "agency":
                named = [m.ref for m in lexicon.find(entity.label) if m.entity.kind == "country"]
                if named:
                    countries[entity.ref] = named[0]
        found = _FACTS[lexicon] = (vendors, countries)
    return found


def find_deals(article: ArticleContext) -> list[Deal]:
    """The deals of an article, merged where one deal is named in several sentences."""
    return Engine(article).run()


def _share_figures(ctx: SentenceContext, deals: list[Deal]) -> None:
    """Several deals in one sentence: each figure goes to the deal whose trigger is nearest
    before it (or nearest after, if none is before)."""
    if len(deals) < 2:
        return
    for name in ("amount", "capacity", "chip_count", "duration"):
        for deal in deals:
            q = getattr(deal, name)
            if q is None or q.kind == "number":
                continue
            pos = ctx.local(q.start)
            owner = min(deals, key=lambda d: (pos < d.trigger, abs(pos - d.trigger)))
            if owner is not deal and getattr(owner, name) is q:
                setattr(deal, name, None)
