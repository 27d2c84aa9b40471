"""Formatting results: labels for people, the W3C formats for tools."""

from __future__ import annotations

import csv
import io
import unicodedata

from rdflib import BNode, Literal, URIRef

from kg.query.results import Format, display, render
from kg.query.sparql_results import parse_sparql_json, sparql_json
from kg.store.embedded import SelectResult

XSD = "http://www.w3.org/2001/XMLSchema#"
NVIDIA = URIRef("https://w3id.org/aikg/id/firm/nvidia")
ORACLE = URIRef("https://w3id.org/aikg/id/firm/oracle")
LABELS = {NVIDIA: {"en": "NVIDIA", "zh-Hant": "輝達"}, ORACLE: {"en": "Oracle"}}

RESULT = SelectResult(
    ["firm", "note", "figure"],
    [
        {
            "firm": NVIDIA,
            "note": Literal('a, "quoted"\nline', lang="en"),
            "figure": Literal("50.62", datatype=URIRef(XSD + "decimal")),
        },
        {"firm": ORACLE, "note": Literal("pipe | here")},
        {"firm": BNode("b1")},
    ],
)


def test_display_prefers_the_language_then_english_then_the_slug() -> None:
    assert display(NVIDIA, labels=LABELS, lang="zh-Hant") == "輝達"
    assert display(ORACLE, labels=LABELS, lang="zh-Hant") == "Oracle"
    assert display(URIRef("https://w3id.org/aikg/id/firm/groq"), labels=LABELS, lang="en") == "groq"
    assert display(URIRef("https://w3id.org/aikg/ontology#Denied"), labels={}, lang="en") == (
        "aikg:Denied"
    )
    nested = URIRef("https://w3id.org/aikg/id/article/a/fact/2/amount")
    assert display(nested, labels={}, lang="en") == "article/a/fact/2/amount"


def test_table_columns_line_up_with_wide_characters() -> None:
    text = render(RESULT, Format.TABLE, labels=LABELS, lang="zh-Hant")
    lines = text.splitlines()
    assert lines[0].split() == ["firm", "note", "figure"]

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    # "輝達" takes four columns: the note column starts at the same place on every line
    starts = {
        columns(lines[2][: lines[2].index("a,")]),
        columns(lines[3][: lines[3].index("pipe")]),
    }
    assert starts == {columns(lines[0][: lines[0].index("note")])}
    assert lines[2].startswith("輝達") and lines[4].startswith("_:b1")


def test_csv_quotes_what_needs_quoting() -> None:
    rows = list(csv.reader(io.StringIO(render(RESULT, Format.CSV))))
    assert rows[0] == ["firm", "note", "figure"]
    assert rows[1] == [str(NVIDIA), 'a, "quoted"\nline', "50.62"]
    assert rows[3] == ["_:b1", "", ""]


def test_json_round_trips() -> None:
    data = sparql_json(RESULT)
    assert data["results"]["bindings"][0]["note"] == {
        "type": "literal",
        "value": 'a, "quoted"\nline',
        "xml:lang": "en",
    }
    assert "datatype" not in data["results"]["bindings"][1]["note"]
    back = parse_sparql_json(data)
    assert back.variables == RESULT.variables and back.rows == RESULT.rows


def test_markdown_escapes_pipes_and_newlines() -> None:
    lines = render(RESULT, Format.MD, labels=LABELS, lang="en").splitlines()
    assert lines[2] == '| NVIDIA | a, "quoted" line | 50.62 |'
    assert lines[3] == "| Oracle | pipe \\| here |  |"
