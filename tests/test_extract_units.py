"""Quantities, dates, the lexicon and the script fold, on the project's own phrases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.core.scripts import fold
from kg.extract.dates import Published, find_dates
from kg.extract.lexicon import Lexicon
from kg.extract.quantities import find_quantities


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_reference()


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "bound"),
    [
        ("承諾上限最高 1,000 億美元", "money", 100_000_000_000, "USD", "AtMost"),
        ("市值衝上千億美元", "money", 100_000_000_000, "USD", None),
        ("投资5230亿美元", "money", 523_000_000_000, "USD", None),
        ("a $38 billion deal", "money", 38_000_000_000, "USD", None),
        ("US$1.5bn in debt", "money", 1_500_000_000, "USD", None),
        ("about 300 billion dollars", "money", 300_000_000_000, "USD", "Approximately"),
        ("1萬億美元的收入", "money", 1_000_000_000_000, "USD", None),
        ("3兆美金", "money", 3_000_000_000_000, "USD", None),
        ("至少 10 GW", "power", 10, "unit:GigaW", "AtLeast"),
        ("1吉瓦数据中心", "power", 1, "unit:GigaW", None),
        ("2 百萬瓩", "power", 2, "unit:GigaW", None),
        ("500 兆瓦", "power", 500, "unit:MegaW", None),
        ("up to 6 gigawatts", "power", 6, "unit:GigaW", "AtMost"),
        ("超過 8%", "percent", 8, "unit:PERCENT", "AtLeast"),
        ("50.62 倍", "multiple", Decimal("50.62"), "unit:UNITLESS", None),
        ("3.5x faster", "multiple", Decimal("3.5"), "unit:UNITLESS", None),
        ("a seven-year contract", "duration", 7, "unit:YR", None),
        ("長達五年", "duration", 5, "unit:YR", None),
        ("1 million GPUs", "count", 1_000_000, "unit:NUM", None),
        ("30萬顆晶片", "count", 300_000, "unit:NUM", None),
    ],
)
def test_quantities(text, kind, value, unit, bound):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.kind, q.value, q.unit, q.bound) == (kind, Decimal(value), unit, bound)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("400 到 500 萬顆 GPU", 4_000_000, 5_000_000, "unit:NUM"),
        ("目標價 250–275 美元", 250, 275, "USD"),
        ("60-70億美元收入", 6_000_000_000, 7_000_000_000, "USD"),
        ("三到四成的空間", 30, 40, "unit:PERCENT"),
        ("4 to 5 million GPUs", 4_000_000, 5_000_000, "unit:NUM"),
    ],
)
def test_ranges(text, low, high, unit):
    (q,) = find_quantities(text)
    assert (q.min_value, q.max_value, q.value, q.unit) == (Decimal(low), Decimal(high), None, unit)


def test_years_and_model_names_are_not_quantities():
    assert find_quantities("2027 年起生效,H200 與 NVLink 5") == []


def test_coordinated_figures_share_their_unit():
    found = find_quantities("分別為 67.44 與 86.18 倍")
    assert [q.value for q in found] == [Decimal("67.44"), Decimal("86.18")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("去年9月宣布", "2026-02", ["2025-09"]),
        ("今年1月底否認", "2026-02-20", ["2026-01"]),
        ("本週初宣布", "2025-09-24", ["2025-09-22"]),
        ("本週初宣布", "2025-09", ["2025-09"]),
        ("上個月", "2026-01-15", ["2025-12"]),
        ("上个月", "2026-03", ["2026-02"]),
        ("预计 2026 年下半年上线", "2025-09", ["2026-07"]),
        ("1月13日批准", "2026-02", ["2026-01-13"]),
        ("11月的文件", "2026-02", ["2025-11"]),
        ("2025年12月", "2026-02", ["2025-12"]),
        ("it said last month", "2025-11-04", ["2025-10"]),
        ("announced on Monday", "2025-11-05", ["2025-11-03"]),
        ("shipping in H2 2026", "2025-11-05", ["2026-07"]),
        ("on September 22, 2025", "2025-11-05", ["2025-09-22"]),
        ("in Q3 2026", "2025-11-05", ["2026-07"]),
    ],
)
def test_dates(text, published, expected):
    found = find_dates(text, published=Published.parse(published))
    assert [d.value for d in found] == expected


def test_date_precision_and_roles():
    (d,) = find_dates("自 2027 年起生效", published=Published.parse("2025-09"))
    assert (d.value, d.precision, d.role) == ("2027", "year", "start")
    (d,) = find_dates("本週初", published=Published.parse("2025-09"))
    assert d.precision == "month" and d.relative


def test_fold_is_length_preserving_across_scripts():
    for text in ("輝達與甲骨文", "英伟达与甲骨文", "ＮＶＩＤＩＡ", "Nvidia’s"):
        assert len(fold(text)) == len(text)
    assert fold("輝達與甲骨文") == fold("辉达与甲骨文")


@pytest.mark.parametrize(
    "text",
    [
        "Nvidia said",
        "NVIDIA Corp. said",
        "Nvidia's chips",
        "輝達表示",
        "辉达表示",
        "英伟达表示",
        "ＮＶＩＤＩＡ表示",
    ],
)
def test_lexicon_name_variants(lexicon, text):
    (m,) = [m for m in lexicon.find(text) if m.entity.kind == "firm"]
    assert m.ref == "firm/nvidia"
    assert text[m.start : m.end] in (
        "Nvidia",
        "NVIDIA Corp.",
        "輝達",
        "辉达",
        "英伟达",
        "ＮＶＩＤＩＡ",
    )


def test_lexicon_respects_words_and_case(lexicon):
    assert [m.ref for m in lexicon.find("US$5 billion")] == []
    assert "firm/amd" not in [m.ref for m in lexicon.find("the AMDX index")]
    assert [m.ref for m in lexicon.find("oracle bones")] == []
    assert [m.ref for m in lexicon.find("Oracle said")] == ["firm/oracle"]


def test_lexicon_is_built_once_and_reused(lexicon):
    assert len(lexicon) > 100
    first = lexicon.find("Microsoft and Anthropic")
    assert [m.ref for m in first] == ["firm/microsoft", "firm/anthropic"]
