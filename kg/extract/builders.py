"""The builders the sentence rules of ``rules/deals.yaml`` name: each reads the roles and
figures of one kind of deal from a sentence's structure (``kg.extract.roles``) and makes the
deals through ``Engine.make``. Which builder runs on which sentence, in which order, is the
table's business, not theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from kg.extract.context import SentenceContext
from kg.extract.deal import Deal, as_money
from kg.extract.quantities import Quantity
from kg.extract.roles import (
    Party,
    coordinated,
    holder_roles,
    invest_roles,
    subject_of,
    trade_roles,
    unique,
)
from kg.extract.tables import SentenceRule, cue

if TYPE_CHECKING:
    from kg.extract.deals import Engine

__all__ = ["BUILD"]

Builder = Callable[["Engine", SentenceContext, list[Party], SentenceRule, list[Deal]], list[Deal]]


def _method(rule: SentenceRule, default: str) -> str:
    return rule.method or default


# -- investments ---------------------------------------------------------------------------------
def holder(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """X 是 A、B 的投資者 / X is an investor in A and B: one investment per investee."""
    f = ctx.folded
    hit = cue("holder").search(f)
    if hit is None:
        return []
    roles = holder_roles(parties, hit.start(), f)
    if not roles:
        return []
    return [
        engine.make(
            ctx,
            "Investment",
            {"investor": roles["investor"], "investee": [investee]},
            hit.start(),
            _method(rule, "investment-holder"),
            status=rule.status,
        )
        for investee in roles["investee"]
    ]


def backing(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """有 A 和 B 的資金支持: A and B each back the sentence's subject."""
    f = ctx.folded
    support = cue("support").search(f)
    if support is None:
        return []
    backers = [p for p in parties if p.end <= support.start()]
    if not backers:
        return []
    group = coordinated(parties, backers[-1], f)
    subject = subject_of(parties, group[0].start, f, {g.ref for g in group})
    return [
        engine.make(
            ctx,
            "Investment",
            {"investor": [investor], "investee": [investee]},
            support.start(),
            _method(rule, "investment-backing"),
            status=rule.status,
        )
        for investor in unique(group)
        for investee in unique(subject[:1])
    ]


def investment(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """The first investment trigger whose direction the markers show; without one, "A 與 B 的
    投資" is an undirected investment that must find its direction elsewhere in the article."""
    f = ctx.folded
    out: list[Deal] = []
    for m in cue("invest").finditer(f):
        roles = invest_roles(parties, m.start(), f)
        if not roles:
            continue
        many = len(roles["investor"]) > 1
        for investor in roles["investor"]:
            own = _own_amount(engine, ctx, parties, investor, m.start()) if many else None
            out += [
                engine.make(
                    ctx,
                    "Investment",
                    {"investor": [investor], "investee": [investee]},
                    m.start(),
                    _method(rule, "investment"),
                    amount=own,
                )
                for investee in roles["investee"]
            ]
        return out
    first = cue("invest").search(f)
    pair = [p for p in parties if p.marker in ("与", "和", "with", "and")]
    if first is None or not pair:
        return out
    group = coordinated(parties, pair[0], f)
    if len({g.ref for g in group}) == 2:
        refs = unique(group)
        deal = engine.make(
            ctx,
            "Investment",
            {"investor": refs[:1], "investee": refs[1:]},
            first.start(),
            "investment-undirected",
            confidence=engine.tables.conf("undirected"),
        )
        deal.symmetric = True
        out.append(deal)
    return out


def _own_amount(
    engine: Engine, ctx: SentenceContext, parties: list[Party], investor: str, t: int
) -> Quantity | None:
    """The figure after a later mention of this investor ("其中 A 投資 x、B 投資 y")."""
    reach = engine.tables.win("own_figure_after_investor")
    for p in parties:
        if p.ref != investor or p.start < t:
            continue
        if not cue("own_commitment").search(ctx.folded[p.end : p.end + reach]):
            continue
        for q in ctx.quantities:
            if q.kind in ("money", "number") and 0 <= ctx.local(q.start) - p.end < reach:
                return as_money(q, engine.article.currency) if q.kind == "number" else q
    return None


def funding_round(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """A round (its investee inside or just before the round words, or the subject of
    "raise") and one ``Investment`` part per investor that commits to it."""
    f = ctx.folded
    m = cue("round").search(f)
    if m is None:
        return []
    t = m.start()
    tables = engine.tables
    inside = [p for p in parties if m.start() <= p.start < m.end()]
    near = [p for p in parties if p.end <= t and t - p.end < tables.win("round_investee_before")]
    investee = (inside or near or subject_of(parties, t, f, set()))[:1]
    if not investee:
        return []
    reach = tables.win("round_investor_verb")
    investors: list[tuple[Party, Quantity | None]] = []
    for p in parties:
        if p.ref == investee[0].ref or p.start < m.start():
            continue
        if cue("round_commitment").search(f[p.end : p.end + reach]):
            money = next(
                (
                    q
                    for q in ctx.quantities
                    if q.kind in ("money", "number") and 0 <= ctx.local(q.start) - p.end < reach
                ),
                None,
            )
            investors.append((p, money))
    first_investor = investors[0][0].start if investors else len(f)
    total = next(
        (
            q
            for q in ctx.quantities
            if q.kind in ("money", "number") and ctx.local(q.start) < first_investor
        ),
        None,
    )
    roles = {"investee": [investee[0].ref]}
    if investors:
        roles["investor"] = unique([p for p, _ in investors])
    out = [engine.make(ctx, "FundingRound", roles, t, _method(rule, "funding-round"), amount=total)]
    for p, money in investors:
        part = engine.make(
            ctx,
            "Investment",
            {"investor": [p.ref], "investee": [investee[0].ref]},
            p.start,
            "funding-round-part",
            amount=money,
        )
        part.part_of = -1  # linked in Engine.link_rounds
        out.append(part)
    return out


# -- financing -----------------------------------------------------------------------------------
def financing(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """The lender named as such, the subject of "lend", or the party marked "from"; the
    borrower the party marked "to / for", another firm, or the firm of the last sentences."""
    f = ctx.folded
    m = cue("financing").search(f)
    if m is None:
        return []
    lenders: list[str] = []
    borrowers: list[str] = []
    noun = cue("lender_noun").search(f)
    if noun:
        close = sorted(
            parties, key=lambda p: min(abs(p.start - noun.end()), abs(noun.start() - p.end))
        )
        if close:
            lenders = [close[0].ref]
    lend = cue("lend_verb").search(f)
    if lend and not lenders:
        lenders = unique(subject_of(parties, lend.start(), f, set()))
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
    if not borrowers and not cue("customers").search(f):
        borrowers = engine.topic(ctx, exclude=set(lenders))
    if not lenders or not borrowers:
        return []
    roles = {"lender": lenders[:1], "borrower": borrowers[:1]}
    return [engine.make(ctx, "Financing", roles, m.start(), _method(rule, "financing"))]


# -- trade ---------------------------------------------------------------------------------------
def trade(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    rule: SentenceRule,
    found: list[Deal],
) -> list[Deal]:
    """Buy- and sell-verbs: a supply agreement when the object is chips or hardware, a compute
    contract when it is cloud or compute capacity; a trade between an investment's parties
    adds its figures to that investment."""
    out: list[Deal] = []
    for deal in _trades(engine, ctx, parties):
        host = next((d for d in found if d.type == "Investment" and d.refs() == deal.refs()), None)
        if host is None:
            out.append(deal)
            continue
        for name in ("capacity", "chip_count"):
            if getattr(host, name) is None:
                setattr(host, name, getattr(deal, name))
    del rule
    return out


def _trades(engine: Engine, ctx: SentenceContext, parties: list[Party]) -> list[Deal]:
    f = ctx.folded
    tables = engine.tables
    verbs = [(m.start(), True) for m in cue("buy").finditer(f)]
    verbs += [(m.start(), False) for m in cue("sell").finditer(f)]
    verbs += [(m.start(), True) for m in cue("order").finditer(f)]
    verbs.sort()
    out: list[Deal] = []
    clauses_done: set[int] = set()
    clause_end = cue("clause_end")
    for t, buying in verbs:
        ends = [m.end() for m in clause_end.finditer(f, 0, t)]
        clause = ends[-1] if ends else 0
        if clause in clauses_done:
            continue
        roles = trade_roles(parties, t, f, buying=buying)
        if roles is None:
            continue
        stop = clause_end.search(f, t)
        obj = f[t : stop.start() if stop else len(f)]
        things = [
            m
            for m in ctx.mentions
            if m.entity.kind in ("chip", "architecture") and t <= ctx.local(m.start) < t + len(obj)
        ]
        if things or cue("chip_words").search(obj):
            deal_type = "SupplyAgreement"
        elif cue("compute_words").search(obj):
            deal_type = "ComputeContract"
        else:
            window = f[
                max(0, t - tables.win("trade_type_before")) : t + tables.win("trade_type_after")
            ]
            if cue("compute_words").search(window):
                deal_type = "ComputeContract"
            elif (
                cue("chip_words").search(window)
                or ctx.things("chip", "architecture")
                or cue("order").search(f)
            ):
                deal_type = "SupplyAgreement"
            else:
                continue
        for ref in roles["supplier"]:
            engine.suppliers.setdefault(deal_type, set()).add(ref)
        clauses_done.add(clause)
        method = f"{deal_type[0].lower()}{deal_type[1:]}-" + ("buy" if buying else "sell")
        out.append(engine.make(ctx, deal_type, roles, t, method))
    if out:
        return out
    m = cue("contract").search(f)
    signed = cue("signed").search(f) or any(q.kind == "money" for q in ctx.quantities)
    if m and signed and cue("compute_words").search(f) and len({p.ref for p in parties}) >= 2:
        refs = unique(parties)[:2]
        known = engine.suppliers.get("ComputeContract", set())
        supplier = [r for r in refs if r in known] or refs[1:]
        buyer = [r for r in refs if r not in supplier]
        if buyer and supplier:
            return [
                engine.make(
                    ctx,
                    "ComputeContract",
                    {"buyer": buyer[:1], "supplier": supplier[:1]},
                    m.start(),
                    "compute-contract",
                    confidence=tables.conf("signed_compute_contract"),
                )
            ]
    return []


# -- partnerships --------------------------------------------------------------------------------
def partnership(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """The parties around a cooperation word: the one marked "with" and its coordinated ones,
    with the subject; a joint development takes every party of the sentence if need be."""
    f = ctx.folded
    joint = cue("joint").search(f)
    hit = joint or cue("partner").search(f)
    if hit is None:
        return []
    refs = _partners(engine, parties, hit.start(), f)
    if len(refs) < 2 and joint:
        refs = unique(parties)
    if len(refs) < 2:
        return []
    return [
        engine.make(
            ctx, "Partnership", {"participant": refs}, hit.start(), _method(rule, "partnership")
        )
    ]


def _partners(engine: Engine, parties: list[Party], t: int, f: str) -> list[str]:
    near = [p for p in parties if abs(p.start - t) < engine.tables.win("partner_reach")]
    for p in near:
        if p.marker in ("与", "和", "跟", "同", "with", "and", "between"):
            group = coordinated(parties, p, f)
            subject = subject_of(parties, group[0].start, f, {g.ref for g in group})
            return unique(subject + group)
    return unique([p for p in near if p.end <= t])[-2:] if near else []


# -- export licences -----------------------------------------------------------------------------
def licence(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """The licensor is the agency or country named (not the destination after 向 / to), else
    the licensor of the previous licence, else the US government; the licensee is the firm
    named, else the designer of the chip; conditions from this sentence and the next ones."""
    f = ctx.folded
    m = cue("licence").search(f) or cue("export").search(f)
    if m is None:
        return []
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
            entity = engine.article.lexicon.entity(product)
            if entity is not None and entity.designed_by:
                firms.append(entity.designed_by)
                break
    if not firms:
        return []
    licensor = unique(licensors[:1])
    previous = [d for d in engine.deals if d.type == "ExportLicence"]
    if not licensor and previous:
        licensor = previous[-1].roles["licensor"]
    if not licensor and cue("government").search(f):
        licensor = ["country/us"]
    if not licensor:
        return []
    deal = engine.make(
        ctx,
        "ExportLicence",
        {"licensor": licensor, "licensee": firms[:1]},
        m.start(),
        _method(rule, "export-licence"),
        status="Completed",
    )
    deal.conditions = _conditions(engine, ctx)
    if not deal.conditions and previous and cue("same_terms").search(f):
        deal.conditions = list(previous[-1].conditions)
    return [deal]


def _conditions(engine: Engine, ctx: SentenceContext) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    reach = engine.tables.win("licence_condition_sentences")
    for other in engine.article.sentences[ctx.index : ctx.index + reach]:
        f = other.folded
        if other is not ctx and cue("export").search(f) and cue("licence").search(f):
            break
        for condition in engine.tables.conditions:
            hit = condition.pattern.search(f)
            if hit is None or condition.kind in seen:
                continue
            seen.add(condition.kind)
            entry: dict[str, object] = {"conditionKind": condition.kind}
            percents = [q for q in other.quantities if q.kind == "percent"]
            if condition.takes_percent and percents:
                best = min(percents, key=lambda q: abs(other.local(q.start) - hit.start()))
                entry["quantity"] = best.record()
            out.append(entry)
    return out


#: builder name (``build:`` in the table) → builder
BUILD: dict[str, Builder] = {
    "holder": holder,
    "backing": backing,
    "investment": investment,
    "funding_round": funding_round,
    "financing": financing,
    "trade": trade,
    "partnership": partnership,
    "licence": licence,
}
