"""Readable answers (kg.query.answer) and parameters by name, on the store built from the
bundled records: money as the press writes it, labels for IRIs with the IRIs beside them,
headers in the output language, no empty columns, unnamed parties and relations that read the
right way; names in any script, "did you mean", months and years, enumerations."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kg.cli import main as kg_main
from kg.core.errors import InputError
from kg.query.amounts import figure, money, money_range, quantity
from kg.query.answer import Answer, answer
from kg.query.results import Format
from kg.query.run import StoreSource
from kg.store.embedded import Store

FIRM = "https://w3id.org/aikg/id/firm/"
DEAL = "https://w3id.org/aikg/id/deal/nvidia-openai-10gw"


@pytest.fixture(scope="module")
def source(seed_store: Path) -> Iterator[StoreSource]:
    with Store.open(seed_store, read_only=True) as store:
        yield StoreSource(store)


def run(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> tuple[int, str, str]:
    status = kg_main([*argv, "--store", str(store)])
    out, err = capsys.readouterr()
    return status, out, err


def row_of(ans: Answer, column: str, iri: str) -> dict[str, str]:
    """The first row whose ``column`` holds ``iri``."""
    for row, iris in zip(ans.rows, ans.iris, strict=True):
        if iris.get(column) == iri:
            return row
    raise AssertionError(f"no row with {column} = {iri}")


# -- the one formatter --------------------------------------------------------------------------


def test_amounts_as_the_press_writes_them() -> None:
    assert money(Decimal("100e9"), "USD", lang="en") == "US$100 bn"
    assert money(Decimal("42e9"), "TWD", lang="zh-Hant") == "NT$420億"
    assert money(Decimal("42e9"), "TWD", lang="zh-Hans") == "NT$420亿"
    assert money(Decimal("2e12"), "TWD", lang="zh-Hant") == "NT$2兆"
    assert money(Decimal("3.5e9"), "EUR", lang="en") == "€3.5 bn"
    assert money(Decimal("3.5e9"), "EUR", lang="zh-Hans") == "35亿欧元"
    assert money_range(Decimal("6e9"), Decimal("7e9"), "USD", lang="en") == "US$6–7 bn"
    assert quantity(Decimal("10"), "http://qudt.org/vocab/unit/GigaW") == "10 GW"
    assert quantity(Decimal("23"), "http://qudt.org/vocab/unit/PERCENT") == "23%"
    assert figure(value=Decimal("26"), unit="http://qudt.org/vocab/unit/UNITLESS", lang="en") == (
        "26"
    )
    # no conversion: a sum in a currency without a symbol keeps its code
    assert money(Decimal("5e9"), "SAR", lang="en") == "SAR 5 bn"


# -- readable answers ---------------------------------------------------------------------------


def test_deals_of_a_firm_read_as_an_analyst_writes_them(source: StoreSource) -> None:
    ans = answer(source, "deals-of-firm", {"firm": "nvidia"})
    row = row_of(ans, "deal", DEAL)
    assert row["amount"] == "at most US$100 bn" and row["capacity"] == "10 GW"
    assert row["status"] == "denied" and row["counterparty"] == "OpenAI"
    # the currency, bound and unit are in the figure; columns empty in every row are dropped
    assert not {"currency", "bound", "unit"} & set(ans.columns)
    assert all(any(r[c] for r in ans.rows) for c in ans.columns)
    # IRIs kept for tools, raw figures too
    i = ans.rows.index(row)
    assert ans.iris[i]["counterparty"] == FIRM + "openai"
    assert ans.values[i]["amount_value"] == "100000000000"
    assert ans.values[i]["amount_unit"] == "USD"
    assert ans.headers["counterpartyRole"] == "their role"
    about = row_of(ans, "deal", "https://w3id.org/aikg/id/deal/nvidia-openai-2026-investment")
    assert about["amount"] == "about US$20 bn"


def test_the_same_answer_in_traditional_and_simplified_chinese(source: StoreSource) -> None:
    hant = answer(source, "deals-of-firm", {"firm": "nvidia"}, lang="zh-Hant")
    row = row_of(hant, "deal", DEAL)
    assert row["amount"] == "至多 1,000億美元" and row["status"] == "遭否認"
    assert hant.headers["amount"] == "金額" and hant.headers["deal"] == "交易"
    about = row_of(hant, "deal", "https://w3id.org/aikg/id/deal/nvidia-openai-2026-investment")
    assert about["amount"] == "約 200億美元"
    hans = answer(source, "deals-of-firm", {"firm": "nvidia"}, lang="zh-Hans")
    row = row_of(hans, "deal", DEAL)
    assert row["amount"] == "至多 1,000亿美元" and hans.headers["amount"] == "金额"
    assert row["counterparty"] == "OpenAI" and "辉达" in row["deal"]  # converted from zh-Hant
    with pytest.raises(InputError, match="lang='fr'"):
        answer(source, "deals-of-firm", {"firm": "nvidia"}, lang="fr")


def test_an_unnamed_party_is_shown_by_its_description_or_role(source: StoreSource) -> None:
    unnamed = "/fact/55/buyer"
    ans = answer(source, "deals-of-firm", {"firm": "nvidia"})
    rows = [
        r for r, i in zip(ans.rows, ans.iris, strict=True) if unnamed in i.get("counterparty", "")
    ]
    assert rows and rows[0]["counterparty"].startswith("large Chinese technology firms")
    hant = answer(source, "deals-of-firm", {"firm": "nvidia"}, lang="zh-Hant")
    rows = [
        r for r, i in zip(hant.rows, hant.iris, strict=True) if unnamed in i.get("counterparty", "")
    ]
    assert rows and rows[0]["counterparty"] == "未具名買方"
    assert not any("article/" in r["counterparty"] for r in ans.rows + hant.rows)


def test_the_firm_profile_reads_the_right_way_with_readable_figures(source: StoreSource) -> None:
    ans = answer(source, "firm-profile", {"firm": "nvidia"})
    said = {(r["aspect"], r["property"], r["value"]) for r in ans.rows}
    assert ("related", "CEO", "Jensen Huang") in said  # not "CEO of | Jensen Huang"
    assert ("metric", "revenue", "US$6–7 bn") in said
    assert ("metric", "EPS growth", "35%") in said
    assert ("metric", "forward P/E", "26–28") in said
    text = ans.text(Format.TABLE)
    assert "unit:" not in text and "UNITLESS" not in text and "6000000000" not in text
    hant = answer(source, "firm-profile", {"firm": "nvidia"}, lang="zh-Hant")
    assert ("相關人士", "執行長", "黃仁勳") in {
        (r["aspect"], r["property"], r["value"]) for r in hant.rows
    }


def test_csv_and_json_keep_iris_and_raw_figures_beside_the_labels(capsys, seed_store) -> None:
    args = ("query", "deals-of-firm", "--param", "firm=nvidia")
    status, out, _ = run(capsys, seed_store, *args, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    row = next(r for r in rows if r["deal_iri"] == DEAL)
    assert row["deal"] == "NVIDIA–OpenAI 10 GW investment"
    assert row["amount"] == "at most US$100 bn" and row["amount_value"] == "100000000000"
    assert row["amount_bound"].endswith("#AtMost") and row["counterparty_iri"] == FIRM + "openai"
    status, out, _ = run(capsys, seed_store, *args, "--format", "json", "--lang", "zh-Hant")
    data = json.loads(out)
    assert data["headers"]["deal"] == "交易" and data["template"] == "deals-of-firm"
    row = next(r for r in data["rows"] if r["deal_iri"] == DEAL)
    assert row["amount"] == "至多 1,000億美元" and row["amount_value"] == "100000000000"


def test_tables_have_headers_in_the_output_language(capsys, seed_store) -> None:
    status, out, _ = run(
        capsys,
        seed_store,
        "query",
        "deal-timeline",
        "--param",
        "firm=輝達",
        "--param",
        "counterparty=OpenAI",
        "--lang",
        "zh-Hant",
        "--format",
        "md",
    )
    assert status == 0
    assert out.splitlines()[0].startswith("| 日期 | 狀態 | 交易 |")
    assert "遭否認" in out and "輝達–OpenAI 10 GW 投資" in out


# -- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["NVIDIA", "輝達", "辉达", "英偉達", "Nvidia Corporation", "nvidia"]
)
def test_a_firm_is_named_in_any_script_or_alias(source: StoreSource, name: str) -> None:
    expected = answer(source, "deals-of-firm", {"firm": "firm:nvidia"})
    assert answer(source, "deals-of-firm", {"firm": name}).rows == expected.rows


def test_a_miss_gets_a_suggestion_and_exit_2(capsys, seed_store) -> None:
    status, _, err = run(capsys, seed_store, "query", "deals-of-firm", "--param", "firm=nvdia")
    assert status == 2
    assert "parameter 'firm' of deals-of-firm" in err
    assert "did you mean 'nvidia' (firm/nvidia)" in err.lower()
    status, _, err = run(capsys, seed_store, "query", "deals-of-firm", "--param", "firm=輝達公司")
    assert status == 2 and "(firm/nvidia)" in err  # a near miss in Chinese too
    status, _, err = run(capsys, seed_store, "query", "deals-of-fimr")
    assert status == 2 and "did you mean 'deals-of-firm'?" in err


def test_a_wrong_metric_lists_the_valid_ones(source: StoreSource, capsys, seed_store) -> None:
    status, _, err = run(
        capsys, seed_store, "query", "metric-compare", "--param", "metric=PriceEarnings"
    )
    assert status == 2
    assert "the values it takes:" in err.lower() and "TrailingPE" in err and "Revenue" in err
    by_label = answer(source, "metric-compare", {"metric": "trailing P/E"})
    by_chinese = answer(source, "metric-compare", {"metric": "歷史本益比"})
    by_name = answer(source, "metric-compare", {"metric": "TrailingPE"})
    assert by_label.rows == by_chinese.rows == by_name.rows
    assert {r["subject"] for r in by_name.rows} == {"NVIDIA", "Oracle", "Broadcom"}
    with pytest.raises(InputError, match=r"(?i)the values it takes"):
        answer(source, "metric-compare", {"metric": "Firm"})  # a class, not a metric kind


def test_a_month_or_a_year_is_the_end_of_that_period(source: StoreSource) -> None:
    def status_of(as_of: str) -> str:
        ans = answer(source, "deals-of-firm", {"firm": "NVIDIA", "as_of": as_of})
        return row_of(ans, "deal", DEAL)["status"]

    assert status_of("2025-10") == status_of("2025-10-31") == "letter of intent"
    assert status_of("2025") == status_of("2025-12-31") == "stalled"
    assert status_of("2026-01") == "denied"


def test_articles_are_shown_by_their_title_in_the_output_language(source: StoreSource) -> None:
    """An article has no rdfs:label: a column naming it shows its dcterms:title (from the
    record's ``title:``), the IRI beside it."""
    reversal = "https://w3id.org/aikg/id/article/unattributed-2026-02-nvidia-openai-reversal"
    for lang, word in (("en", "NVIDIA–OpenAI deal"), ("zh-Hant", "輝達與 OpenAI")):
        got = answer(source, "deals-of-firm", {"firm": "NVIDIA"}, lang=lang)
        shown = [
            (row.get("amountSource", ""), iris.get("amountSource"))
            for row, iris in zip(got.rows, got.iris, strict=True)
        ]
        titled = [text for text, iri in shown if iri == reversal]
        assert titled and all(word in text for text in titled), (lang, titled)
