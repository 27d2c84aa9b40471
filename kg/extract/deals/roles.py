"""Party roles from a sentence's structure: the marker before each party (向 / 對 / 從 / in /
from / with / to, a passive 獲 / by), coordination (A 和 B、C / A and B) and the verb's
direction, never the order of the names alone."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from kg.extract.context import AGENT_KINDS, SentenceContext
from kg.extract.names.lexicon import Mention
from kg.extract.tables import cue, deal_tables

__all__ = [
    "Party",
    "agents",
    "coordinated",
    "holder_roles",
    "invest_roles",
    "marker_before",
    "parties_of",
    "subject_of",
    "trade_roles",
    "unique",
]


@dataclass(frozen=True, slots=True)
class Party:
    """A mention as a possible party: local offsets in the sentence, the role marker before it,
    and whether it only qualifies a person ("OpenAI's CEO", 輝達執行長): then it is nobody's
    subject."""

    mention: Mention
    start: int  # local offset in the sentence
    end: int
    marker: str | None
    apposition: bool = False
    #: named inside an appositive phrase about an earlier party ("Humain, the company set up
    #: by X, will buy": X is no subject of the verb)
    inside: bool = False

    @property
    def ref(self) -> str:
        return self.mention.ref


def parties_of(ctx: SentenceContext) -> list[Party]:
    """The agents (and people) of a sentence with the role marker before each: right before
    it, or before a descriptor of it (與市占龍頭亞馬遜, with chip start-up Cerebras)."""
    tables = deal_tables()
    out: list[Party] = []
    for m in ctx.mentions:
        if m.entity.kind not in (*AGENT_KINDS, "person") or "Publisher" in m.entity.types:
            continue  # a news source reports deals, it is no party to them
        start, end = ctx.local(m.start), ctx.local(m.end)
        alias = _bracketed_alias(ctx.folded, out[-1] if out else None, m, start, end)
        if alias is not None:
            out[-1] = alias  # 微軟(Microsoft): one party, its name in both scripts
            continue
        marker = marker_before(ctx.folded, start)
        tail = ctx.folded[end : end + tables.win("apposition_title")]
        apposition = m.entity.kind == "firm" and bool(tables.apposition.match(tail))
        out.append(Party(mention=m, start=start, end=end, marker=marker, apposition=apposition))
    return _appositives(out, ctx.folded)


#: an English appositive after a name: ", the / a / an …," up to the next comma
_APPOSITIVE = re.compile(r"\s*,\s*(?:the|a|an)\s[^,;:()]{1,100}?,")


def _appositives(parties: list[Party], folded: str) -> list[Party]:
    """Marks the parties named inside an appositive phrase about the party before them."""
    out = list(parties)
    for i, head in enumerate(parties):
        m = _APPOSITIVE.match(folded, head.end)
        if m is None:
            continue
        for j in range(i + 1, len(parties)):
            if parties[j].start >= m.end():
                break
            if parties[j].ref != head.ref:
                out[j] = dataclasses.replace(parties[j], inside=True)
    return out


def marker_before(folded: str, start: int) -> str | None:
    """The role marker right before a party at ``start`` (local), or before a descriptor of
    it."""
    tables = deal_tables()
    head = folded[max(0, start - tables.win("marker_before_party")) : start]
    mk = tables.cn_marker.search(head) or tables.en_marker.search(head)
    if mk is None:
        wide = folded[max(0, start - tables.win("descriptor_phrase")) : start]
        mk = tables.descriptor_phrase.search(wide)
    return next((g for g in mk.groups() if g), None) if mk else None


_OPEN = re.compile(r"\s*[(（]\s*")
_CLOSE = re.compile(r"\s*[)）]")


def _bracketed_alias(
    folded: str, before: Party | None, m: Mention, start: int, end: int
) -> Party | None:
    """The party ``before`` widened over ``m`` when ``m`` is its other name in brackets right
    after it (微軟(Microsoft), Nvidia（輝達）), else None."""
    if before is None or before.ref != m.ref or not _OPEN.fullmatch(folded[before.end : start]):
        return None
    close = _CLOSE.match(folded, end)
    if close is None:
        return None
    return Party(
        mention=before.mention,
        start=before.start,
        end=close.end(),
        marker=before.marker,
        apposition=before.apposition,
        inside=before.inside,
    )


def agents(parties: list[Party], kinds: tuple[str, ...]) -> list[Party]:
    """The parties of these kinds (firm, person, country, agency)."""
    return [p for p in parties if p.mention.entity.kind in kinds]


def coordinated(parties: list[Party], anchor: Party, folded: str) -> list[Party]:
    """``anchor`` with the parties coordinated with it (A 和 B、C / A and B)."""
    index = parties.index(anchor)
    group = [anchor]

    def joined(a: Party, b: Party) -> bool:  # b right after a, joined by 和 / and (or both
        # stand for one "雙方")
        if a.start == b.start and a.end == b.end:
            return True
        return bool(deal_tables().coordination.match(folded[a.end : b.start]))

    i = index
    while i > 0 and joined(parties[i - 1], parties[i]):
        group.insert(0, parties[i - 1])
        i -= 1
    i = index
    while i + 1 < len(parties) and joined(parties[i], parties[i + 1]):
        group.append(parties[i + 1])
        i += 1
    return group


def unique(parties: list[Party]) -> list[str]:
    out: list[str] = []
    for p in parties:
        if p.ref not in out:
            out.append(p.ref)
    return out


def subject_of(parties: list[Party], before: int, folded: str, exclude: set[str]) -> list[Party]:
    """The nearest unmarked party (with its coordinated ones) before ``before``."""
    people = any(q.mention.entity.kind == "person" for q in parties)
    for p in reversed([p for p in parties if p.end <= before]):
        if p.ref in exclude or (p.apposition and people) or p.inside:
            continue
        if p.marker in (None, "和", "与", "及", "、", "and", ",", "of") or p.marker is None:
            group = [
                g
                for g in coordinated(parties, p, folded)
                if g.ref not in exclude and g.end <= before
            ]
            if all(
                g.marker
                not in (
                    *deal_tables().cn_target,
                    "in",
                    "into",
                    "to",
                    "from",
                    "by",
                    "获",
                    "由",
                    "被",
                )
                for g in group[:1]
            ):
                return group
    return []


# -- role rules ----------------------------------------------------------------------------------
_POSSESSIVE = re.compile(r"^\s*(?:旗下|的|'s)[^,，、;；和与及]{0,12}$")


def invest_roles(parties: list[Party], t: int, folded: str) -> dict[str, list[str]] | None:
    before = [p for p in parties if p.end <= t]
    after = [p for p in parties if p.start >= t]
    # 被 X 收購 / investment from X; an English "by X" before the verb is an agent only in a
    # passive, which puts it after the verb ("backed by X"), not in "an attempt by X to buy"
    passive = [p for p in before if p.marker in (*deal_tables().cn_passive, "from")]
    reach = deal_tables().win("passive_by_reach")
    passive += [p for p in after if p.marker in ("by", "from") and p.start - t < reach]
    if passive:
        investors = coordinated(parties, passive[-1], folded)
        exclude = {p.ref for p in investors}
        subject = (
            subject_of(parties, passive[-1].start, folded, exclude)
            or [p for p in after if p.ref not in exclude][:1]
        )
        if subject:
            return {"investor": unique(investors), "investee": unique(subject)}
    target = [p for p in before if p.marker in ("向", "对", "给", "在", "入股", "认购")]
    if target:
        investees = coordinated(parties, target[-1], folded)
        exclude = {p.ref for p in investees}
        investors = subject_of(parties, investees[0].start, folded, exclude)
        if investors:
            return {"investor": unique(investors), "investee": unique(investees)}
    stop = cue("clause_end").search(folded, t)
    clause_end = stop.start() if stop else len(folded)
    objects = [
        p
        for p in after
        if p.marker in (None, "in", "into", "入股", "认购") and p.start < clause_end
    ]
    # 收購軟銀集團旗下的設計公司 ARM: the owner before 旗下 / 的 qualifies the head after it
    objects = [
        p
        for i, p in enumerate(objects)
        if i + 1 == len(objects) or not _POSSESSIVE.search(folded[p.end : objects[i + 1].start])
    ]
    heads = [p for p in objects if folded[max(0, p.start - 2) : p.start].endswith("的")]
    if heads and not cue("clause_end").search(folded, t, heads[0].start):
        # A 與 B 已入股的 C: C is what was invested in, by the one right before the verb
        near = [p for p in before if p.ref != heads[0].ref and not p.apposition]
        if near:
            return {"investor": [near[-1].ref], "investee": [heads[0].ref]}
    if objects:
        investees = coordinated(parties, objects[0], folded)
        exclude = {p.ref for p in investees}
        investors = subject_of(parties, t, folded, exclude)
        if investors:
            return {"investor": unique(investors), "investee": unique(investees)}
    return None


def holder_roles(parties: list[Party], t: int, folded: str) -> dict[str, list[str]] | None:
    """X 是 A、B 的投資者 / X is an investor in A and B."""
    before = [p for p in parties if p.end <= t]
    after = [p for p in parties if p.start >= t]
    if folded[t : t + 1] == "的" and before:
        investees = coordinated(parties, before[-1], folded)
        exclude = {p.ref for p in investees}
        investors = subject_of(parties, investees[0].start, folded, exclude)
        if investors:
            return {"investor": unique(investors), "investee": unique(investees)}
    if after and before:
        investees = coordinated(parties, after[0], folded)
        exclude = {p.ref for p in investees}
        investors = subject_of(parties, t, folded, exclude)
        if investors:
            return {"investor": unique(investors), "investee": unique(investees)}
    return None


def trade_roles(
    parties: list[Party], t: int, folded: str, *, buying: bool, strict: bool = False
) -> dict[str, list[str]] | None:
    """buy-verb: the marked party sells; sell-verb: the marked party buys. ``strict``: only
    a party marked as the buyer makes it a sale (為 X 打造, build for X)."""
    ends = [m.end() for m in cue("clause_end").finditer(folded, 0, t)]
    clause_start = ends[-1] if ends else 0
    before = [p for p in parties if clause_start <= p.start and p.end <= t]
    stop = cue("clause_end").search(folded, t)
    clause_end = stop.start() if stop else len(folded)
    reach = deal_tables().win("trade_object_reach")
    after = [p for p in parties if t <= p.start < clause_end] or [
        p for p in parties if t <= p.start < t + reach
    ]
    if not buying:
        rely = [p for p in parties if p.end <= t]
        if len(rely) >= 2 and cue("rely").search(folded[rely[-2].end : rely[-1].start]):
            return {"supplier": [rely[-1].ref], "buyer": [rely[-2].ref]}
    marks = (
        ("从", "向", "与", "跟", "同", "from", "with")
        if buying
        else ("向", "为", "给", "对", "to", "for", "with")
    )
    in_clause = [p for p in after if p.start < clause_end]
    marked = [p for p in before if p.marker in marks] or [
        p for p in in_clause if p.marker in marks + ((None,) if not buying else ())
    ]
    if not marked and not in_clause and not before:
        # the marked party named in an earlier clause (與 A 達成合作，簽下…採購協議)
        marked = [p for p in parties if p.end <= clause_start and p.marker in marks][-1:]
    if not marked:  # a party marked as the other side just past the clause
        marked = [p for p in after if p.marker in marks]
    if strict:
        marked = [p for p in marked if p.marker is not None]
    if not buying and not marked and not strict:
        marked = [p for p in in_clause if p.marker in (None, "and")][:1]
    if buying and not marked:
        marked = [p for p in after if p.marker in (None, "of")][:1]
    if not marked:
        return None
    other = coordinated(parties, marked[-1] if marked[-1].end <= t else marked[0], folded)
    exclude = {p.ref for p in other}
    subject = subject_of(parties, min(t, other[0].start), folded, exclude)
    if not subject:
        return None
    if buying:
        return {"buyer": unique(subject), "supplier": unique(other)}
    return {"supplier": unique(subject), "buyer": unique(other)}
