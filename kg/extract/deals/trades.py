"""Builders for trades and cooperation: purchases and supply, compute contracts, agreements
"with" a party, the role one firm plays for another (customer, supplier, partner), and
partnerships (joint ventures, joint projects, one partnership with each of several).

Which kind a trade is: chips or hardware make a supply agreement; cloud services a compute
contract; compute capacity a compute contract, unless the supplier is a merchant chip vendor
(``merchant_chip_types`` in ``rules/deals.yaml``), whose compute is its systems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import SentenceContext
from kg.extract.deals.deal import Deal
from kg.extract.deals.roles import Party, coordinated, subject_of, trade_roles, unique
from kg.extract.tables import SentenceRule, cue

if TYPE_CHECKING:
    from kg.extract.deals.engine import Engine

__all__ = ["agreement", "partnership", "role_noun", "trade", "trade_type"]


def trade_type(
    engine: Engine, ctx: SentenceContext, suppliers: list[str], text: str, *, wide: str = ""
) -> str | None:
    """SupplyAgreement, ComputeContract or None, from the words of ``text`` (the trade's
    object), then of ``wide`` (around it), and the supplier."""
    for words in (text, wide):
        if not words:
            continue
        if cue("access_words").search(words):
            return "ComputeContract"  # access to chips, chips leased: compute bought
        if cue("chip_words").search(words):
            return "SupplyAgreement"
        if cue("power_words").search(words):
            return "SupplyAgreement"  # electricity bought (a power purchase agreement)
        if cue("cloud_words").search(words):
            return "ComputeContract"
        if cue("compute_words").search(words):
            vendor = any(ref in engine.chip_vendors for ref in suppliers)
            return "SupplyAgreement" if vendor else "ComputeContract"
    if ctx.things("chip", "architecture"):
        return "SupplyAgreement"
    if any(ref in engine.chip_vendors for ref in suppliers):
        return "SupplyAgreement"  # what a chip vendor sells its customers is chips
    return None


# -- purchases and supply ------------------------------------------------------------------------
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
    f = ctx.folded
    for deal in _trades(engine, ctx, parties):
        host = next(
            (
                d
                for d in found
                if d.type == "Investment"
                and d.refs() == deal.refs()
                and not cue("sequence").search(f, *sorted((d.trigger, deal.trigger)))
            ),
            None,
        )
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
    # (position, a buy-verb, only to a marked buyer, sells capacity)
    verbs = [(m.start(), True, False, False) for m in cue("buy").finditer(f)]
    verbs += [(m.start(), False, False, False) for m in cue("sell").finditer(f)]
    verbs += [(m.start(), False, True, False) for m in cue("make_for").finditer(f)]
    verbs += [(m.start(), False, True, True) for m in cue("deploy_for").finditer(f)]
    verbs += [(m.start(), True, False, False) for m in cue("order").finditer(f)]
    verbs.sort()
    out: list[Deal] = []
    clauses_done: set[int] = set()
    clause_end = cue("clause_end")
    for t, buying, strict, capacity in verbs:
        ends = [m.end() for m in clause_end.finditer(f, 0, t)]
        clause = ends[-1] if ends else 0
        if clause in clauses_done:
            continue
        stop = clause_end.search(f, t)
        if out and not any(clause <= p.start < (stop.start() if stop else len(f)) for p in parties):
            continue  # a clause with no party of its own continues the trade before it
        roles = trade_roles(parties, t, f, buying=buying, strict=strict)
        if roles is None:
            continue
        stop = clause_end.search(f, t)
        obj = f[t : stop.start() if stop else len(f)]
        if cue("money_object").search(obj[1:]):
            continue  # 提供投資金額: money provided, no trade
        things = [
            m
            for m in ctx.mentions
            if m.entity.kind in ("chip", "architecture") and t <= ctx.local(m.start) < t + len(obj)
        ]
        before, after = tables.win("trade_type_before"), tables.win("trade_type_after")
        deal_type = "SupplyAgreement" if things and not cue("access_words").search(obj) else None
        deal_type = deal_type or trade_type(
            engine, ctx, roles["supplier"], obj, wide=f[max(0, t - before) : t + after]
        )
        if capacity and deal_type is not None:
            # deploy / build: chips named first are goods; capacity, compute of a chip
            # vendor's systems, otherwise a compute contract
            chip, infra = cue("chip_words").search(obj), cue("infrastructure_words").search(obj)
            vendor = any(ref in engine.chip_vendors for ref in roles["supplier"])
            if infra is not None and (chip is None or infra.start() < chip.start()):
                deal_type = "SupplyAgreement" if vendor else "ComputeContract"
        if deal_type is None and cue("order").search(f):
            deal_type = "SupplyAgreement"
        if deal_type is None:
            continue
        for ref in roles["supplier"]:
            engine.suppliers.setdefault(deal_type, set()).add(ref)
        clauses_done.add(clause)
        method = f"{deal_type[0].lower()}{deal_type[1:]}-" + ("buy" if buying else "sell")
        out.append(engine.make(ctx, deal_type, roles, t, method))
    return out


def agreement(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    rule: SentenceRule,
    found: list[Deal],
) -> list[Deal]:
    """A signed (or priced) agreement, contract or order between two firms, its kind from the
    words of this sentence or the next: the party "with" is the supplier, the subject buys."""
    f = ctx.folded
    signed = (
        cue("signed").search(f)
        or cue("agreement_reached").search(f)
        or any(q.kind == "money" for q in ctx.quantities)
    )
    with_marked = [p for p in parties if p.marker in ("与", "和", "跟", "同", "with")]
    if not signed or (len(unique(parties)) < 2 and not with_marked):
        return []
    following = engine.next_sentence(ctx)
    known = engine.suppliers.get("ComputeContract", set())
    out: list[Deal] = []
    made: set[frozenset[str]] = {frozenset(d.refs()) for d in found}
    for m in cue("contract").finditer(f):
        # the party "with" nearest the agreement word, in its clause
        near = [
            p
            for p in with_marked
            if abs(p.start - m.start()) <= engine.tables.win("agreement_party")
        ]
        if near:
            supplier = [min(near, key=lambda p: abs(p.start - m.start())).ref]
            anchor = next(p for p in parties if p.ref == supplier[0])
            buyer = unique(subject_of(parties, anchor.start, f, set(supplier)))[:1]
            end = cue("clause_end").search(f, anchor.end)
            clause_end = end.start() if end else len(f)
            implied = not buyer and not [
                p for p in parties if p.end <= anchor.start or anchor.end <= p.start < clause_end
            ]
            if implied:
                # the subject left out (與 B 的合約達 N, "its contract with B"): the firm the
                # article was about in the sentences before
                buyer = engine.topic(ctx, exclude=set(supplier))[:1]
        else:
            implied = False
            refs = unique(parties)
            supplier = [r for r in refs[:2] if r in known] or refs[1:2]
            buyer = [r for r in refs[:2] if r not in supplier][:1]
        if not buyer or not supplier or frozenset({*buyer, *supplier}) in made:
            continue
        end = cue("clause_end").search(f, m.end())
        own = f[max(0, m.start() - 40) : end.start() if end else len(f)]
        wide = following.folded if following is not None else f
        if implied and (before := engine.previous_sentence(ctx)) is not None:
            wide += before.folded  # the sentence before says what the topic firm sells
        deal_type = trade_type(engine, ctx, supplier, own, wide=wide)
        if deal_type is None:
            continue
        made.add(frozenset({*buyer, *supplier}))
        out.append(
            engine.make(
                ctx,
                deal_type,
                {"buyer": buyer, "supplier": supplier},
                m.start(),
                rule.method or "agreement",
                confidence=engine.tables.conf("signed_compute_contract"),
            )
        )
    return out


def role_noun(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    rule: SentenceRule,
    found: list[Deal],
) -> list[Deal]:
    """A 是 B 的客戶 / A is B's fourth XPU customer / 作為 B 的合作夥伴，A …: the role A
    plays for B. A customer buys from B, a supplier sells to B, a partner is a partner."""
    f = ctx.folded
    reach = engine.tables.win("role_noun_owner")
    out: list[Deal] = []
    for m in cue("role_noun").finditer(f):
        t = m.start()
        owners = [p for p in parties if p.end <= t and t - p.end <= reach]
        if not owners:
            continue
        owner = owners[-1]
        between = f[owner.end : t]
        if cue("clause_end").search(between):
            continue
        holder = _holder(engine, ctx, parties, owner, t, m.end())
        if holder is None or holder.ref == owner.ref:
            continue
        gap = f[min(holder.end, owner.end) : owner.start] if holder.end <= owner.start else ""
        status = rule.status if cue("present_copula").search(gap) else None
        noun = m.group(0)
        wide = f[max(0, owner.start - 20) : m.end()]
        if any(w in noun for w in ("伙伴", "partner")):
            out.append(
                engine.make(
                    ctx,
                    "Partnership",
                    {"participant": [holder.ref, owner.ref]},
                    t,
                    "partnership-role",
                    status=status,
                )
            )
            continue
        if any(w in noun for w in ("客户", "customer", "client")):
            buyer, supplier = holder.ref, owner.ref
        else:
            buyer, supplier = owner.ref, holder.ref
        deal_type = trade_type(engine, ctx, [supplier], wide, wide=f)
        if deal_type is None:
            continue
        out.append(
            engine.make(
                ctx,
                deal_type,
                {"buyer": [buyer], "supplier": [supplier]},
                t,
                rule.method or "role-noun",
                status=status,
            )
        )
    return out


def _holder(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    owner: Party,
    t: int,
    noun_end: int,
) -> Party | None:
    """Who plays the role: the subject joined by a copula before the owner (A 是 B 的…, A is
    B's …), or the subject of the next clause after "作為 B 的…，"."""
    f = ctx.folded
    before = [p for p in parties if p.end <= owner.start and not p.apposition]
    if before:
        gap = f[before[-1].end : owner.start]
        if cue("copula").search(gap) and not cue("clause_end").search(gap):
            return before[-1]
    head = f[max(0, owner.start - 6) : owner.start]
    if cue("copula").search(head) and not before:
        after = [p for p in parties if p.start >= noun_end and not p.apposition]
        if after and cue("clause_end").search(f[noun_end : after[0].start]):
            return after[0]
    del engine
    return None


# -- partnerships --------------------------------------------------------------------------------
def partnership(
    engine: Engine,
    ctx: SentenceContext,
    parties: list[Party],
    rule: SentenceRule,
    _: list[Deal],
) -> list[Deal]:
    """The parties around a cooperation word: the one marked "with" and its coordinated ones,
    with the subject (one partnership with each when the words say so: "partnerships with A,
    B and C", 分別與); a joint development, venture or project takes every party of the
    sentence if need be, and the group that acts together (A、B與C共同宣布)."""
    f = ctx.folded
    cues = rule.when or ("partner",)
    hit = None
    for name in cues:
        hit = cue(name).search(f)
        if hit is not None:
            break
    if hit is None:
        return []
    method = rule.method or "partnership"
    if "jointly" in cues:
        group = [p for p in parties if p.end <= hit.start()]
        refs = unique(coordinated(parties, group[-1], f)) if group else []
        if len(refs) < 2:
            refs = unique(group)
    else:
        refs = _partners(engine, parties, hit.start(), f)
    if len(refs) < 2 and method == "partnership-joint":
        refs = unique(parties)
    if len(refs) < 2:
        return []
    split = cue("distributive").search(f)
    if split is not None:
        subject = [p for p in parties if p.end <= split.start()]
        partners = [p for p in parties if p.start >= split.start()]
        if subject and len(unique(partners)) >= 2:
            head = unique(subject[-1:])
            return [
                engine.make(ctx, "Partnership", {"participant": [*head, ref]}, hit.start(), method)
                for ref in unique(coordinated(parties, partners[0], f))
                if ref not in head
            ]
    return [engine.make(ctx, "Partnership", {"participant": refs}, hit.start(), method)]


def _partners(engine: Engine, parties: list[Party], t: int, f: str) -> list[str]:
    """The partner marked "with" (與 / 和 / with) nearest before the cooperation word (else
    the first after it), its coordinated ones, and the subject before them: in "A 和 B 將和 C
    聯手", C is the partner of A and B."""
    near = [p for p in parties if abs(p.start - t) < engine.tables.win("partner_reach")]
    marked = [p for p in near if p.marker in ("与", "和", "跟", "同", "with", "and", "between")]
    before = [p for p in marked if p.end <= t]
    chosen = before[-1] if before else (marked[0] if marked else None)
    if chosen is not None:
        group = coordinated(parties, chosen, f)
        subject = subject_of(parties, group[0].start, f, {g.ref for g in group})
        return unique(subject + group)
    return unique([p for p in near if p.end <= t])[-2:] if near else []
