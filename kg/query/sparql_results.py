"""SPARQL 1.1 Query Results in the four W3C formats (JSON, XML, CSV, TSV): the project's one
writer of them, for ``kg query`` and for ``kg serve``, and the JSON reader for endpoints.

The formats are pyoxigraph's :class:`~pyoxigraph.QueryResultsFormat` (media types and names come
from it). pyoxigraph's own ``QuerySolutions.serialize`` writes a whole answer as it comes from
the engine; here the rows are a :class:`~kg.store.SelectResult` (rdflib terms), which may have been
cut at a row limit or come from another endpoint, so they are written here.

>>> from rdflib import Literal, URIRef
>>> r = SelectResult(["firm", "n"], [{"firm": URIRef("urn:x:a"), "n": Literal(2)}])
>>> serialize_select(r, ox.QueryResultsFormat.TSV).decode().splitlines()[1].split()
['<urn:x:a>', '"2"^^<http://www.w3.org/2001/XMLSchema#integer>']
>>> serialize_boolean(True, ox.QueryResultsFormat.JSON)
b'{"head": {}, "boolean": true}'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.core.terms import nt
from kg.store.embedded import SelectResult

__all__ = [
    "parse_sparql_json",
    "serialize_boolean",
    "serialize_select",
    "sparql_json",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NS = "http://www.w3.org/2005/sparql-results#"


# -- JSON -------------------------------------------------------------------------------------
def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def sparql_json(result: SelectResult) -> dict[str, object]:
    """The result in the SPARQL 1.1 Query Results JSON format (as a JSON object)."""
    return {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [
                {v: _json_term(row[v]) for v in result.variables if v in row} for row in result.rows
            ]
        },
    }


def _term_from_json(data: Mapping[str, str]) -> Node:
    kind = data["type"]
    value = data["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if data.get("xml:lang"):
            return Literal(value, lang=data["xml:lang"])
        datatype = data.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise ValueError(f"unknown term type {kind!r}")


def parse_sparql_json(data: Mapping[str, object]) -> SelectResult:
    """A ``SelectResult`` from SPARQL 1.1 JSON results (raises KeyError/ValueError if malformed)."""
    head = data["head"]
    results = data["results"]
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise ValueError("not SPARQL JSON results")
    variables = [str(v) for v in head.get("vars", [])]
    rows = [
        {str(k): _term_from_json(v) for k, v in binding.items()} for binding in results["bindings"]
    ]
    return SelectResult(variables, rows)


# -- XML, CSV, TSV ------------------------------------------------------------------------------
def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            dt = quoteattr(str(term.datatype))
            return f"<literal datatype={dt}>{escape(str(term))}</literal>"
        return f"<literal>{escape(str(term))}</literal>"
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_term(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _tsv_term(term: Node) -> str:
    """A term in TSV: its N-Triples syntax."""
    return nt(term).replace("\t", "\\t")


def serialize_select(result: SelectResult, fmt: ox.QueryResultsFormat) -> bytes:
    """The rows of ``result`` in one of the four W3C formats."""
    variables = result.variables
    if fmt == ox.QueryResultsFormat.JSON:
        return json.dumps(sparql_json(result), ensure_ascii=False).encode("utf-8")
    if fmt == ox.QueryResultsFormat.XML:
        out = [f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.append("</head><results>")
        for row in result.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>"
                for v in variables
                if v in row
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == ox.QueryResultsFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in result.rows:
            writer.writerow([_csv_term(row[v]) if v in row else "" for v in variables])
        return buffer.getvalue().encode("utf-8")
    if fmt == ox.QueryResultsFormat.TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += [
            "\t".join(_tsv_term(row[v]) if v in row else "" for v in variables)
            for row in result.rows
        ]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a SPARQL results format: {fmt}")


def serialize_boolean(value: bool, fmt: ox.QueryResultsFormat) -> bytes:
    """An ASK answer in one of the four W3C formats."""
    if fmt == ox.QueryResultsFormat.JSON:
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == ox.QueryResultsFormat.XML:
        text = "true" if value else "false"
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="{_NS}"><head/><boolean>{text}</boolean>'
            "</sparql>\n"
        ).encode()
    head = "_askResult\r\n" if fmt == ox.QueryResultsFormat.CSV else "?_askResult\n"
    return (head + str(value).lower() + "\n").encode("utf-8")
