"""A template's answer as people read it, and as tools read it: the one path from a template
name and its parameters to rows.

:func:`answer` checks the parameters (names in any script, "did you mean" on a miss, months and
years for dates: :func:`kg.query.params.bind`), runs the template on the store or an endpoint,
and writes each cell for people in the chosen language (en, zh-Hant, zh-Hans): an IRI as its
label (:func:`kg.query.results.display`), a party the article does not name by its description
or its role, a figure with its currency or unit and bound as the press writes it
(:mod:`kg.query.amounts`), a path of firms with their labels, literal words and the headers in
that language, rows that state something of the other party in its direction ("CEO | Jensen
Huang"). Columns empty in every row are left out. How each template is shown is data:
``kg/query/answers.yaml``.

The :class:`Answer` keeps what tools need beside the text: the full IRI of every IRI cell
(``<column>_iri``), the raw figures (``<column>_value``, ``_low``, ``_high``, ``_unit``,
``_bound``) and the raw result. ``kg query`` (table, Markdown, CSV, JSON), ``/api/NAME`` and the
explorer's downloads all write their rows from it (:meth:`Answer.text`).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE, ONTOLOGY
from kg.core.scripts import to_simplified
from kg.query import amounts
from kg.query.params import Names, bind
from kg.query.results import Format, display, graph_rows, markdown_text, render, table_text
from kg.query.run import Labels, Source, run_template
from kg.query.templates import Parameter, Template, load_catalogue
from kg.store.embedded import SelectResult

__all__ = [
    "LANGUAGES",
    "Answer",
    "answer",
    "build_answer",
    "names_in",
    "prepare",
    "unnamed_labels",
]

#: the languages an answer can be written in
LANGUAGES = ("en", "zh-Hant", "zh-Hans")

_HERE = Path(__file__).resolve().parent
#: the parts of a figure a machine-readable answer keeps, in order
_FIGURE_PARTS = ("value", "low", "high", "unit", "bound")
#: kinds a parameter's names are looked up under their own IRI prefix
_ANY_KINDS = frozenset({"individual", "any"})


@cache
def _config() -> dict[str, Any]:
    path = _HERE / "answers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):  # pragma: no cover - the file ships with the package
        raise InputError("not a YAML mapping", file=path)
    return data


@cache
def _sparql(name: str) -> str:
    return (_HERE / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


def _lang_key(lang: str) -> str:
    for known in LANGUAGES:
        if known.lower() == lang.lower():
            return known
    raise InputError(f"lang={lang!r}: expected one of {', '.join(LANGUAGES)}")


@dataclass(frozen=True)
class Answer:
    """A template's rows written for people in ``lang``, with what tools need beside them.

    ``columns`` are the keys of the displayed columns in order, ``headers`` their headers in
    ``lang``; ``rows`` hold the display strings; ``iris`` (per row) the full IRI of each cell
    that is one; ``values`` (per row) the raw parts of each figure (``amount_value`` ...);
    ``result`` is the raw SELECT result or graph.
    """

    template: str
    columns: list[str]
    headers: dict[str, str]
    rows: list[dict[str, str]]
    iris: list[dict[str, str]]
    result: SelectResult | Graph
    values: list[dict[str, str]] = field(default_factory=list)
    lang: str = "en"
    truncated: bool = False

    def fields(self) -> list[str]:
        """The keys of a machine-readable row: each column, then its ``_iri`` and raw figure
        parts when some row has them."""
        out: list[str] = []
        for column in self.columns:
            out.append(column)
            if any(column in iris for iris in self.iris):
                out.append(f"{column}_iri")
            for part in _FIGURE_PARTS:
                key = f"{column}_{part}"
                if any(values.get(key) for values in self.values):
                    out.append(key)
        return out

    def records(self) -> list[dict[str, str]]:
        """The rows for tools: labels and readable figures, the IRIs and raw figures beside."""
        keys = self.fields()
        out = []
        for i, row in enumerate(self.rows):
            iris = self.iris[i] if i < len(self.iris) else {}
            values = self.values[i] if i < len(self.values) else {}
            record: dict[str, str] = {}
            for key in keys:
                if key in row:
                    record[key] = row[key]
                elif key.endswith("_iri") and key[:-4] in self.columns:
                    record[key] = iris.get(key[:-4], "")
                else:
                    record[key] = values.get(key, "")
            out.append(record)
        return out

    def text(self, fmt: Format) -> str:
        """The answer written in ``fmt``: a table, Markdown, CSV or JSON from the display rows;
        Turtle and the raw SPARQL results formats from ``result``."""
        header = [self.headers.get(c, c) for c in self.columns]
        cells = [[row.get(c, "") for c in self.columns] for row in self.rows]
        if fmt is Format.TABLE:
            return table_text(header, cells)
        if fmt is Format.MD:
            return markdown_text(header, cells)
        if fmt is Format.CSV:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=self.fields(), lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(self.records())
            return buffer.getvalue()
        if fmt is Format.JSON:
            body = {
                "template": self.template,
                "lang": self.lang,
                "columns": self.fields(),
                "headers": {c: self.headers.get(c, c) for c in self.columns},
                "rows": self.records(),
                "truncated": self.truncated,
            }
            return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
        return render(self.result, fmt)


# -- parameters ---------------------------------------------------------------------------------


def names_in(source: Source) -> Names:
    """The names a parameter may take in ``source``: the labels and other names of the
    individuals of its kind, or of the concepts of its scheme (read once per parameter)."""
    seen: dict[tuple[str | None, str | None], dict[URIRef, list[str]]] = {}

    def names(param: Parameter) -> Mapping[URIRef, Sequence[str]]:
        key = (param.kind, param.scheme)
        if key in seen:
            return seen[key]
        if param.kind == "concept" and param.scheme:
            result = source.select(
                _sparql("scheme-names"), {"scheme": URIRef(ONTOLOGY + param.scheme)}
            )
        else:
            if param.kind == "concept":
                prefix = ONTOLOGY
            elif param.kind is None or param.kind in _ANY_KINDS:
                prefix = BASE
            else:
                prefix = f"{BASE}{param.kind}/"
            result = source.select(_sparql("names"), {"prefix": Literal(prefix)})
        out: dict[URIRef, list[str]] = {}
        for row in result.rows:
            iri, name = row.get("iri"), row.get("name")
            if isinstance(iri, URIRef):
                mine = out.setdefault(iri, [])
                if isinstance(name, Literal) and str(name) not in mine:
                    mine.append(str(name))
        seen[key] = out
        return out

    return names


def prepare(
    source: Source, name: str, params: Mapping[str, str]
) -> tuple[Template, dict[str, Node]]:
    """The template called ``name`` and the checked terms for ``params`` (names resolved)."""
    templates = load_catalogue()
    template = templates.get(name)
    if template is None:
        close = difflib.get_close_matches(name, list(templates), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise InputError(f"no template '{name}'{hint} (the templates: {', '.join(templates)})")
    return template, bind(template, params, knows=source.knows, names=names_in(source))


# -- the answer ---------------------------------------------------------------------------------


def answer(
    source: Source,
    name: str,
    params: Mapping[str, str],
    *,
    lang: str = "en",
    limit: int | None = None,
) -> Answer:
    """Run template ``name`` with ``params`` (as given: names, slugs, IRIs, dates) on
    ``source`` and write its answer in ``lang`` (en, zh-Hant, zh-Hans); at most ``limit`` rows
    (or triples), and the answer says whether there were more (``truncated``)."""
    lang = _lang_key(lang)
    template, bindings = prepare(source, name, params)
    result = run_template(template, bindings, source=source)
    truncated = False
    if limit is not None:
        result, truncated = _cut(result, limit)
    return build_answer(template, result, source=source, lang=lang, truncated=truncated)


def _cut(result: SelectResult | Graph, limit: int) -> tuple[SelectResult | Graph, bool]:
    if isinstance(result, SelectResult):
        return SelectResult(result.variables, result.rows[:limit]), len(result.rows) > limit
    triples = sorted(result, key=lambda t: tuple(t[i].n3() for i in range(3)))
    if len(triples) <= limit:
        return result, False
    part = Graph()
    for prefix, namespace in result.namespaces():
        part.bind(prefix, namespace)
    for triple in triples[:limit]:
        part.add(triple)
    return part, True


def _unnamed_role(iri: URIRef) -> str | None:
    """``buyer`` for a party an article does not name (``article/<slug>/fact/55/buyer``)."""
    text = str(iri)
    if not text.startswith(BASE + "article/"):
        return None
    parts = text[len(BASE) :].split("/")
    if len(parts) < 4 or parts[2] != "fact" or not parts[-1].isalpha():
        return None
    return parts[-1]


def _in_script(labels: Labels, lang: str) -> Labels:
    """For Simplified Chinese, a Traditional label converted where there is no Simplified one."""
    if lang != "zh-Hans":
        return labels
    out: Labels = {}
    for iri, mine in labels.items():
        lowered = {tag.lower(): text for tag, text in mine.items()}
        if "zh-hans" not in lowered and "zh-hant" in lowered:
            lowered["zh-hans"] = to_simplified(lowered["zh-hant"])
        out[iri] = lowered
    return out


def _pick(texts: Mapping[str, str], lang: str) -> str | None:
    """The text in ``lang`` (Simplified converted from Traditional if need be)."""
    lowered = {tag.lower(): text for tag, text in texts.items()}
    if lang.lower() in lowered:
        return lowered[lang.lower()]
    if lang == "zh-Hans" and "zh-hant" in lowered:
        return to_simplified(lowered["zh-hant"])
    return None


def unnamed_labels(source: Source, parties: Iterable[URIRef]) -> Labels:
    """How parties the articles do not name (``article/<slug>/fact/55/buyer``) are shown, per
    language: the record's description of the party in that language, else its role
    ("unnamed buyer", "未具名買方"). Other IRIs among ``parties`` are left out."""
    unnamed = sorted({p for p in parties if _unnamed_role(p)})
    if not unnamed:
        return {}
    roles = {p: URIRef(ONTOLOGY + (_unnamed_role(p) or "")) for p in unnamed}
    role_labels = source.labels(roles.values())
    patterns: Mapping[str, str] = _config()["unnamed"]
    out: Labels = {}
    for party in unnamed:
        descriptions: dict[str, str] = {}
        for row in source.select(_sparql("descriptions"), {"iri": party}).rows:
            text = row.get("text")
            if isinstance(text, Literal):
                descriptions.setdefault(text.language or "", str(text))
        mine: dict[str, str] = {}
        for lang in LANGUAGES:
            described = _pick(descriptions, lang)
            if described:
                mine[lang] = described
                continue
            role = _pick(role_labels.get(roles[party], {}), lang)
            if role is None:
                role = _pick(role_labels.get(roles[party], {}), "en") or _unnamed_role(party)
            mine[lang] = str(patterns.get(lang) or patterns["en"]).format(role=role)
        out[party] = mine
    return out


def _matches(when: Mapping[str, str] | None, row: Mapping[str, Node]) -> bool:
    return all(str(row.get(k, "")) == str(v) for k, v in (when or {}).items())


def _consumed(spec: Mapping[str, Any]) -> set[str]:
    """The columns a figure reads besides its own."""
    return {str(spec[k]) for k in ("value", "low", "high", "unit", "bound") if spec.get(k)} - {
        str(spec["column"])
    }


def _figure(
    spec: Mapping[str, Any], row: Mapping[str, Node], labels: Labels, lang: str
) -> tuple[str, dict[str, str]]:
    """The display text of one figure cell and its raw parts."""

    def term(key: str) -> Node | None:
        column = spec.get(key)
        return row.get(str(column)) if column else None

    raw_value, raw_low, raw_high = term("value"), term("low"), term("high")
    value = amounts.parse_decimal(raw_value) if isinstance(raw_value, Literal) else None
    low = amounts.parse_decimal(raw_low) if isinstance(raw_low, Literal) else None
    high = amounts.parse_decimal(raw_high) if isinstance(raw_high, Literal) else None
    if value is None and isinstance(raw_value, Literal) and "–" in str(raw_value):
        first, _, second = str(raw_value).partition("–")  # a range the template wrote low–high
        low, high = amounts.parse_decimal(first), amounts.parse_decimal(second)
    unit_term = term("unit")
    unit = str(spec["fixed_unit"]) if spec.get("fixed_unit") else None
    if unit_term is not None:
        unit = str(unit_term)
    bound = term("bound")
    text = amounts.figure(value=value, low=low, high=high, unit=unit, bound=bound, lang=lang)
    if not text and raw_value is not None:
        text = str(raw_value)  # not a number: as the data gives it
    column = str(spec["column"])
    parts = {
        "value": value if value is not None else None,
        "low": low,
        "high": high,
    }
    raw = {f"{column}_{k}": str(v) for k, v in parts.items() if v is not None}
    if text and unit:
        raw[f"{column}_unit"] = unit
    if isinstance(bound, URIRef):
        raw[f"{column}_bound"] = str(bound)
    return text, raw


def _path_iris(text: str) -> list[URIRef]:
    return [URIRef(f"{BASE}firm/{part.strip()}") for part in text.split("→") if part.strip()]


def build_answer(
    template: Template,
    result: SelectResult | Graph,
    *,
    source: Source,
    lang: str = "en",
    truncated: bool = False,
) -> Answer:
    """The answer of ``template`` from its raw ``result`` (labels read from ``source``)."""
    lang = _lang_key(lang)
    config = _config()
    table = result if isinstance(result, SelectResult) else graph_rows(result)
    figures: list[Mapping[str, Any]] = list(config.get("figures", {}).get(template.name, []))
    paths = set(config.get("paths", [])) & set(table.variables)
    words: Mapping[str, Mapping[str, Mapping[str, str]]] = config.get("words", {})
    inverse: Mapping[str, Any] = config.get("inverse", {}).get(template.name, {})

    iris = {t for row in table.rows for t in row.values() if isinstance(t, URIRef)}
    unnamed = {i for i in iris if _unnamed_role(i)}
    wanted = set(iris)
    for row in table.rows:
        for column in paths:
            if isinstance(row.get(column), Literal):
                wanted.update(_path_iris(str(row[column])))
    labels = _in_script(source.labels(wanted), lang)
    unnamed_names = {p: texts[lang] for p, texts in unnamed_labels(source, unnamed).items()}

    hidden = set().union(*(_consumed(s) for s in figures if not s.get("when")))
    columns = [v for v in table.variables if v not in hidden]
    rows: list[dict[str, str]] = []
    row_iris: list[dict[str, str]] = []
    row_values: list[dict[str, str]] = []
    for row in table.rows:
        shown: dict[str, str] = {}
        raw: dict[str, str] = {}
        blank: set[str] = set()
        for spec in figures:
            if not _matches(spec.get("when"), row):
                continue
            text, parts = _figure(spec, row, labels, lang)
            shown[str(spec["column"])] = text
            raw.update(parts)
            blank |= _consumed(spec)
        mine: dict[str, str] = {}
        for column in columns:
            term = row.get(column)
            if column in blank:
                shown[column] = ""
                continue
            if isinstance(term, URIRef) and column not in shown:
                mine[column] = str(term)
            if column in shown:
                continue
            shown[column] = _cell(
                column,
                term,
                labels=labels,
                lang=lang,
                unnamed=unnamed_names,
                words=words,
                paths=paths,
            )
        if inverse and _matches(inverse.get("when"), row):
            column = str(inverse["column"])
            texts = inverse.get("labels", {}).get(str(row.get(column, "")))
            if texts:
                shown[column] = str(texts.get(lang) or texts.get("en") or shown.get(column, ""))
        rows.append(shown)
        row_iris.append(mine)
        row_values.append(raw)
    if rows:
        columns = [c for c in columns if any(r.get(c) for r in rows)]
    headers = {c: _header(c, lang) for c in columns}
    return Answer(
        template=template.name,
        columns=columns,
        headers=headers,
        rows=[{c: r.get(c, "") for c in columns} for r in rows],
        iris=[{c: v for c, v in i.items() if c in columns} for i in row_iris],
        result=result,
        values=row_values,
        lang=lang,
        truncated=truncated,
    )


def _header(column: str, lang: str) -> str:
    texts = _config().get("headers", {}).get(column)
    if not isinstance(texts, Mapping):
        return column
    return str(texts.get(lang) or texts.get("en") or column)


def _cell(
    column: str,
    term: Node | None,
    *,
    labels: Labels,
    lang: str,
    unnamed: Mapping[URIRef, str],
    words: Mapping[str, Mapping[str, Mapping[str, str]]],
    paths: set[str],
) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        if term in unnamed:
            return unnamed[term]
        return display(term, labels=labels, lang=lang)
    if isinstance(term, Literal):
        text = str(term)
        if column in paths:
            parts = [display(iri, labels=labels, lang=lang) for iri in _path_iris(text)]
            return " → ".join(parts)
        said = words.get(column, {}).get(text)
        if said:
            return str(said.get(lang) or said.get("en") or text)
        return text
    return display(term, labels=labels, lang=lang)
