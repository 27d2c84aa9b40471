"""Fact records: reading and checking the YAML files (``reader``) and the generic,
ontology-driven mapping of a record to its article graph (``mapper``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.records.mapper import (
        DATE_TYPES,
        PropertyInfo,
        Schema,
        fact_node,
        map_record,
        record_entity,
    )
    from kg.records.reader import (
        FACT_KEYS,
        HEADER_KEYS,
        ArticleHeader,
        Fact,
        Problems,
        Record,
        RecordError,
        Span,
        YamlList,
        YamlMap,
        declared_individuals,
        load_record,
        load_records,
        parse_date,
        parse_yaml,
        read_text,
        record_files,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "ArticleHeader": "reader",
    "DATE_TYPES": "mapper",
    "FACT_KEYS": "reader",
    "Fact": "reader",
    "HEADER_KEYS": "reader",
    "Problems": "reader",
    "PropertyInfo": "mapper",
    "Record": "reader",
    "RecordError": "reader",
    "Schema": "mapper",
    "Span": "reader",
    "YamlList": "reader",
    "YamlMap": "reader",
    "declared_individuals": "reader",
    "fact_node": "mapper",
    "load_record": "reader",
    "load_records": "reader",
    "map_record": "mapper",
    "parse_date": "reader",
    "parse_yaml": "reader",
    "read_text": "reader",
    "record_entity": "mapper",
    "record_files": "reader",
}
__all__ = [
    "DATE_TYPES",
    "FACT_KEYS",
    "HEADER_KEYS",
    "ArticleHeader",
    "Fact",
    "Problems",
    "PropertyInfo",
    "Record",
    "RecordError",
    "Schema",
    "Span",
    "YamlList",
    "YamlMap",
    "declared_individuals",
    "fact_node",
    "load_record",
    "load_records",
    "map_record",
    "parse_date",
    "parse_yaml",
    "read_text",
    "record_entity",
    "record_files",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
