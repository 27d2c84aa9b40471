"""Checking parameter values against their declared kind, and binding them (never pasting).

A value given on the command line is turned into one RDF term after it has been checked: an IRI
parameter takes a slug, ``kind/slug``, a prefixed name or a well-formed absolute IRI, or a name
of the individual in any script or case (``NVIDIA``, ``輝達``, ``辉达``: its labels and other
names, compared folded by :func:`kg.core.scripts.fold`); a date must be a date (a month or a
year means its last day), a number a number. Anything else is refused with an ``InputError``
that names the parameter, says what was expected and, for a name, which names come close
("did you mean") or, for a concept of a scheme, every value it takes. The embedded store binds
the terms through substitutions; a remote endpoint gets them in a ``VALUES`` block put at the
start of the query's top-level WHERE group, written from the checked terms.

>>> from kg.query.templates import parse_template
>>> t = parse_template(
...     "#+ summary: s\\n#+ params:\\n#+   firm: {kind: firm, description: the firm}\\n"
...     "SELECT ?p WHERE { GRAPH ?g { ?_firm_iri ?p ?o } } ORDER BY ?p", name="t")
>>> bind(t, {"firm": "nvidia"})
{'_firm_iri': rdflib.term.URIRef('https://w3id.org/aikg/id/firm/nvidia')}
>>> bind(t, {"firm": "nvidia> } ; DROP ALL ; #"})
Traceback (most recent call last):
...
kg.core.errors.InputError: parameter 'firm' of t: expected a firm (a name or slug such as ...
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE, ONTOLOGY, PREFIXES, SLUG
from kg.core.scripts import fold
from kg.core.terms import nt
from kg.query.templates import XSD, Parameter, Template

__all__ = [
    "MAX_VALUE_LENGTH",
    "SUGGESTIONS",
    "Knows",
    "Names",
    "bind",
    "is_well_formed_iri",
    "parse_assignments",
    "sparql_term",
    "values_block",
    "with_values",
]

#: longer values are refused outright
MAX_VALUE_LENGTH = 1000

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f]+")
_PREFIXED = re.compile(
    r"(?P<prefix>[A-Za-z][A-Za-z0-9_\-]*):(?P<local>[A-Za-z0-9_][A-Za-z0-9_\-.]*)"
)
_CONCEPT = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_REF = re.compile(r"(?P<kind>[a-z]+)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
_YEAR = re.compile(r"[0-9]{4}")
_LEXICAL = {
    XSD + "gYearMonth": _YEAR_MONTH,
    XSD + "gYear": _YEAR,
    XSD + "boolean": re.compile("true|false"),
}

#: tells whether an IRI names something in the dataset
Knows = Callable[[URIRef], bool]
#: the individuals a parameter may name, each with its names (labels, other names, local name)
Names = Callable[[Parameter], Mapping[URIRef, Sequence[str]]]
#: how many close names a refusal suggests
SUGGESTIONS = 3


def is_well_formed_iri(value: str) -> bool:
    """An absolute IRI with none of the characters SPARQL forbids in ``<...>``.

    >>> is_well_formed_iri("https://w3id.org/aikg/id/firm/nvidia")
    True
    >>> is_well_formed_iri("http://x.org/a> } ; DROP ALL { <y")
    False
    """
    return _ABSOLUTE_IRI.fullmatch(value) is not None


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["firm=nvidia", "as_of=2026-01-31"]`` → a mapping; a repeated name is an error."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--param {item!r}: expected NAME=VALUE")
        if name in out:
            raise InputError(f"--param {name}: given twice")
        out[name] = value.strip()
    return out


def _refuse(template: Template, param: Parameter, value: str, why: str = "") -> InputError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return InputError(
        f"parameter '{param.name}' of {template.name}: expected {param.expects}, got {shown!r}{why}"
    )


def _short(iri: URIRef) -> str:
    """``firm/nvidia`` or ``TrailingPE``: how a refusal names an individual."""
    text = str(iri)
    for base in (BASE, ONTOLOGY):
        if text.startswith(base):
            return text[len(base) :]
    return text


def _by_name(
    template: Template, param: Parameter, value: str, names: Names, why: str = ""
) -> URIRef:
    """The one individual ``value`` names (folded: any script, any case), or a refusal that
    lists the close names, or every value of an enumeration."""
    known = names(param)
    wanted = fold(" ".join(value.split()))
    folded: dict[str, set[URIRef]] = {}
    shown: dict[str, str] = {}
    for iri, labels in known.items():
        for label in (*labels, _short(iri), _short(iri).rsplit("/", 1)[-1]):
            key = fold(" ".join(label.split()))
            folded.setdefault(key, set()).add(iri)
            shown.setdefault(key, label)
    found = folded.get(wanted, set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        which = ", ".join(sorted(_short(i) for i in found))
        raise _refuse(template, param, value, f": several share that name ({which}); give one")
    close = difflib.get_close_matches(wanted, list(folded), n=SUGGESTIONS * 3, cutoff=0.6)
    picks: dict[URIRef, str] = {}  # one suggestion per individual, by its closest name
    for key in close:
        for iri in sorted(folded[key]):
            if iri not in picks and len(picks) < SUGGESTIONS:
                picks[iri] = f"'{shown[key]}' ({_short(iri)})"
    text = why + (f"; did you mean {' or '.join(picks.values())}?" if picks else "")
    if param.scheme and known:
        values = ", ".join(sorted(_short(i) for i in known))
        text += f"{' The' if picks else '; the'} values it takes: {values}"
    raise _refuse(template, param, value, text)


def _iri(
    template: Template, param: Parameter, value: str, knows: Knows | None, names: Names | None
) -> URIRef:
    kind = param.kind or "any"
    candidate: URIRef | None = None
    ours = False
    prefixed = _PREFIXED.fullmatch(value)
    ref = _REF.fullmatch(value)
    if value.startswith("<") and value.endswith(">") and is_well_formed_iri(value[1:-1]):
        candidate = URIRef(value[1:-1])
    elif prefixed and prefixed["prefix"] in PREFIXES:
        candidate = URIRef(PREFIXES[prefixed["prefix"]] + prefixed["local"])
        ours = True
    elif ref and kind not in ("concept",):
        candidate = URIRef(f"{BASE}{ref['kind']}/{ref['slug']}")
        ours = True
    elif kind == "concept" and _CONCEPT.fullmatch(value):
        candidate = URIRef(ONTOLOGY + value)
        ours = True
    elif kind not in ("concept", "individual", "any") and SLUG.fullmatch(value):
        candidate = URIRef(f"{BASE}{kind}/{value}")
        ours = True
    elif "://" in value and is_well_formed_iri(value):
        candidate = URIRef(value)
    if candidate is None or not is_well_formed_iri(str(candidate)):
        if names is not None and not value.startswith("<"):
            return _by_name(template, param, value, names)
        raise _refuse(template, param, value)
    unknown = ours and knows is not None and not knows(candidate)
    if param.scheme and names is not None:
        members = names(param)  # a store without the scheme's concepts cannot tell
        if members and candidate not in members:
            unknown = True
    if unknown:
        why = f": the dataset has no {candidate}"
        if names is not None:
            return _by_name(template, param, value, names, why)
        raise _refuse(template, param, value, why)
    return candidate


def _number(template: Template, param: Parameter, value: str) -> Literal:
    integer_only = param.datatype == XSD + "integer"
    if _INTEGER.fullmatch(value):
        literal = Literal(value, datatype=URIRef(XSD + "integer"))
    elif not integer_only and _DECIMAL.fullmatch(value):
        literal = Literal(value, datatype=URIRef(XSD + "decimal"))
    else:
        raise _refuse(template, param, value)
    number = literal.toPython()
    if (param.minimum is not None and number < param.minimum) or (
        param.maximum is not None and number > param.maximum
    ):
        raise _refuse(template, param, value)
    return literal


def _literal(template: Template, param: Parameter, value: str) -> Literal:
    datatype = param.datatype
    if param.type == "number" or datatype in {XSD + "integer", XSD + "decimal"}:
        return _number(template, param, value)
    if datatype == XSD + "date":
        value = _end_of_period(template, param, value)
    else:
        pattern = _LEXICAL.get(datatype or "")
        if pattern is not None and not pattern.fullmatch(value):
            raise _refuse(template, param, value)
    if param.lang:
        return Literal(value, lang=param.lang)
    if datatype and datatype != XSD + "string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _end_of_period(template: Template, param: Parameter, value: str) -> str:
    """A date as given, or the last day of a month (``2025-10``) or year (``2025``) given.

    >>> from kg.query.templates import parse_template
    >>> t = parse_template("#+ summary: s\\n#+ params:\\n#+   d: {description: d}\\n"
    ...     "SELECT ?x WHERE { BIND(?__d_xsd_date AS ?x) }", name="t")
    >>> [_end_of_period(t, t.parameters[0], v) for v in ("2025-10", "2024-02", "2025")]
    ['2025-10-31', '2024-02-29', '2025-12-31']
    """
    try:
        if _DATE.fullmatch(value):
            dt.date.fromisoformat(value)
            return value
        if _YEAR_MONTH.fullmatch(value):
            year, month = int(value[:4]), int(value[5:])
            return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
        if _YEAR.fullmatch(value):
            return f"{value}-12-31"
        raise ValueError(value)
    except ValueError:
        raise _refuse(template, param, value) from None


def bind(
    template: Template,
    given: Mapping[str, str],
    *,
    knows: Knows | None = None,
    names: Names | None = None,
) -> dict[str, Node]:
    """The checked terms for ``given`` values (defaults filled in), keyed by SPARQL variable.

    ``knows`` (if given) is asked whether a slug or prefixed name names something in the
    dataset; an unknown one is refused. ``names`` (if given) gives the names of what an IRI
    parameter may take: a value that is no slug or IRI is looked up among them, and a refusal
    says which come close.
    """
    for name in given:
        if template.parameter(name) is None:
            takes = ", ".join(p.name for p in template.parameters) or "no parameters"
            raise InputError(f"{template.name} has no parameter '{name}' (it takes: {takes})")
    out: dict[str, Node] = {}
    for param in template.parameters:
        value = given.get(param.name, given.get(param.grlc_name))
        if not value:  # not given, or given empty: the default, if any
            value = param.default
        if not value:
            if param.required:
                raise InputError(f"{template.name} needs {param.name}=VALUE ({param.expects})")
            continue
        if len(value) > MAX_VALUE_LENGTH or any(ord(c) < 0x20 for c in value):
            raise _refuse(template, param, value)
        if param.type == "iri":
            out[param.variable] = _iri(template, param, value, knows, names)
        else:
            out[param.variable] = _literal(template, param, value)
    return out


def sparql_term(term: Node) -> str:
    """A checked term written in SPARQL syntax (full IRIs, escaped strings).

    >>> sparql_term(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if isinstance(term, URIRef):
        if not is_well_formed_iri(str(term)):
            raise InputError(f"not a well-formed IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language and not re.fullmatch(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*", term.language):
            raise InputError(f"not a language tag: {term.language!r}")
        if term.datatype is not None:
            sparql_term(URIRef(term.datatype))  # checked like any IRI
        return nt(term)
    raise InputError(f"cannot bind {term!r}")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for the bound variables (empty text for none).

    >>> values_block({"_firm_iri": URIRef("https://w3id.org/aikg/id/firm/nvidia")})
    'VALUES (?_firm_iri) { (<https://w3id.org/aikg/id/firm/nvidia>) }'
    """
    if not bindings:
        return ""
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise InputError(f"not a variable name: {name!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({head}) {{ ({row}) }}"


def with_values(query: str, offset: int, bindings: Mapping[str, Node]) -> str:
    """``query`` with a VALUES block for ``bindings`` inserted at ``offset`` (inside WHERE)."""
    block = values_block(bindings)
    if not block:
        return query
    return f"{query[:offset]}\n  {block}\n{query[offset:]}"
