"""The template catalogue: ``queries/*.rq`` files with a grlc header and BASIL-style parameters.

A template is a SPARQL query preceded by ``#+ `` lines that hold YAML (``summary``,
``description``, ``tags``, ``defaults``, ``endpoint``, and our own ``params`` with a description,
the kind of individual and the bounds of each parameter). Parameters are named in the query
itself, as grlc and BASIL do: ``?_firm_iri`` is mandatory, ``?__asOf_xsd_date`` optional.
grlc names cannot hold an underscore, so a camelCase name (``maxLength``) is the parameter
``max_length`` on the command line.

>>> t = parse_template(
...     "#+ summary: Labels of a firm\\n"
...     "#+ params:\\n"
...     "#+   firm: {kind: firm, description: the firm}\\n"
...     "SELECT ?l WHERE { GRAPH ?g { ?_firm_iri ?p ?l } } ORDER BY ?l\\n",
...     name="labels",
... )
>>> [(p.name, p.variable, p.required, p.kind) for p in t.parameters]
[('firm', '_firm_iri', True, 'firm')]
>>> t.form
'SELECT'
>>> t.query[t.where_offset - 1]
'{'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from kg.core.errors import InputError
from kg.core.paths import queries_dir
from kg.core.sparql_text import Token, tokens

__all__ = [
    "HEADER_KEYS",
    "Parameter",
    "Template",
    "Token",
    "load_catalogue",
    "load_template",
    "parse_template",
    "tokens",
    "where_offset",
]

XSD = "http://www.w3.org/2001/XMLSchema#"

#: the header keys grlc knows, plus ``params`` (ours: what each parameter means)
HEADER_KEYS = frozenset(
    {
        "summary",
        "description",
        "tags",
        "defaults",
        "endpoint",
        "enumerate",
        "pagination",
        "method",
        "transform",
        "endpoint_in_url",
        "params",
    }
)

#: datatypes a parameter may declare (``?_since_xsd_date``, ``?_n_integer``)
_DATATYPES = frozenset({"date", "gYear", "gYearMonth", "integer", "decimal", "boolean", "string"})
#: individual kinds a parameter may declare, besides the path kinds of docs/model.md
_SPECIAL_KINDS = frozenset({"individual", "concept", "any"})
_PATH_KINDS = frozenset(
    {
        *("firm", "person", "country", "region", "chip", "architecture", "datacenter", "model"),
        *("event", "agency", "market", "index", "deal", "article", "metric", "claim"),
        *("listing", "agent"),
        *("activity", "evidence", "graph"),
    }
)
#: the example slug a message shows for a kind (else 'nvidia')
_EXAMPLE_SLUGS = {"index": "sox", "market": "us-hyperscalers", "chip": "h200", "country": "us"}
_PARAM_KEYS = frozenset({"kind", "description", "min", "max", "scheme"})

_VARIABLE = re.compile(r"(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)(?:_(?P<rest>[A-Za-z0-9_]+))?")


def where_offset(text: str) -> int:
    """The offset just inside the ``{`` that opens the top-level WHERE group.

    >>> q = 'CONSTRUCT { ?s ?p "WHERE {" } WHERE { ?s ?p ?o }'
    >>> q[where_offset(q):]
    ' ?s ?p ?o }'
    """
    depth = 0
    seen_where = False
    first_brace: int | None = None
    form = ""
    for token in tokens(text):
        if token.kind == "word" and not form and token.text.upper() in _FORMS:
            form = token.text.upper()
        if token.kind == "word" and depth == 0 and token.text.upper() == "WHERE":
            seen_where = True
        elif token.kind == "punct" and token.text == "{":
            if depth == 0:
                if seen_where:
                    return token.start + 1
                if first_brace is None:
                    first_brace = token.start + 1
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
    if first_brace is not None and form in {"SELECT", "ASK", "DESCRIBE"}:
        return first_brace
    raise InputError("the query has no top-level WHERE group")


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def _query_form(text: str) -> str:
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    raise InputError("the query is not a SELECT, CONSTRUCT, ASK or DESCRIBE")


# -- the catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One parameter of a template.

    ``name`` is what ``--param name=value`` uses (snake_case), ``grlc_name`` the name grlc
    shows (camelCase), ``variable`` the SPARQL variable without its ``?``. ``type`` is ``iri``,
    ``literal`` or ``number``; a literal may have a ``datatype`` (full IRI) or a ``lang``.
    """

    name: str
    grlc_name: str
    variable: str
    required: bool
    type: str
    description: str
    datatype: str | None = None
    lang: str | None = None
    kind: str | None = None
    default: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    #: for a concept: the local name of the SKOS scheme its values come from (an enumeration)
    scheme: str | None = None

    @property
    def expects(self) -> str:
        """What the value must be, in words, for messages and docs."""
        if self.type == "iri":
            if self.kind in _PATH_KINDS:
                article = "an" if self.kind[0] in "aeiou" else "a"
                slug = _EXAMPLE_SLUGS.get(self.kind, "nvidia")
                return (
                    f"{article} {self.kind} (a name or slug such as '{slug}', {self.kind}:slug,"
                    " or an IRI)"
                )
            if self.kind == "concept":
                return (
                    "a concept of the ontology (a name such as 'TrailingPE', aikg:Name or an IRI)"
                )
            return "an individual (kind/slug such as 'firm/nvidia', a prefixed name or an IRI)"
        if self.type == "number" or self.datatype in {XSD + "integer", XSD + "decimal"}:
            what = "a whole number" if self.datatype == XSD + "integer" else "a number"
            if self.minimum is not None and self.maximum is not None:
                what += f" from {self.minimum} to {self.maximum}"
            return what
        if self.datatype == XSD + "date":
            return "a date YYYY-MM-DD (or YYYY-MM, YYYY: the end of that month or year)"
        if self.datatype == XSD + "gYearMonth":
            return "a month YYYY-MM"
        if self.datatype == XSD + "gYear":
            return "a year YYYY"
        if self.datatype == XSD + "boolean":
            return "true or false"
        return "a text"


@dataclass(frozen=True)
class Template:
    """A query template: its header, its parameters and its SPARQL text (header included)."""

    name: str
    path: Path | None
    summary: str
    description: str
    tags: tuple[str, ...]
    endpoint: str | None
    form: str
    query: str
    parameters: tuple[Parameter, ...]
    where_offset: int

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called ``name`` (snake_case or grlc's camelCase), if any."""
        for p in self.parameters:
            if name in (p.name, p.grlc_name):
                return p
        return None


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _header(text: str, where: str) -> tuple[dict[str, object], int]:
    """The YAML of the ``#+`` lines (as grlc reads it) and the number of header lines."""
    lines = text.split("\n")
    yaml_lines: list[str] = []
    for line in lines:
        if line.startswith("#+"):
            yaml_lines.append(line[2:])
    try:
        data = yaml.safe_load("\n".join(yaml_lines)) if yaml_lines else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line_no = None
        if mark is not None:
            header_rows = [i for i, line in enumerate(lines, 1) if line.startswith("#+")]
            line_no = header_rows[min(mark.line, len(header_rows) - 1)]
        raise InputError(f"the #+ header is not YAML: {exc}", file=where, line=line_no) from exc
    if not isinstance(data, dict):
        raise InputError("the #+ header must be a YAML mapping", file=where, line=1)
    return data, len(yaml_lines)


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return i
    return None


def _str_field(data: dict[str, object], key: str, where: str, text: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InputError(f"'{key}' must be a text", file=where, line=_line_of(text, f"{key}:"))
    return value.strip()


def _parameter(variable: str, text: str, where: str) -> Parameter:
    match = _VARIABLE.fullmatch(variable)
    if match is None:
        raise InputError(
            f"?{variable} is not a parameter name (use ?_name or ?_name_type)",
            file=where,
            line=_line_of(text, variable),
        )
    grlc_name = match["name"]
    rest = (match["rest"] or "").split("_") if match["rest"] else []
    ptype, datatype, lang = "literal", None, None
    if rest == ["iri"]:
        ptype = "iri"
    elif rest == ["number"]:
        ptype = "number"
    elif rest in ([], ["literal"], ["string"]):
        ptype = "literal"
    elif len(rest) == 1 and len(rest[0]) == 2 and rest[0].islower():
        lang = rest[0]
    elif len(rest) == 1 and rest[0] in _DATATYPES:
        datatype = XSD + rest[0]
    elif len(rest) == 2 and rest[0] == "xsd" and rest[1] in _DATATYPES:
        datatype = XSD + rest[1]
    else:
        raise InputError(
            f"?{variable}: unsupported parameter type '{'_'.join(rest)}'",
            file=where,
            line=_line_of(text, variable),
        )
    return Parameter(
        name=_snake(grlc_name),
        grlc_name=grlc_name,
        variable=variable,
        required=match["required"] == "_",
        type=ptype,
        description="",
        datatype=datatype,
        lang=lang,
    )


def _decimal(value: object, key: str, where: str, line: int | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise InputError(f"'{key}' must be a number", file=where, line=line) from exc


def _defaults(data: dict[str, object], where: str, text: str) -> dict[str, str]:
    raw = data.get("defaults") or []
    line = _line_of(text, "defaults:")
    items = raw if isinstance(raw, list) else [raw]
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise InputError("'defaults' must be a list of 'name: value'", file=where, line=line)
        for key, value in item.items():
            out[str(key)] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


@functools.lru_cache(maxsize=256)
def parse_template(text: str, *, name: str, path: Path | None = None) -> Template:
    """A template from its text; ``path`` (if any) is named in error messages.

    Kept by text, name and path: the explorer and the server read the catalogue for every
    page, and a template is immutable, so a file is parsed again only when its text changes."""
    where = str(path) if path is not None else name
    data, _ = _header(text, where)
    unknown = sorted(set(data) - HEADER_KEYS)
    if unknown:
        raise InputError(
            f"unknown header key '{unknown[0]}' (known: {', '.join(sorted(HEADER_KEYS))})",
            file=where,
            line=_line_of(text, f"{unknown[0]}:"),
        )
    summary = _str_field(data, "summary", where, text)
    if not summary:
        raise InputError("the header has no 'summary'", file=where, line=1)
    tags_raw = data.get("tags") or []
    if not isinstance(tags_raw, list):
        raise InputError("'tags' must be a list", file=where, line=_line_of(text, "tags:"))
    endpoint = data.get("endpoint")
    try:
        form = _query_form(text)
        offset = where_offset(text)
    except InputError as exc:
        raise InputError(exc.message, file=where) from exc

    seen: dict[str, Parameter] = {}
    for token in tokens(text):
        if token.kind == "var" and token.text[1:].startswith("_"):
            variable = token.text[1:]
            if variable not in seen:
                seen[variable] = _parameter(variable, text, where)
    by_name: dict[str, Parameter] = {}
    for p in seen.values():
        if p.name in by_name:
            raise InputError(
                f"?{p.variable} and ?{by_name[p.name].variable} are one parameter '{p.name}'",
                file=where,
                line=_line_of(text, p.variable),
            )
        by_name[p.name] = p

    specs = data.get("params") or {}
    params_line = _line_of(text, "params:")
    if not isinstance(specs, dict):
        raise InputError(
            "'params' must map each parameter to its spec", file=where, line=params_line
        )
    defaults = _defaults(data, where, text)
    parameters: list[Parameter] = []
    for p in by_name.values():
        spec = specs.get(p.grlc_name, specs.get(p.name))
        line = _line_of(text, f"{p.grlc_name}:") or params_line
        if not isinstance(spec, dict) or not spec.get("description"):
            raise InputError(
                f"parameter '{p.name}' (?{p.variable}) has no description under 'params'",
                file=where,
                line=line,
            )
        extra = sorted(set(spec) - _PARAM_KEYS)
        if extra:
            raise InputError(
                f"parameter '{p.name}': unknown key '{extra[0]}'", file=where, line=line
            )
        kind = spec.get("kind")
        if p.type == "iri":
            kind = kind or "any"
            if kind not in _PATH_KINDS | _SPECIAL_KINDS:
                raise InputError(
                    f"parameter '{p.name}': unknown kind '{kind}'", file=where, line=line
                )
        elif kind is not None:
            raise InputError(f"parameter '{p.name}': only IRIs have a kind", file=where, line=line)
        scheme = spec.get("scheme")
        if scheme is not None and (kind != "concept" or not str(scheme).isalnum()):
            raise InputError(
                f"parameter '{p.name}': a scheme (a local name such as MetricKindScheme) is for"
                " concepts only",
                file=where,
                line=line,
            )
        default = defaults.get(p.grlc_name, defaults.get(p.name))
        parameters.append(
            Parameter(
                name=p.name,
                grlc_name=p.grlc_name,
                variable=p.variable,
                required=p.required,
                type=p.type,
                description=str(spec["description"]).strip(),
                datatype=p.datatype,
                lang=p.lang,
                kind=kind,
                default=default,
                minimum=_decimal(spec.get("min"), "min", where, line),
                maximum=_decimal(spec.get("max"), "max", where, line),
                scheme=str(scheme) if scheme is not None else None,
            )
        )
    stray = sorted(
        {str(k) for k in specs} - {p.grlc_name for p in parameters} - {p.name for p in parameters}
    )
    if stray:
        raise InputError(
            f"'params' names '{stray[0]}', which is not a parameter of the query",
            file=where,
            line=_line_of(text, f"{stray[0]}:"),
        )
    return Template(
        name=name,
        path=path,
        summary=summary,
        description=_str_field(data, "description", where, text),
        tags=tuple(str(t) for t in tags_raw),
        endpoint=str(endpoint) if endpoint else None,
        form=form,
        query=text,
        parameters=tuple(sorted(parameters, key=lambda q: not q.required)),
        where_offset=offset,
    )


def load_template(path: Path) -> Template:
    """The template in file ``path``; its name is the file name without ``.rq``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the template: {exc}", file=path) from exc
    return parse_template(text, name=path.stem, path=path)


def load_catalogue(folder: Path | None = None) -> dict[str, Template]:
    """Every template in ``folder`` (default: the project's ``queries/``), by name, sorted."""
    folder = folder if folder is not None else queries_dir()
    if not folder.is_dir():
        raise InputError("no templates folder", file=folder)
    return {p.stem: load_template(p) for p in sorted(folder.glob("*.rq"))}
