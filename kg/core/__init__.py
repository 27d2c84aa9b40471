"""The ground floor: errors, IRIs and the generated namespace, where data files live, the
one term escaper and rdflib⇄Oxigraph bridge, the one atomic writer, the ontology parsed once,
Chinese script variants and register identifiers (LEI, CIK). Imports nothing else of ``kg``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.core.atomic import (
        write_atomically,
        write_bytes_atomically,
        write_text_atomically,
    )
    from kg.core.errors import (
        InputError,
        NonConformingError,
    )
    from kg.core.identifiers import (
        SEC_EXCHANGE_MIC,
        WIKIDATA_ENTITY,
        IdKind,
        cik10,
        lei_check_digits,
        lei_is_valid,
        listing_slug,
        qid_iri,
    )
    from kg.core.iris import (
        BASE,
        GRAPH_INFERRED,
        GRAPH_LINKSET,
        GRAPH_ONTOLOGY,
        GRAPH_REFERENCE,
        ONTOLOGY,
        PREFIXES,
        SLUG,
        article_iri,
        individual,
        parse_ref,
    )
    from kg.core.ontology import (
        AGGREGATOR,
        CATALOG_FILE,
        DATE_TYPES,
        TermKind,
        Vocabulary,
        check_files,
        load_ontology,
        load_reference,
        load_shapes,
        module_files,
        ntriples_for_reasoner,
        read_catalog,
        vocabulary,
    )
    from kg.core.paths import (
        corpus_texts_dir,
        data_dir,
        default_store,
        ontology_dir,
        queries_dir,
        records_dir,
    )
    from kg.core.terms import (
        escape_string,
        from_ox,
        nquads,
        nt,
        term_converter,
        to_ox,
        to_ox_quad,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "AGGREGATOR": "ontology",
    "BASE": "iris",
    "CATALOG_FILE": "ontology",
    "DATE_TYPES": "ontology",
    "GRAPH_INFERRED": "iris",
    "GRAPH_LINKSET": "iris",
    "GRAPH_ONTOLOGY": "iris",
    "GRAPH_REFERENCE": "iris",
    "IdKind": "identifiers",
    "InputError": "errors",
    "NonConformingError": "errors",
    "ONTOLOGY": "iris",
    "PREFIXES": "iris",
    "SEC_EXCHANGE_MIC": "identifiers",
    "SLUG": "iris",
    "TermKind": "ontology",
    "Vocabulary": "ontology",
    "WIKIDATA_ENTITY": "identifiers",
    "article_iri": "iris",
    "check_files": "ontology",
    "cik10": "identifiers",
    "corpus_texts_dir": "paths",
    "data_dir": "paths",
    "default_store": "paths",
    "escape_string": "terms",
    "from_ox": "terms",
    "individual": "iris",
    "lei_check_digits": "identifiers",
    "lei_is_valid": "identifiers",
    "listing_slug": "identifiers",
    "load_ontology": "ontology",
    "load_reference": "ontology",
    "load_shapes": "ontology",
    "module_files": "ontology",
    "nquads": "terms",
    "nt": "terms",
    "ntriples_for_reasoner": "ontology",
    "ontology_dir": "paths",
    "parse_ref": "iris",
    "qid_iri": "identifiers",
    "queries_dir": "paths",
    "read_catalog": "ontology",
    "records_dir": "paths",
    "term_converter": "terms",
    "to_ox": "terms",
    "to_ox_quad": "terms",
    "vocabulary": "ontology",
    "write_atomically": "atomic",
    "write_bytes_atomically": "atomic",
    "write_text_atomically": "atomic",
}
__all__ = [
    "AGGREGATOR",
    "BASE",
    "CATALOG_FILE",
    "DATE_TYPES",
    "GRAPH_INFERRED",
    "GRAPH_LINKSET",
    "GRAPH_ONTOLOGY",
    "GRAPH_REFERENCE",
    "ONTOLOGY",
    "PREFIXES",
    "SEC_EXCHANGE_MIC",
    "SLUG",
    "WIKIDATA_ENTITY",
    "IdKind",
    "InputError",
    "NonConformingError",
    "TermKind",
    "Vocabulary",
    "article_iri",
    "check_files",
    "cik10",
    "corpus_texts_dir",
    "data_dir",
    "default_store",
    "escape_string",
    "from_ox",
    "individual",
    "lei_check_digits",
    "lei_is_valid",
    "listing_slug",
    "load_ontology",
    "load_reference",
    "load_shapes",
    "module_files",
    "nquads",
    "nt",
    "ntriples_for_reasoner",
    "ontology_dir",
    "parse_ref",
    "qid_iri",
    "queries_dir",
    "read_catalog",
    "records_dir",
    "term_converter",
    "to_ox",
    "to_ox_quad",
    "vocabulary",
    "write_atomically",
    "write_bytes_atomically",
    "write_text_atomically",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
