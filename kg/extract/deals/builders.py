"""The builders the sentence rules of ``rules/deals.yaml`` name: each reads the roles and
figures of one kind of deal from a sentence's structure (``kg.extract.deals.roles``) and makes the
deals through ``Engine.make``. Which builder runs on which sentence, in which order, is the
table's business, not theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from kg.extract.context import SentenceContext
from kg.extract.deals import trades
from kg.extract.deals.deal import UNNAMED_LENDER, Deal, as_money
from kg.extract.deals.roles import (
    Party,
    coordinated,
    holder_roles,
    invest_roles,
    subject_of,
    unique,
)
from kg.extract.figures.quantities import Quantity
from kg.extract.tables import SentenceRule, cue

if TYPE_CHECKING:
    from kg.extract.deals.engine import Engine

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
    """The first investment trigger whose direction the markers show (the subject may be the
    topic of the sentence before: 今年稍早以…投資X); "A …，累計投資 N" with no object invests in
    the one other firm the sentence names; without either, "A 與 B 的投資" is an undirected
    investment that must find its direction elsewhere in the article."""
    f = ctx.folded
    out: list[Deal] = []
    for m in cue("invest").finditer(f):
        roles = _directed(engine, ctx, parties, m.start(), invest_roles)
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
    if first is None:
        return out
    objectless = _objectless(engine, ctx, parties, first.start(), first.end())
    if objectless is not None:
        return [engine.make(ctx, "Investment", objectless, first.start(), "investment-objectless")]
    pair = [p for p in parties if p.marker in ("与", "和", "with", "and")]
    if not pair:
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


def _directed(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    t: int,
    read: Callable[[list[Party], int, str], dict[str, list[str]] | None],
) -> dict[str, list[str]] | None:
    """Roles from the sentence, else with the topic of the sentence before as its subject."""
    roles = read(parties, t, ctx.folded)
    if roles is not None:
        return roles
    topic = engine.topic_party(ctx)
    if topic is None or topic.ref in {p.ref for p in parties if p.end <= t}:
        return None
    return read([topic, *parties], t, ctx.folded)


def _objectless(
    engine: Engine, ctx: SentenceContext, parties: list[Party], t: int, end: int
) -> dict[str, list[str]] | None:
    """ "A 成為 B 的…，累計投資 130 億美元": a figure right after the trigger and no object:
    the sentence's subject invests in the one other firm it names."""
    f = ctx.folded
    figure = any(
        q.kind in ("money", "number") and 0 <= ctx.local(q.start) - end <= 6 for q in ctx.quantities
    )
    stop = cue("clause_end").search(f, end)
    clause_end = stop.start() if stop else len(f)
    if not figure or any(end <= p.start < clause_end for p in parties):
        return None
    firms = unique([p for p in parties if not p.apposition])
    if len(firms) != 2:
        return None
    ends = [m.end() for m in cue("clause_end").finditer(f, 0, t)]
    clause_start = ends[-1] if ends else 0
    unmarked = [p for p in parties if p.marker is None and not p.apposition and p.end <= t]
    own = [p for p in unmarked if p.start >= clause_start]
    subject = own[-1:] or unmarked[:1]  # the clause's own subject, else the sentence's
    if not subject:
        return None
    investor = subject[0].ref
    del engine
    return {"investor": [investor], "investee": [r for r in firms if r != investor]}


def acquisition(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """收購 / acquire: the acquirer invests in the acquired firm (被 X 收購, acquired by X:
    passive; 完成對 X 的收購: marked; the subject may be the topic of the sentence before);
    a subsidiary it acts through (透過旗下子公司 X) invests with it."""
    f = ctx.folded
    for m in cue("acquire").finditer(f):
        roles = _directed(engine, ctx, parties, m.start(), invest_roles)
        if not roles:
            continue
        vehicle = cue("vehicle").search(f)
        if vehicle is not None:
            via = [
                p
                for p in parties
                if 0 <= p.start - vehicle.end() <= 8
                and p.ref not in roles["investee"]
                and p.ref not in roles["investor"]
            ]
            roles["investor"] += unique(via[:1])
        return [
            engine.make(
                ctx, "Investment", roles, m.start(), _method(rule, "investment-acquisition")
            )
        ]
    return []


def asset_sale(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """A 把廠房賣給 B / A sold its plant to B: B invests (buys), A is the seller (recorded as
    the investee, the other side of the investment)."""
    f = ctx.folded
    m = cue("asset_sale").search(f)
    if m is None:
        return []
    buyers = [p for p in parties if p.start >= m.end() - 3 and p.start - m.end() <= 12]
    if not buyers:
        return []
    buyer = buyers[0]
    sellers = subject_of(parties, m.start(), f, {buyer.ref})
    if not sellers:
        topic = engine.topic_party(ctx)
        sellers = [topic] if topic is not None and topic.ref != buyer.ref else []
    if not sellers:
        return []
    roles = {"investor": [buyer.ref], "investee": unique(sellers[:1])}
    return [engine.make(ctx, "Investment", roles, m.start(), _method(rule, "investment-asset"))]


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
    if not investee and cue("company_anaphor").search(f[: m.start()]):
        # 這家公司正在進行C輪融資: the firm the sentence before was about
        topic = engine.topic_party(ctx)
        investee = [topic] if topic is not None else []
    if not investee:
        return []
    reach = tables.win("round_investor_verb")
    investors: list[tuple[Party, Quantity | None]] = []
    for p in parties:
        if p.ref == investee[0].ref or p.start < m.start():
            continue
        committed = cue("round_commitment").search(f[p.end : p.end + reach])
        if committed or p.marker in ("与", "和", "with"):  # a round "with" X: X invests
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


def borrowing(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """A firm borrows a sum from lenders the sentence does not name (it issues bonds, seeks
    loans): the borrower is the subject of the borrowing, else the firm of the last sentences;
    the lender is ``UNNAMED_LENDER``, declared in the draft for a person to name. Without a sum
    of money in the sentence there is no deal (a plan to borrow more is none)."""
    f = ctx.folded
    m = cue("borrow").search(f)
    reach = engine.tables.win("borrowed_sum")
    if m is None or not any(
        q.kind == "money"
        and m.start() - reach <= ctx.local(q.start)
        and ctx.local(q.end) <= m.end() + reach
        for q in ctx.quantities
    ):
        return []
    firms = [p for p in parties if p.mention.entity.kind == "firm"]
    borrowers = unique(subject_of(firms, m.start(), f, set()))
    if not borrowers:
        borrowers = engine.topic(ctx, exclude=set())
    if not borrowers:
        return []
    roles = {"lender": [UNNAMED_LENDER], "borrower": borrowers[:1]}
    return [engine.make(ctx, "Financing", roles, m.start(), _method(rule, "financing-borrowing"))]


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
    licensors = sorted(
        (
            p
            for p in states
            if p.marker not in ("向", "对", "到", "to", "into")
            and not re.search(r"(?:出口|export\w*)\s*(?:到|至|to)?\s*$", f[: p.start])
        ),
        key=lambda p: p.mention.entity.kind != "agency",
    )
    products = ctx.things("chip", "architecture")
    first_firm = next((p for p in parties if p.mention.entity.kind == "firm"), None)
    firms = unique(coordinated(parties, first_firm, f)) if first_firm is not None else []
    firms = [r for r in firms if r.startswith("firm/")]
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
    out: list[Deal] = []
    for firm in firms:
        roles = {"licensor": licensor, "licensee": [firm]}
        # the other states take part in no role of their own: the destination
        own = {engine.agency_country.get(ref, ref) for ref in licensor}
        going = unique([p for p in states if p.ref not in licensor and p.ref not in own])
        if going:
            roles["party"] = going
        deal = engine.make(
            ctx, "ExportLicence", roles, m.start(), _method(rule, "export-licence"),
            status="Completed",
        )  # fmt: skip
        deal.conditions = _conditions(engine, ctx)
        if not deal.conditions and previous and cue("same_terms").search(f):
            deal.conditions = list(previous[-1].conditions)
        out.append(deal)
    return out


def similar_licence(
    engine: Engine, ctx: SentenceContext, parties: list[Party], rule: SentenceRule, _: list[Deal]
) -> list[Deal]:
    """超微也獲得類似許可 / AMD received a similar licence: the licensor, destination and
    conditions of the licence before, for the firm this sentence names."""
    previous = [d for d in engine.deals if d.type == "ExportLicence"]
    firms = [p.ref for p in parties if p.mention.entity.kind == "firm"]
    m = cue("similar_licence").search(ctx.folded)
    if not previous or not firms or m is None:
        return []
    last = previous[-1]
    if firms[0] in last.roles.get("licensee", []):
        return []
    roles = {k: list(v) for k, v in last.roles.items() if k != "licensee"}
    roles["licensee"] = firms[:1]
    deal = engine.make(
        ctx, "ExportLicence", roles, m.start(), _method(rule, "export-licence-similar"),
        status="Completed",
    )  # fmt: skip
    deal.conditions = list(last.conditions)
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
    "acquisition": acquisition,
    "asset_sale": asset_sale,
    "funding_round": funding_round,
    "financing": financing,
    "borrowing": borrowing,
    "trade": trades.trade,
    "agreement": trades.agreement,
    "role_noun": trades.role_noun,
    "partnership": trades.partnership,
    "licence": licence,
    "similar_licence": similar_licence,
}
