"""Metric charts as SVG with matplotlib: one metric across firms, or over time.

``metric-compare`` rows (one latest figure per subject) become horizontal bars; when a subject
has several dated figures, each subject becomes a line over time. A figure given as a range
(``minValue``..``maxValue``) is drawn as a bar over the range. Text is drawn as glyph outlines
in a CJK font (Noto Sans CJK), so Chinese labels look the same in every viewer.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.query.amounts import figure as figure_text
from kg.query.amounts import parse_decimal
from kg.query.pictures.fonts import needs_cjk, register_cjk_font, require_cjk_font
from kg.query.results import display
from kg.query.run import Source
from kg.store.embedded import SelectResult

__all__ = ["CHART_TEMPLATES", "Observation", "metric_chart", "observations"]

#: the templates whose rows are figures of one metric
CHART_TEMPLATES = frozenset({"metric-compare"})

#: after the registered CJK font (kg.query.pictures.fonts): matplotlib's own
_FALLBACK_FONTS = ["DejaVu Sans"]
_BAR = "#3d5a80"
_ESTIMATE = "#98c1d9"
_UNITLESS = {"http://qudt.org/vocab/unit/UNITLESS", "http://qudt.org/vocab/unit/NUM"}

Labels = Mapping[URIRef, Mapping[str, str]]


@dataclass(frozen=True)
class Observation:
    """One figure of the chart: about ``subject``, dated ``when``, a value or a range."""

    subject: URIRef
    when: str
    low: Decimal
    high: Decimal
    unit: Node | None
    estimate: bool


def _decimal(term: Node | None) -> Decimal | None:
    return parse_decimal(term) if isinstance(term, Literal) else None


def observations(result: SelectResult) -> list[Observation]:
    """The chartable rows of a metric result: those with a subject and a figure."""
    out: list[Observation] = []
    for row in result.rows:
        subject = row.get("subject")
        value = _decimal(row.get("value"))
        low = _decimal(row.get("minValue"))
        high = _decimal(row.get("maxValue"))
        if not isinstance(subject, URIRef):
            continue
        if value is not None:
            low = high = value
        if low is None or high is None:
            continue
        estimate = row.get("estimate")
        out.append(
            Observation(
                subject=subject,
                when=str(row.get("when", "")),
                low=low,
                high=high,
                unit=row.get("unit"),
                estimate=isinstance(estimate, Literal) and estimate.toPython() is True,
            )
        )
    return out


def _unit_text(unit: Node | None, labels: Labels, lang: str) -> str:
    if unit is None or str(unit) in _UNITLESS:
        return ""
    return display(unit, labels=labels, lang=lang)


def _words(lang: str) -> dict[str, str]:
    if lang.lower().startswith("zh"):
        return {"as_of": "截至", "estimate": "（預估）", "none": "沒有資料", "date": "日期"}
    return {"as_of": "as of", "estimate": " (estimate)", "none": "no figures", "date": "date"}


def metric_chart(
    result: SelectResult,
    bindings: Mapping[str, Node],
    *,
    source: Source,
    lang: str = "en",
) -> str:
    """An SVG chart of a metric result; the metric is ``bindings['_metric_iri']``."""
    metric = bindings.get("_metric_iri")
    data = observations(result)
    wanted = {o.subject for o in data} | {u for o in data if isinstance(u := o.unit, URIRef)}
    if isinstance(metric, URIRef):
        wanted.add(metric)
    labels = source.labels(wanted)
    words = _words(lang)
    title = display(metric, labels=labels, lang=lang) if metric is not None else ""
    as_of = bindings.get("__asOf_xsd_date")
    if as_of is not None:
        title += f" ({words['as_of']} {as_of})"
    units = sorted({_unit_text(o.unit, labels, lang) for o in data} - {""})
    texts = [title, *units, *words.values()]
    texts += [display(o.subject, labels=labels, lang=lang) for o in data]
    family = require_cjk_font("the chart") if needs_cjk(texts) else register_cjk_font()
    fonts = ([family] if family else []) + _FALLBACK_FONTS
    with matplotlib.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": fonts, "svg.hashsalt": "aikg"}
    ):
        figure = Figure(figsize=(7.5, 0.55 * max(len(data), 3) + 1.6), layout="constrained")
        axes = figure.add_subplot()
        subjects = {o.subject for o in data}
        if len(subjects) < len(data):
            _lines(axes, data, labels, lang)
        else:
            _bars(axes, data, labels, lang, words)
        if not data:
            axes.text(0.5, 0.5, words["none"], ha="center", va="center", transform=axes.transAxes)
            axes.set_axis_off()
        axes.set_title(title, fontsize=13, loc="left")
        if units and len(subjects) == len(data):
            axes.set_xlabel(" / ".join(units))
        elif units:
            axes.set_ylabel(" / ".join(units))
        axes.spines[["top", "right"]].set_visible(False)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()


def _bars(
    axes: Axes, data: list[Observation], labels: Labels, lang: str, words: dict[str, str]
) -> None:
    if not data:
        return
    ordered = sorted(data, key=lambda o: (o.high, str(o.subject)))
    names = [display(o.subject, labels=labels, lang=lang) for o in ordered]
    starts = [float(o.low) if o.low != o.high else 0.0 for o in ordered]
    widths = [float(o.high) - s for o, s in zip(ordered, starts, strict=True)]
    colours = [_ESTIMATE if o.estimate else _BAR for o in ordered]
    bars = axes.barh(names, widths, left=starts, color=colours, height=0.6)
    texts = []
    for o in ordered:
        unit = str(o.unit) if o.unit is not None else None
        if o.low == o.high:
            figure = figure_text(value=o.high, unit=unit, lang=lang)
        else:
            figure = figure_text(low=o.low, high=o.high, unit=unit, lang=lang)
        note = f"  {figure}{words['estimate'] if o.estimate else ''}  ({o.when})"
        texts.append(note)
    axes.bar_label(bars, labels=texts, fontsize=9, padding=2)
    axes.margins(x=0.35)


def _lines(axes: Axes, data: list[Observation], labels: Labels, lang: str) -> None:
    by_subject: dict[URIRef, list[Observation]] = {}
    for o in sorted(data, key=lambda o: o.when):
        by_subject.setdefault(o.subject, []).append(o)
    for subject, points in sorted(by_subject.items(), key=lambda item: str(item[0])):
        axes.plot(
            [p.when for p in points],
            [float(p.high) for p in points],
            marker="o",
            label=display(subject, labels=labels, lang=lang),
        )
    axes.legend(frameon=False)
