"""Fact records: YAML with line numbers, the header and span checks, and the mapper's checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build.dataset import map_records
from kg.core.errors import InputError
from kg.core.ontology import load_ontology, load_reference
from kg.records.mapper import Schema
from kg.records.reader import RecordError, load_record, load_records, parse_date, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "records"
GOOD = FIXTURES / "good"
TEXTS = FIXTURES / "texts"


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema.from_graph(load_ontology())


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """The good records copied to ``tmp_path`` with ``old`` replaced by ``new`` in ``name``;
    returns the folder and the 1-based line of the change."""
    folder = tmp_path / "records"
    shutil.copytree(GOOD, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    return folder, line


def map_folder(folder: Path, schema: Schema, reference, *, corpus: Path | None = TEXTS):
    records = load_records(sorted(folder.glob("*.yaml")), corpus_dir=corpus)
    return map_records(records, schema=schema, reference=reference)


# -- YAML ----------------------------------------------------------------------------------------
def test_yaml_keeps_dates_and_norway_as_text_and_lines_for_keys_and_items():
    data = parse_yaml(
        "a: 2025-09-22\nlanguage: no\non: yes\ncik: 0001045810\n"
        "n: [1, 2.5]\nb: true\nl:\n  - x\n  - y\n",
        file="x.yaml",
    )
    assert data == {
        "a": "2025-09-22",
        "language": "no",
        "on": "yes",
        "cik": "0001045810",
        "n": [1, 2.5],
        "b": True,
        "l": ["x", "y"],
    }
    assert data.key_lines == {"a": 1, "language": 2, "on": 3, "cik": 4, "n": 5, "b": 6, "l": 7}
    assert data["l"].item_lines == [8, 9]


def test_yaml_duplicate_key_and_syntax_error_name_the_line():
    with pytest.raises(InputError) as dup:
        parse_yaml("a: 1\nb: 2\na: 3\n", file="x.yaml")
    assert (dup.value.file, dup.value.line) == ("x.yaml", 3)
    assert "duplicate key 'a'" in dup.value.message
    with pytest.raises(InputError) as bad:
        parse_yaml("a: [1, 2\nb: 3\n", file="y.yaml")
    assert bad.value.file == "y.yaml" and bad.value.line is not None


def test_parse_date_precision_and_invalid_dates():
    assert parse_date(2026) == ("2026", "year")
    assert parse_date("2026-07") == ("2026-07", "month")
    assert parse_date("2024-02-29") == ("2024-02-29", "day")
    for bad in ("2025-02-30", "2025-13", "25-01", "September", 3.5, True):
        with pytest.raises(ValueError):
            parse_date(bad)


# -- loading the fixtures ------------------------------------------------------------------------
def test_good_fixture_loads_with_text_and_lines():
    record = load_record(GOOD / "alpha.yaml", corpus_dir=TEXTS)
    assert record.header.id == "fixture-alpha"
    assert record.header.published == "2025-09-22" and record.header.precision == "day"
    assert record.text is not None and len(record.text) == record.header.length
    assert [f.n for f in record.facts] == list(range(1, 7))
    deal = record.facts[3]
    source = (GOOD / "alpha.yaml").read_text().splitlines()
    assert source[deal.line - 1].strip().startswith("- id: deal/fixture-nvidia-openai")
    assert [(s.start, s.end) for s in deal.spans][:2] == [(82, 98), (123, 151)]


def test_without_corpus_no_text_is_read():
    assert load_record(GOOD / "alpha.yaml").text is None


# -- header and span problems, all of a file at once ---------------------------------------------
def test_header_problems_are_collected_with_their_lines(tmp_path):
    path = tmp_path / "bad.yaml"
    text = (GOOD / "alpha.yaml").read_text(encoding="utf-8")
    text = text.replace("id: fixture-alpha", "id: Fixture_Alpha")
    text = text.replace("precision: day", "precision: month")
    text = text.replace("length: 445", "length: many")
    text = text.replace("  reviewer: aikg test suite", "  reviewer: aikg test suite\n  colour: red")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_record(path)
    lines = {p.line: p.message for p in caught.value.problems}
    assert "not a slug" in lines[3]
    assert "month" in lines[7] and "day precision" in lines[7]
    assert "whole number" in lines[10]
    assert "unknown header key 'colour'" in lines[14]
    error = caught.value
    assert str(error).startswith(f"{path}:3: ")
    assert "(and 3 more:" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("evidence: [[407, 411]]", "evidence: [[407, 446]]", "outside the text (length 445)"),
        ("evidence: [[324, 351]]", "evidence: [[351, 324]]", "empty or negative"),
        ("evidence: [[315, 321]]", "evidence: [[315, '321']]", "not two whole numbers"),
        (
            "  - mentions: firm/oracle\n    evidence: [[315, 321]]\n",
            "  - mentions: firm/oracle\n",
            "needs 'evidence'",
        ),
        ("confidence: 0.6", "confidence: 1.5", "not a number from 0 to 1"),
    ],
)
def test_span_and_reserved_key_problems(tmp_path, old, new, needle):
    name = "beta.yaml" if "confidence" in old else "alpha.yaml"
    folder, line = broken_copy(tmp_path, name, old, new)
    with pytest.raises(RecordError) as caught:
        load_record(folder / name)
    assert needle in caught.value.message
    assert caught.value.line == line


def test_text_with_another_sha256_is_refused(tmp_path):
    folder, line = broken_copy(tmp_path, "alpha.yaml", "sha256: 54a5", "sha256: 64a5")
    load_record(folder / "alpha.yaml")  # without the text, nothing to compare
    with pytest.raises(RecordError) as caught:
        load_record(folder / "alpha.yaml", corpus_dir=TEXTS)
    assert "SHA-256" in caught.value.message and caught.value.line == line


def test_text_with_another_length_is_refused(tmp_path):
    folder, line = broken_copy(tmp_path, "beta.yaml", "length: 192", "length: 191")
    load_record(folder / "beta.yaml")  # the spans still fit
    with pytest.raises(RecordError) as caught:
        load_record(folder / "beta.yaml", corpus_dir=TEXTS)
    assert "has 192 code points, the header says 191" in caught.value.message
    assert caught.value.line == line


def test_two_records_for_one_article_id(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(GOOD, folder)
    shutil.copy(folder / "alpha.yaml", folder / "gamma.yaml")
    with pytest.raises(InputError) as caught:
        load_records(sorted(folder.glob("*.yaml")))
    assert caught.value.file == str(folder / "gamma.yaml") and caught.value.line == 3


# -- the mapper's checks: keys, classes, individuals, values -------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("    investee: firm/openai", "    investe: firm/openai", "unknown key 'investe'"),
        ("    investee: firm/openai", "    Firm: firm/openai", "unknown key 'Firm': a class"),
        (
            "product: architecture/vera-rubin",
            "product: architecture/vera-rubim",
            "unknown individual",
        ),
        ("bound: AtMost}", "bound: AtMostly}", "unknown individual 'AtMostly'"),
        ("  - type: Claim", "  - type: Claimed", "unknown class 'Claimed'"),
        ("startDate: 2026-07", "startDate: 2026-13", "not a date"),
        ("    value: 4.5", "    value: four and a half", "not a number"),
        ("statement: {en: the money", "statement: {e n: the money", "not a language tag"),
        ("description: {en: NVIDIA", "description: {en: [NVIDIA]}\n    x: {en: NVIDIA", "not text"),
    ],
)
def test_mapper_problems_name_file_and_line(tmp_path, schema, reference, old, new, needle):
    folder, line = broken_copy(tmp_path, "alpha.yaml", old, new)
    with pytest.raises(InputError) as caught:
        map_folder(folder, schema, reference)
    assert needle in caught.value.message
    assert caught.value.file == str(folder / "alpha.yaml")
    assert caught.value.line == line


def test_an_id_declared_in_another_record_is_known(tmp_path, schema, reference):
    # beta's statusEntry is about a deal only alpha declares: alone, beta is refused
    folder = tmp_path / "beta-alone"
    folder.mkdir()
    shutil.copy(GOOD / "beta.yaml", folder)
    with pytest.raises(InputError) as caught:
        map_folder(folder, schema, reference)
    assert "unknown individual 'deal/fixture-nvidia-openai'" in caught.value.message
    assert len(map_folder(GOOD, schema, reference)) == 2


def test_duplicate_id_with_another_type_in_one_record(tmp_path, schema, reference):
    folder, _ = broken_copy(
        tmp_path,
        "alpha.yaml",
        "  - type: Claim\n",
        "  - id: deal/fixture-nvidia-openai\n    type: Partnership\n    evidence: [[1, 2]]\n"
        "  - type: Claim\n",
    )
    with pytest.raises(InputError) as caught:
        map_folder(folder, schema, reference)
    assert "has type 'Partnership' here, 'Investment'" in caught.value.message


def test_all_problems_of_a_file_come_together(tmp_path, schema, reference):
    folder, _ = broken_copy(
        tmp_path, "alpha.yaml", "    investee: firm/openai", "    investe: firm/openai"
    )
    path = folder / "alpha.yaml"
    path.write_text(path.read_text().replace("metric: DebtToEquity", "metric: DebtToEquty"))
    with pytest.raises(InputError) as caught:
        map_folder(folder, schema, reference)
    assert "unknown key 'investe'" in str(caught.value)
    assert "(and 1 more: line 37: unknown individual 'DebtToEquty')" in str(caught.value)
