"""The query templates: the catalogue (``templates``), checked parameters (``params``),
running a template on the store or an endpoint (``run``), the readable answer every output
writes its rows from (``answer``), figures as the press writes them (``amounts``), result
formats (``results``) and pictures (``pictures``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.query.amounts import figure, money, money_range, number, quantity
    from kg.query.answer import LANGUAGES, Answer, answer, build_answer, names_in, prepare
    from kg.query.params import (
        MAX_VALUE_LENGTH,
        bind,
        is_well_formed_iri,
        parse_assignments,
        sparql_term,
        values_block,
        with_values,
    )
    from kg.query.results import (
        Format,
        display,
        format_for_path,
        graph_rows,
        render,
    )
    from kg.query.run import (
        DEFAULT_TIMEOUT,
        EndpointSource,
        Labels,
        Source,
        StoreSource,
        run_template,
    )
    from kg.query.sparql_results import (
        parse_sparql_json,
        serialize_boolean,
        serialize_select,
        sparql_json,
    )
    from kg.query.templates import (
        HEADER_KEYS,
        Parameter,
        Template,
        Token,
        load_catalogue,
        load_template,
        parse_template,
        tokens,
        where_offset,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "LANGUAGES": "answer",
    "Answer": "answer",
    "answer": "answer",
    "build_answer": "answer",
    "figure": "amounts",
    "money": "amounts",
    "money_range": "amounts",
    "names_in": "answer",
    "number": "amounts",
    "prepare": "answer",
    "quantity": "amounts",
    "DEFAULT_TIMEOUT": "run",
    "EndpointSource": "run",
    "Format": "results",
    "HEADER_KEYS": "templates",
    "Labels": "run",
    "MAX_VALUE_LENGTH": "params",
    "Parameter": "templates",
    "Source": "run",
    "StoreSource": "run",
    "Template": "templates",
    "Token": "templates",
    "bind": "params",
    "display": "results",
    "format_for_path": "results",
    "graph_rows": "results",
    "is_well_formed_iri": "params",
    "load_catalogue": "templates",
    "load_template": "templates",
    "parse_assignments": "params",
    "parse_sparql_json": "sparql_results",
    "parse_template": "templates",
    "render": "results",
    "run_template": "run",
    "serialize_boolean": "sparql_results",
    "serialize_select": "sparql_results",
    "sparql_json": "sparql_results",
    "sparql_term": "params",
    "tokens": "templates",
    "values_block": "params",
    "where_offset": "templates",
    "with_values": "params",
}
__all__ = [
    "DEFAULT_TIMEOUT",
    "HEADER_KEYS",
    "LANGUAGES",
    "MAX_VALUE_LENGTH",
    "Answer",
    "EndpointSource",
    "Format",
    "Labels",
    "Parameter",
    "Source",
    "StoreSource",
    "Template",
    "Token",
    "answer",
    "bind",
    "build_answer",
    "display",
    "figure",
    "format_for_path",
    "graph_rows",
    "is_well_formed_iri",
    "load_catalogue",
    "load_template",
    "money",
    "money_range",
    "names_in",
    "number",
    "parse_assignments",
    "parse_sparql_json",
    "parse_template",
    "prepare",
    "quantity",
    "render",
    "run_template",
    "serialize_boolean",
    "serialize_select",
    "sparql_json",
    "sparql_term",
    "tokens",
    "values_block",
    "where_offset",
    "with_values",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
