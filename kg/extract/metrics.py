"""Metric observations: a figure about a firm (or a chip architecture) named next to its kind.

A metric word (本益比 / P/E, 負債股本比 / debt-to-equity, 營收 / revenue, 虧損 / loss, 未完成訂單
/ backlog, 資本開支 / capex, 目標價 / price target ...) takes the nearest figure of the right kind
after it (or just before it), and the nearest firm before it; "A 與 B 分別 x 與 y" pairs firms
and figures in order, and a following clause with firms and figures of the same kind continues
the metric of the clause before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from kg.extract.context import ArticleContext, SentenceContext
from kg.extract.figures.quantities import Quantity
from kg.extract.read.sentences import Sentence, split_clauses
from kg.extract.tables import load_yaml

__all__ = ["Observation", "find_metrics"]

#: metric → (the words that name it, over folded text; the kinds of figure it takes), from
#: ``rules/metrics.yaml``
_METRIC_WORDS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (str(row["metric"]), tuple(row["any"]), tuple(row["kinds"]))
    for row in load_yaml("metrics.yaml")["metrics"]
]
_METRICS = [(name, re.compile("|".join(words)), kinds) for name, words, kinds in _METRIC_WORDS]
#: any metric word at all (a clause without one needs no metric tried on it)
_ANY_METRIC = re.compile("|".join(f"(?:{w})" for _, words, _ in _METRIC_WORDS for w in words))
_FORWARD = re.compile(r"前瞻|远期|预期|forward")
_ESTIMATE = re.compile(
    r"预估|预计|预期|估计|推算|预测|(?<![a-z])(?:estimat\w*|forecast\w*|expect\w*|project\w*)\b"
)
#: a name after these is what a figure is compared with, not what it is about
_COMPARED = re.compile(
    r"(?:相较于?|相比于?|比起|对比|较之|(?<![a-z])(?:compared (?:with|to)|than|versus|vs\.?|"
    r"relative to|over))\s*$"
)
#: the leading capitals a rule name lowers: TrailingPE -> trailingPE, EPSGrowth -> epsGrowth
_LEADING_CAPITALS = re.compile(r"^[A-Z]+(?=[A-Z][a-z])|^[A-Z]")
_RESPECTIVELY = re.compile(r"分别|respectively")
_ANNUAL = re.compile(r"每年|年度|全年|(?<![a-z])(?:annual\w*|per year|a year)\b")


@dataclass(slots=True)
class Observation:
    """A metric observation found in an article (offsets in the view text)."""

    metric_of: str
    metric: str
    figure: Quantity
    evidence: list[tuple[int, int]]
    as_of: str
    method: str
    confidence: float
    period: str | None = None
    estimate: bool = False
    relative_to: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def find_metrics(article: ArticleContext) -> list[Observation]:
    """Every metric observation of the article, in text order."""
    out: list[Observation] = []
    for ctx in article.sentences:
        if ctx.furniture:
            continue
        out += _sentence(article, ctx)
    return out


def _subjects(ctx: SentenceContext, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(ctx.local(m.start), m.ref) for m in ctx.mentions if m.entity.kind in kinds]


def _sentence(article: ArticleContext, ctx: SentenceContext) -> list[Observation]:
    f = ctx.folded
    used: set[int] = set()
    out: list[Observation] = []
    previous: tuple[str, tuple[str, ...]] | None = None
    local = Sentence(text=ctx.sentence.text, start=0)
    marks = sorted(ctx.local(q.start) for q in ctx.quantities)
    for clause in split_clauses(local):
        c_start, c_end = clause.start, clause.end
        i = bisect_left(marks, c_start)
        if i >= len(marks) or marks[i] >= c_end:
            continue  # no figure in the clause: no observation
        text = f[c_start:c_end]
        hit = None
        if _ANY_METRIC.search(text):
            for metric, pattern, kinds in _METRICS:
                m = pattern.search(text)
                if m is not None and _figures(ctx, c_start + m.start(), c_end, kinds, used):
                    hit = (metric, kinds, c_start + m.start(), c_start + m.end())
                    break
        if hit is None and previous is not None:
            metric, kinds = previous
            if _figures(ctx, c_start, c_end, kinds, used) and _subjects_in(
                ctx, c_start, c_end, metric
            ):
                hit = (metric, kinds, c_start, c_start)
        if hit is None:
            continue
        metric, kinds, k_start, k_end = hit
        if metric == "TrailingPE" and _FORWARD.search(f[max(0, k_start - 10) : k_end + 6]):
            metric = "ForwardPE"
        previous = (metric, kinds)
        figures = _figures(ctx, k_start, c_end, kinds, used)
        before = [
            q
            for q in ctx.quantities
            if q.kind in kinds and id(q) not in used and 0 <= k_start - ctx.local(q.end) <= 4
        ]
        if not figures and before:
            figures = before[-1:]
        if not figures:
            continue
        owners = _owners(
            article, ctx, k_start, c_start, c_end, metric, continued=k_start == k_end == c_start
        )
        if not owners:
            continue
        respectively = bool(_RESPECTIVELY.search(text)) and len(owners) > 1 and len(figures) > 1
        pairs = (
            list(zip(owners, figures, strict=False)) if respectively else [(owners[-1], figures[0])]
        )
        for owner, figure in pairs:
            used.add(id(figure))
            out.append(_observation(article, ctx, owner, metric, figure, k_start))
    return out


def _owner_kinds(metric: str) -> tuple[str, ...]:
    """What a metric can be about: a chip's multiples, an index's moves, else a firm's, a
    market's or an index's figures."""
    if metric == "PerformanceMultiple":
        return ("architecture", "chip")
    if metric == "IndexLevelChange":
        return ("index",)
    return ("firm", "market", "index")


def _subjects_in(ctx: SentenceContext, start: int, end: int, metric: str) -> bool:
    kinds = _owner_kinds(metric)
    return any(start <= pos < end for pos, _ in _subjects(ctx, kinds))


def _figures(
    ctx: SentenceContext, start: int, end: int, kinds: tuple[str, ...], used: set[int]
) -> list[Quantity]:
    return [
        q
        for q in ctx.quantities
        if q.kind in kinds and id(q) not in used and start <= ctx.local(q.start) < end
    ]


def _owners(
    article: ArticleContext,
    ctx: SentenceContext,
    k: int,
    c_start: int,
    c_end: int,
    metric: str,
    *,
    continued: bool = False,
) -> list[str]:
    kinds = _owner_kinds(metric)
    found = [
        (pos, ref)
        for pos, ref in _subjects(ctx, kinds)
        if not _COMPARED.search(ctx.folded[max(0, pos - 8) : pos])
    ]
    in_clause = [ref for pos, ref in found if c_start <= pos < c_end]
    if len(set(in_clause)) > 1 or (continued and in_clause):
        return list(dict.fromkeys(in_clause))
    before = [ref for pos, ref in found if pos <= k]
    if before:
        return [before[-1]]
    if in_clause:
        return in_clause[:1]
    after = [ref for pos, ref in found if pos > k]
    if after and metric != "PerformanceMultiple":
        return after[:1]
    for other in reversed(article.sentences[max(0, ctx.index - 2) : ctx.index]):
        refs = [m.ref for m in other.mentions if m.entity.kind in kinds]
        if refs:
            return [refs[0]]
    return []


def _observation(
    article: ArticleContext,
    ctx: SentenceContext,
    owner: str,
    metric: str,
    figure: Quantity,
    k: int,
) -> Observation:
    f = ctx.folded
    period = None
    years = [d for d in ctx.dates if d.precision == "year" and d.role is None]
    if years and metric not in ("SharePrice", "SharePriceChange"):
        period = years[0].value
    elif _ANNUAL.search(f):
        period = "annual"
    days = [d for d in ctx.dates if d.precision != "year" and d.role is None]
    relative_to = None
    if metric == "PerformanceMultiple":
        others = [r for r in ctx.things("architecture", "chip") if r != owner]
        relative_to = others[0] if others else None
    return Observation(
        metric_of=owner,
        metric=metric,
        figure=figure,
        evidence=[(ctx.start, ctx.end)],
        as_of=days[0].value if days else article.published.value,
        method=f"metric-{_LEADING_CAPITALS.sub(lambda m: m.group().lower(), metric)}",
        confidence=0.7,
        period=period,
        estimate=bool(_ESTIMATE.search(f)),
        relative_to=relative_to,
    )
