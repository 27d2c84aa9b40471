"""The OpenAPI 3 description of ``kg serve``, generated from the template catalogue.

Each template is ``GET /api/<name>`` with its parameters as query parameters (required or not,
their type, bounds and default); the SPARQL protocol and the Graph Store read endpoint are
described as well.

>>> from kg.query.templates import parse_template
>>> t = parse_template(
...     "#+ summary: Labels of a firm\\n"
...     "#+ params:\\n"
...     "#+   firm: {kind: firm, description: the firm}\\n"
...     "SELECT ?l WHERE { GRAPH ?g { ?_firm_iri ?p ?l } }\\n",
...     name="labels",
... )
>>> doc = openapi({"labels": t}, version="0")
>>> doc["paths"]["/api/labels"]["get"]["parameters"][0]["name"]
'firm'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.query.answer import LANGUAGES
from kg.query.templates import XSD, Parameter, Template
from kg.server.jobs import GRAPH_TYPES, RESULT_TYPES

__all__ = ["openapi"]

_TEXT = {"text/plain": {"schema": {"type": "string"}}}


def _schema(param: Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if param.type == "number" or param.datatype in (XSD + "integer", XSD + "decimal"):
        schema = {"type": "integer" if param.datatype == XSD + "integer" else "number"}
        if param.minimum is not None:
            schema["minimum"] = float(param.minimum)
        if param.maximum is not None:
            schema["maximum"] = float(param.maximum)
    elif param.datatype == XSD + "date":  # a date, or a month or year (its last day)
        schema["pattern"] = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
    elif param.datatype == XSD + "boolean":
        schema = {"type": "boolean"}
    if param.default is not None:
        kind = schema["type"]
        schema["default"] = (
            int(param.default)
            if kind == "integer"
            else float(param.default)
            if kind == "number"
            else param.default
        )
    return schema


def _operation(template: Template) -> dict[str, Any]:
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": f"{p.description} ({p.expects})".strip(),
            "schema": _schema(p),
        }
        for p in template.parameters
    ]
    parameters += [
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "the language of labels, figures and headers",
            "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "csv or json (the answer), sparql-json (the raw results);"
            " else the Accept header decides",
            "schema": {"type": "string", "enum": ["csv", "json", "sparql-json"]},
        },
    ]
    if template.form in ("SELECT", "ASK"):
        ok = {
            "description": "the answer (labels, readable figures, IRIs in <column>_iri): JSON"
            " or CSV (Accept: text/csv or format=csv); the raw SPARQL 1.1 Query Results JSON"
            " for Accept: application/sparql-results+json or format=sparql-json",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/sparql-results+json": {"schema": {"type": "object"}},
            },
        }
    else:
        ok = {
            "description": "the graph as JSON-LD",
            "content": {"application/ld+json": {"schema": {"type": "object"}}},
        }
    return {
        "operationId": template.name.replace("-", "_"),
        "summary": template.summary,
        "description": template.description,
        "tags": list(template.tags),
        "parameters": parameters,
        "responses": {
            "200": ok,
            "400": {"description": "a parameter is missing or has a bad value", "content": _TEXT},
            "504": {"description": "the query ran past the time limit", "content": _TEXT},
        },
    }


def _sparql_paths() -> dict[str, Any]:
    query_param = {
        "name": "query",
        "in": "query",
        "required": True,
        "description": "a SPARQL 1.1 query (read-only: updates are refused)",
        "schema": {"type": "string"},
    }
    results = {t: {"schema": {"type": "string"}} for t in (*RESULT_TYPES, *GRAPH_TYPES)}
    responses: dict[str, dict[str, Any]] = {
        "200": {"description": "the results, in the format the Accept header asks for"},
        "400": {"description": "not a SPARQL query", "content": _TEXT},
        "403": {"description": "an update: this endpoint is read-only", "content": _TEXT},
        "504": {"description": "the query ran past the time limit", "content": _TEXT},
    }
    responses["200"]["content"] = results
    form = {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
        },
        "application/sparql-query": {"schema": {"type": "string"}},
    }
    graph_param = {
        "name": "graph",
        "in": "query",
        "required": False,
        "description": "the graph's IRI (or use the 'default' parameter)",
        "schema": {"type": "string", "format": "uri"},
    }
    return {
        "/sparql": {
            "get": {
                "summary": "SPARQL 1.1 Protocol query",
                "parameters": [query_param],
                "responses": responses,
            },
            "post": {
                "summary": "SPARQL 1.1 Protocol query (POST)",
                "requestBody": {"content": form},
                "responses": responses,
            },
        },
        "/store": {
            "get": {
                "summary": "SPARQL 1.1 Graph Store Protocol: read one graph",
                "parameters": [graph_param],
                "responses": {
                    "200": {
                        "description": "the graph",
                        "content": {t: {"schema": {"type": "string"}} for t in GRAPH_TYPES},
                    },
                    "404": {"description": "no such graph", "content": _TEXT},
                },
            }
        },
    }


def openapi(templates: Mapping[str, Template], *, version: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document for ``templates``."""
    paths: dict[str, Any] = {
        f"/api/{name}": {"get": _operation(t)} for name, t in templates.items()
    }
    paths.update(_sparql_paths())
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "aikg",
            "version": version,
            "description": "The AI-infrastructure knowledge graph: query templates as an API, "
            "the SPARQL 1.1 Protocol (read-only) and the Graph Store Protocol (read).",
        },
        "paths": paths,
    }
