"""Deal rules: investments, purchases and supply, compute contracts, partnerships, financing,
funding rounds and export licences, with party roles read from the sentence's structure.

Every rule is a pattern over the *folded* sentence (Simplified script, lower case; see
``kg.core.scripts.fold``), so one rule serves Traditional, Simplified and English text.
Roles come from the markers around each party (the preposition before it: 向 / 對 / 從 / in /
from / with / to, a passive 獲 / by, a possessive 的 ... 投資者) and from the verb's direction
(buy-verbs: the marked party sells; sell-verbs: the marked party buys), never from the order of
the names alone. Hedges (如果, 可能, reportedly, would) make a deal ``Rumoured`` with a lower
confidence; denials, withdrawals, cancellations and stalls set the status of the deal they name,
or of the deal the previous sentences were about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.extract import cues
from kg.extract.context import ArticleContext, SentenceContext
from kg.extract.lexicon import Mention
from kg.extract.quantities import Quantity
from kg.extract.roles import (
    Party,
    coordinated,
    holder_roles,
    invest_roles,
    parties_of,
    subject_of,
    trade_roles,
    unique,
)

__all__ = ["Deal", "find_deals"]


@dataclass(slots=True)
class Deal:
    """A deal found in an article (offsets in the view text)."""

    type: str
    roles: dict[str, list[str]]
    evidence: list[tuple[int, int]]
    method: str
    confidence: float
    sentence: int
    amount: Quantity | None = None
    capacity: Quantity | None = None
    chip_count: Quantity | None = None
    duration: Quantity | None = None
    products: list[str] = field(default_factory=list)
    datacenters: list[str] = field(default_factory=list)
    date: str | None = None
    start_date: str | None = None
    statuses: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[dict[str, object]] = field(default_factory=list)
    part_of: int | None = None
    trigger: int = 0
    symmetric: bool = False
    negated: bool = False
    default_status: bool = False

    def parties(self) -> frozenset[tuple[str, str]]:
        return frozenset((role, ref) for role, refs in self.roles.items() for ref in refs)

    def refs(self) -> set[str]:
        return {ref for refs in self.roles.values() for ref in refs}


# -- the engine ----------------------------------------------------------------------------------
@dataclass(slots=True)
class _Engine:
    article: ArticleContext
    deals: list[Deal] = field(default_factory=list)
    suppliers: dict[str, set[str]] = field(default_factory=dict)

    def run(self) -> list[Deal]:
        for ctx in self.article.sentences:
            parties = parties_of(ctx)
            anaphor = cues.ANAPHOR.search(ctx.folded)
            injected = False
            if anaphor and len({p.ref for p in parties}) < 2:
                before = len(parties)
                parties = self.antecedents(ctx, anaphor.start(), anaphor.end(), parties)
                injected = len(parties) > before
            found = self.sentence_deals(ctx, parties)
            if injected and found:
                for deal in found:
                    deal.symmetric = True
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
        self.drop_shadowed_partnerships()
        return [d for d in self.deals if len(d.refs()) >= 2 or d.type == "ExportLicence"]

    # -- per sentence ---------------------------------------------------------------------------
    def sentence_deals(self, ctx: SentenceContext, parties: list[Party]) -> list[Deal]:
        f = ctx.folded
        out: list[Deal] = []
        if cues.COUNTERFACTUAL.search(f):
            return []
        if cues.EXPORT.search(f) and cues.LICENCE.search(f):
            deal = self.licence(ctx, parties)
            return [deal] if deal else []
        if len({p.ref for p in parties}) < 2 and not cues.FINANCING.search(f):
            return []
        if cues.ROUND.search(f):
            out += self.funding_round(ctx, parties)
            if out:
                return out
        if cues.FINANCING.search(f):
            deal = self.financing(ctx, parties)
            if deal:
                return [deal]
        holder = cues.HOLDER.search(f)
        if holder:
            roles = holder_roles(parties, holder.start(), f)
            if roles:
                for investee in roles["investee"]:
                    out.append(
                        self.make(
                            ctx,
                            "Investment",
                            {"investor": roles["investor"], "investee": [investee]},
                            holder.start(),
                            "investment-holder",
                            status="Completed",
                        )
                    )
                return out
        support = cues.SUPPORT.search(f)
        if support:
            backers = [p for p in parties if p.end <= support.start()]
            if backers:
                group = coordinated(parties, backers[-1], f)
                subject = subject_of(parties, group[0].start, f, {g.ref for g in group})
                for investor in unique(group):
                    for investee in unique(subject[:1]):
                        out.append(
                            self.make(
                                ctx,
                                "Investment",
                                {"investor": [investor], "investee": [investee]},
                                support.start(),
                                "investment-backing",
                                status="Completed",
                            )
                        )
                if out:
                    return out
        directed = False
        for m in cues.INVEST.finditer(f):
            roles = invest_roles(parties, m.start(), f)
            if roles:
                many = len(roles["investor"]) > 1
                for investor in roles["investor"]:
                    own = self.own_amount(ctx, parties, investor, m.start()) if many else None
                    for investee in roles["investee"]:
                        out.append(
                            self.make(
                                ctx,
                                "Investment",
                                {"investor": [investor], "investee": [investee]},
                                m.start(),
                                "investment",
                                amount=own,
                            )
                        )
                directed = True
                break
        first = cues.INVEST.search(f)
        if not directed and first is not None:
            pair = [p for p in parties if p.marker in ("与", "和", "with", "and")]
            if pair:
                group = coordinated(parties, pair[0], f)
                if len({g.ref for g in group}) == 2:
                    refs = unique(group)
                    deal = self.make(
                        ctx,
                        "Investment",
                        {"investor": refs[:1], "investee": refs[1:]},
                        first.start(),
                        "investment-undirected",
                        confidence=0.4,
                    )
                    deal.symmetric = True
                    out.append(deal)
        for trade in self.trade(ctx, parties):
            host = next(
                (d for d in out if d.type == "Investment" and d.refs() == trade.refs()), None
            )
            if host is not None:
                for name in ("capacity", "chip_count"):
                    if getattr(host, name) is None:
                        setattr(host, name, getattr(trade, name))
                continue
            out.append(trade)
        if not out or cues.JOINT.search(f):
            hit = cues.JOINT.search(f) or cues.PARTNER.search(f)
            if hit:
                refs = self.partners(parties, hit.start(), f)
                if len(refs) < 2 and cues.JOINT.search(f):
                    refs = unique(parties)
                if len(refs) >= 2:
                    method = "partnership-joint" if cues.JOINT.search(f) else "partnership"
                    out.append(
                        self.make(ctx, "Partnership", {"participant": refs}, hit.start(), method)
                    )
        return out

    def own_amount(
        self, ctx: SentenceContext, parties: list[Party], investor: str, t: int
    ) -> Quantity | None:
        """The figure after a later mention of this investor ("其中 A 投資 x、B 投資 y")."""
        for p in parties:
            if p.ref != investor or p.start < t:
                continue
            tail = ctx.folded[p.end : p.end + 14]
            if not re.search(r"投|invest|commit|put", tail):
                continue
            for q in ctx.quantities:
                if q.kind in ("money", "number") and 0 <= ctx.local(q.start) - p.end < 14:
                    return _as_money(q, self.article.currency) if q.kind == "number" else q
        return None

    def partners(self, parties: list[Party], t: int, f: str) -> list[str]:
        near = [p for p in parties if abs(p.start - t) < 40]
        for p in near:
            if p.marker in ("与", "和", "跟", "同", "with", "and", "between"):
                group = coordinated(parties, p, f)
                subject = subject_of(parties, group[0].start, f, {g.ref for g in group})
                return unique(subject + group)
        return unique([p for p in near if p.end <= t])[-2:] if near else []

    def trade(self, ctx: SentenceContext, parties: list[Party]) -> list[Deal]:
        f = ctx.folded
        verbs = [(m.start(), True) for m in cues.BUY.finditer(f)]
        verbs += [(m.start(), False) for m in cues.SELL.finditer(f)]
        verbs += [(m.start(), True) for m in cues.ORDER.finditer(f)]
        verbs.sort()
        out: list[Deal] = []
        clauses_done: set[int] = set()
        for t, buying in verbs:
            ends = [m.end() for m in cues.CLAUSE_END.finditer(f, 0, t)]
            clause = ends[-1] if ends else 0
            if clause in clauses_done:
                continue
            roles = trade_roles(parties, t, f, buying=buying)
            if roles is None:
                continue
            stop = cues.CLAUSE_END.search(f, t)
            obj = f[t : stop.start() if stop else len(f)]
            things = [
                m
                for m in ctx.mentions
                if m.entity.kind in ("chip", "architecture")
                and t <= ctx.local(m.start) < t + len(obj)
            ]
            if things or cues.CHIP_WORDS.search(obj):
                deal_type = "SupplyAgreement"
            elif cues.COMPUTE_WORDS.search(obj):
                deal_type = "ComputeContract"
            else:
                window = f[max(0, t - 12) : t + 30]
                if cues.COMPUTE_WORDS.search(window):
                    deal_type = "ComputeContract"
                elif (
                    cues.CHIP_WORDS.search(window)
                    or ctx.things("chip", "architecture")
                    or cues.ORDER.search(f)
                ):
                    deal_type = "SupplyAgreement"
                else:
                    continue
            for ref in roles["supplier"]:
                self.suppliers.setdefault(deal_type, set()).add(ref)
            clauses_done.add(clause)
            out.append(
                self.make(
                    ctx,
                    deal_type,
                    roles,
                    t,
                    f"{deal_type[0].lower()}{deal_type[1:]}-" + ("buy" if buying else "sell"),
                )
            )
        if out:
            return out
        m = cues.CONTRACT.search(f)
        signed = cues.SIGNED.search(f) or any(q.kind == "money" for q in ctx.quantities)
        if m and signed and cues.COMPUTE_WORDS.search(f) and len({p.ref for p in parties}) >= 2:
            refs = unique(parties)[:2]
            known = self.suppliers.get("ComputeContract", set())
            supplier = [r for r in refs if r in known] or refs[1:]
            buyer = [r for r in refs if r not in supplier]
            if buyer and supplier:
                return [
                    self.make(
                        ctx,
                        "ComputeContract",
                        {"buyer": buyer[:1], "supplier": supplier[:1]},
                        m.start(),
                        "compute-contract",
                        confidence=0.5,
                    )
                ]
        return []

    def funding_round(self, ctx: SentenceContext, parties: list[Party]) -> list[Deal]:
        f = ctx.folded
        m = cues.ROUND.search(f)
        if m is None:
            return []
        t = m.start()
        # the firm raising: inside the round phrase, before it, or the subject of "raise"
        inside = [p for p in parties if m.start() <= p.start < m.end()]
        near = [p for p in parties if p.end <= t and t - p.end < 12]
        investee = (inside or near or subject_of(parties, t, f, set()))[:1]
        if not investee:
            return []
        round_refs = {investee[0].ref}
        investors: list[tuple[Party, Quantity | None]] = []
        for p in parties:
            if p.ref in round_refs or p.start < m.start():
                continue
            tail = f[p.end : p.end + 16]
            if re.search(r"投|invest|commit|contribut|participat|led|lead", tail):
                money = next(
                    (
                        q
                        for q in ctx.quantities
                        if q.kind in ("money", "number")
                        and ctx.local(q.start) >= p.end
                        and ctx.local(q.start) - p.end < 16
                    ),
                    None,
                )
                investors.append((p, money))
        total = next(
            (
                q
                for q in ctx.quantities
                if q.kind in ("money", "number")
                and ctx.local(q.start) < (investors[0][0].start if investors else len(f))
            ),
            None,
        )
        roles = {"investee": [investee[0].ref]}
        if investors:
            roles["investor"] = unique([p for p, _ in investors])
        round_deal = self.make(ctx, "FundingRound", roles, t, "funding-round", amount=total)
        out = [round_deal]
        for p, money in investors:
            part = self.make(
                ctx,
                "Investment",
                {"investor": [p.ref], "investee": [investee[0].ref]},
                p.start,
                "funding-round-part",
                amount=money,
            )
            part.part_of = -1  # linked in link_rounds
            out.append(part)
        return out

    def financing(self, ctx: SentenceContext, parties: list[Party]) -> Deal | None:
        f = ctx.folded
        m = cues.FINANCING.search(f)
        if m is None:
            return None
        t = m.start()
        lenders: list[str] = []
        borrowers: list[str] = []
        noun = re.search(r"出资方|债权人|lenders?|financiers?|贷款方", f)
        if noun:
            close = sorted(
                parties, key=lambda p: min(abs(p.start - noun.end()), abs(noun.start() - p.end))
            )
            if close:
                lenders = [close[0].ref]
        lend = re.search(r"提供.{0,8}(?:贷款|融资)|(?<![a-z])lend|provid\w* .{0,20}financ", f)
        if lend and not lenders:
            subject = subject_of(parties, lend.start(), f, set())
            lenders = unique(subject)
            target = [
                p
                for p in parties
                if p.marker in ("为", "给", "向", "to", "for") and p.ref not in lenders
            ]
            borrowers = unique(target[:1])
        if not lenders:
            source = [p for p in parties if p.marker in ("从", "向", "from", "by", "with")]
            lenders = unique(source[:1])
        if not borrowers:
            rest = [p for p in parties if p.ref not in lenders and p.mention.entity.kind == "firm"]
            borrowers = unique(rest[:1])
        if not borrowers and not re.search(r"客户|(?<![a-z])(?:customers?|clients?)\b", f):
            borrowers = self.topic(ctx, exclude=set(lenders))
        if not lenders or not borrowers:
            return None
        return self.make(
            ctx, "Financing", {"lender": lenders[:1], "borrower": borrowers[:1]}, t, "financing"
        )

    def licence(self, ctx: SentenceContext, parties: list[Party]) -> Deal | None:
        f = ctx.folded
        m = cues.LICENCE.search(f) or cues.EXPORT.search(f)
        if m is None:
            return None
        states = [
            p
            for p in parties
            if p.mention.entity.kind in ("country", "agency") or p.ref.startswith("country/")
        ]
        destinations = [
            p
            for p in states
            if p.marker in ("向", "对", "到", "to", "into")
            or re.search(r"(?:出口|export\w*)\s*(?:到|至|to)?\s*$", f[: p.start])
        ]
        licensors = sorted(
            (p for p in states if p not in destinations),
            key=lambda p: p.mention.entity.kind != "agency",
        )
        products = ctx.things("chip", "architecture")
        firms = [p.ref for p in parties if p.mention.entity.kind == "firm"]
        if not firms:
            for product in products:
                entity = self.article.lexicon.entity(product)
                if entity is not None and entity.designed_by:
                    firms.append(entity.designed_by)
                    break
        if not firms:
            return None
        licensor = unique(licensors[:1])
        previous = [d for d in self.deals if d.type == "ExportLicence"]
        if not licensor and previous:
            licensor = previous[-1].roles["licensor"]
        if not licensor and re.search(r"政府|商务部|administration|government|commerce", f):
            licensor = ["country/us"]
        if not licensor:
            return None
        deal = self.make(
            ctx,
            "ExportLicence",
            {"licensor": licensor, "licensee": firms[:1]},
            m.start(),
            "export-licence",
            status="Completed",
        )
        deal.conditions = self.conditions(ctx)
        if (
            not deal.conditions
            and previous
            and re.search(r"相同条件|同样的条件|same terms|same conditions", f)
        ):
            deal.conditions = list(previous[-1].conditions)
        return deal

    def conditions(self, ctx: SentenceContext) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        seen: set[str] = set()
        for other in self.article.sentences[ctx.index : ctx.index + 3]:
            f = other.folded
            if other is not ctx and cues.EXPORT.search(f) and cues.LICENCE.search(f):
                break
            for kind, pattern in (
                (
                    "Tariff",
                    r"关税|tariff|抽成|分成|revenue share|cut of|(?<![a-z])pay.{0,40}%|"
                    r"% of (?:the |its )?(?:revenue|sales)",
                ),
                ("VolumeCap", r"上限|(?<![a-z])caps?\b|配额|quota"),
                (
                    "ThirdPartyTesting",
                    r"第三方|协力厂商|实验室|(?<![a-z])(?:lab|labs|testing|tested)\b",
                ),
                (
                    "CustomerRestriction",
                    r"军方|军事|military|客户限制|not be sold to|禁止.{0,6}客户",
                ),
            ):
                hit = re.search(pattern, f)
                if hit is None or kind in seen:
                    continue
                seen.add(kind)
                condition: dict[str, object] = {"conditionKind": kind}
                percents = [q for q in other.quantities if q.kind == "percent"]
                if kind in ("Tariff", "VolumeCap") and percents:
                    best = min(percents, key=lambda q: abs(other.local(q.start) - hit.start()))
                    condition["quantity"] = best.record()
                out.append(condition)
        return out

    def topic(self, ctx: SentenceContext, *, exclude: set[str]) -> list[str]:
        """The firm the previous two sentences were about (the last one they name)."""
        for other in reversed(self.article.sentences[max(0, ctx.index - 2) : ctx.index]):
            firms = [
                m.ref for m in other.agents if m.entity.kind == "firm" and m.ref not in exclude
            ]
            if firms:
                return [firms[0]]
        return []

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
        confidence: float = 0.7,
        amount: Quantity | None = None,
    ) -> Deal:
        f = ctx.folded
        default = False
        hedge = cues.HEDGE.search(f)
        hedged = hedge is not None and not (
            hedge.group(0) == "would" and re.search(r"(?<![a-z])(?:said|says|announced)\b", f)
        )
        negative = next((name for name, p in cues.STATUS_RULES if p.search(f)), None)
        talks = cues.NEGOTIATION.search(f) is not None
        if negative:
            status = negative
        elif talks:
            status = "InNegotiation"
        elif hedged:
            status = "Rumoured"
        elif status is None:
            if cues.LOI.search(f):
                status = "LetterOfIntent"
            elif cues.DONE.search(f):
                status = "Completed"
            elif cues.SIGNED.search(f):
                status = "DefinitiveAgreement"
            elif cues.ANNOUNCED.search(f):
                status = "Announced"
            else:
                status, default = "Announced", True
        if hedged:
            confidence = min(confidence, 0.5)
        elif talks:
            confidence = min(confidence, 0.6)
        negated = bool(cues.NEGATION.search(f[max(0, t - 12) : t]))
        if negated:
            status, confidence = "Denied", min(confidence, 0.3)
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
        deal.amount = amount if amount is not None else self.nearest(ctx, t, ("money",))
        if deal.amount is not None and deal.amount.kind == "number":
            deal.amount = _as_money(deal.amount, self.article.currency)
        deal.capacity = self.nearest(ctx, t, ("power",))
        deal.chip_count = self.nearest(ctx, t, ("count",))
        deal.duration = self.nearest(ctx, t, ("duration",))
        if deal.amount is None and deal_type in ("Investment", "FundingRound"):
            bare = self.nearest(ctx, t, ("number",))
            if bare is not None and bare.value is not None and bare.value >= 10**6:
                deal.amount = _as_money(bare, self.article.currency)
        return deal

    @staticmethod
    def nearest(ctx: SentenceContext, t: int, kinds: tuple[str, ...]) -> Quantity | None:
        found = [q for q in ctx.quantities if q.kind in kinds]
        if not found:
            return None
        return min(
            found, key=lambda q: abs(ctx.local(q.start) - t) + (0 if ctx.local(q.start) >= t else 5)
        )

    def add(self, deal: Deal) -> None:
        if deal.type == "FundingRound":
            for other in self.deals:
                if (
                    other.type == "FundingRound"
                    and other.roles["investee"] == deal.roles["investee"]
                ):
                    investors = other.roles.setdefault("investor", [])
                    investors += [r for r in deal.roles.get("investor", []) if r not in investors]
                    if other.amount is None:
                        other.amount = deal.amount
                    _merge(other, deal)
                    return
        if any(
            _settled_against_failed(deal, other)
            for other in self.deals
            if other.type == deal.type and other.refs() == deal.refs()
        ):
            self.deals.append(deal)  # a stake held now, after a commitment that failed
            return
        for other in self.deals:
            if (
                other.type == deal.type
                and other.symmetric == deal.symmetric
                and other.parties() == deal.parties()
                and _compatible(other, deal)
            ):
                _merge(other, deal)
                return
        self.deals.append(deal)

    def status_only(self, ctx: SentenceContext, parties: list[Party]) -> None:
        """A sentence that names no deal but denies, withdraws, cancels or stalls one."""
        status = None
        for name, pattern in cues.STATUS_RULES:
            hit = pattern.search(ctx.folded)
            if hit and not cues.NEGATED.search(ctx.folded[max(0, hit.start() - 10) : hit.start()]):
                status = name
                break
        if status is None or not self.deals:
            return
        names = {p.ref for p in parties}
        names |= {m.entity.affiliated for m in ctx.people if m.entity.affiliated}
        recent = [d for d in self.deals if ctx.index - d.sentence <= 12]
        target = None
        if names:
            matching = [d for d in recent if names & d.refs()]
            target = matching[0] if matching else None
        elif recent and ctx.index - recent[-1].sentence <= 3:
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
        for other in reversed(self.article.sentences[max(0, ctx.index - 2) : ctx.index]):
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
                    for o in self.deals
                    if not o.symmetric
                    and o.type == deal.type
                    and o.refs() == deal.refs()
                    and _compatible(o, deal)
                ),
                None,
            )
            if host is not None:
                _merge(host, deal)
        self.deals = keep

    def continuation(self, ctx: SentenceContext, parties: list[Party]) -> None:
        """A sentence right after a deal's, naming no other party: its chips and start date."""
        last = [d for d in self.deals if d.sentence == ctx.index - 1]
        if len(last) != 1 or any(p.ref not in last[0].refs() for p in parties):
            return
        deal = last[0]
        added = False
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

    def link_rounds(self) -> None:
        rounds = [i for i, d in enumerate(self.deals) if d.type == "FundingRound"]
        for deal in self.deals:
            if deal.type != "Investment":
                continue
            for r in rounds:
                rnd = self.deals[r]
                # a part made with its round stays with it when the round merged into an
                # earlier mention of the same round
                near = deal.part_of == -1 or abs(rnd.sentence - deal.sentence) <= 1
                if not near or rnd.roles.get("investee") != deal.roles.get("investee"):
                    continue
                if deal.part_of is None and deal.statuses[0][0] not in _UNSETTLED:
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

    def fold_supply_into_compute(self) -> None:
        keep: list[Deal] = []
        for deal in self.deals:
            host = next(
                (
                    o
                    for o in self.deals
                    if o.type == "ComputeContract"
                    and deal.type == "SupplyAgreement"
                    and not deal.negated
                    and o.roles.get("buyer") == deal.roles.get("buyer")
                    and o.roles.get("supplier") == deal.roles.get("supplier")
                ),
                None,
            )
            if host is not None:
                _merge(host, deal)
                continue
            keep.append(deal)
        self.deals = keep

    def drop_shadowed_partnerships(self) -> None:
        """ "Cooperation" that names the parties of other deals is those deals, unless it is a
        joint development or a datacenter project of its own."""
        keep: list[Deal] = []
        others = [d for d in self.deals if d.type != "Partnership"]
        for deal in self.deals:
            own = deal.method == "partnership-joint" or bool(deal.datacenters)
            if deal.type != "Partnership" or own:
                keep.append(deal)
                continue
            refs = deal.refs()
            hosts = [o for o in others if refs <= o.refs()]
            if hosts:
                _merge(hosts[0], deal)
                continue
            covered = all(
                any(r in o.refs() and len(o.refs() & refs) >= 2 for o in others) for r in refs
            )
            if not covered:
                keep.append(deal)
        self.deals = keep


def _as_money(q: Quantity, currency: str) -> Quantity:
    return Quantity(
        kind="money",
        unit=currency,
        start=q.start,
        end=q.end,
        value=q.value,
        min_value=q.min_value,
        max_value=q.max_value,
        bound=q.bound,
    )


_UNSETTLED = ("Rumoured", "InNegotiation")


def _settled_against_failed(a: Deal, b: Deal) -> bool:
    done = any(status == "Completed" for status, _ in a.statuses)
    return done and any(status in _NEGATIVE for status, _ in b.statuses)


_NEGATIVE = frozenset(name for name, _ in cues.STATUS_RULES)


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


def _compatible(a: Deal, b: Deal) -> bool:
    """Two mentions can be one deal: their amounts agree, both or neither are part of a round,
    and one is not reported done while the other was denied, withdrawn, cancelled or stalled
    (a stake held now is another deal than the commitment that fell through)."""
    if _settled_against_failed(a, b) or _settled_against_failed(b, a):
        return False
    if a.amount is not None and b.amount is not None:
        x, y = a.amount.point, b.amount.point
        if x and abs(x - y) > abs(x) / 100:
            return False
    return (a.part_of is None) == (b.part_of is None)


def _merge(into: Deal, other: Deal) -> None:
    for span in other.evidence:
        if span not in into.evidence:
            into.evidence.append(span)
    for name in ("amount", "capacity", "chip_count", "duration", "date", "start_date"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(other, name))
    for ref in other.products:
        if ref not in into.products:
            into.products.append(ref)
    for ref in other.datacenters:
        if ref not in into.datacenters:
            into.datacenters.append(ref)
    _merge_statuses(into, other)
    into.conditions += [c for c in other.conditions if c not in into.conditions]
    into.confidence = max(into.confidence, other.confidence)


def find_deals(article: ArticleContext) -> list[Deal]:
    """The deals of an article, merged where one deal is named in several sentences."""
    return _Engine(article).run()


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


def _merge_statuses(into: Deal, other: Deal) -> None:
    """Negative statuses (denied, withdrawn ...) are all kept; of the positive ones the most
    specific wins, and a status no word supported never replaces one that a word did."""
    if other.default_status and into.statuses:
        return
    for status, as_of in other.statuses:
        if status in {s for s, _ in into.statuses}:
            continue
        if status not in cues.POSITIVE_RANK:
            into.statuses.append((status, as_of))
            continue
        positive = [(s, d) for s, d in into.statuses if s in cues.POSITIVE_RANK]
        if not positive:
            into.statuses.insert(0, (status, as_of))
        elif into.default_status or cues.POSITIVE_RANK[status] > cues.POSITIVE_RANK[positive[0][0]]:
            into.statuses[into.statuses.index(positive[0])] = (status, as_of)
    if not other.default_status:
        into.default_status = False
