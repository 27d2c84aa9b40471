"""Custom SPARQL functions the SHACL shapes call (declared as ``sh:Function`` in the shapes).

SPARQL has no big-integer modulo, so the ISO 17442 check of an LEI cannot be written in SPARQL;
it is implemented here and registered with rdflib's SPARQL engine under the IRI the shapes use,
``aikgsh:leiChecksumValid``. The shapes stay declarative: a SPARQL constraint calls the function.

>>> lei_checksum_valid("549300S4KLFTLO7GSQ80")
True
>>> lei_checksum_valid("549300S4KLFTLO7GSQ81")
False
>>> lei_check_digits("549300S4KLFTLO7GSQ")
'80'
"""

from __future__ import annotations

from typing import Any, cast

from rdflib import XSD, Literal, URIRef
from rdflib.plugins.sparql.operators import register_custom_function
from rdflib.plugins.sparql.sparql import SPARQLError

from kg.core.identifiers import lei_check_digits, lei_is_valid

__all__ = [
    "LEI_CHECKSUM_VALID",
    "SHAPES",
    "lei_check_digits",
    "lei_checksum_valid",
    "register",
]

#: the namespace of the shapes and of their functions
SHAPES = "https://w3id.org/aikg/shapes#"
LEI_CHECKSUM_VALID = URIRef(SHAPES + "leiChecksumValid")

#: the LEI check of :mod:`kg.core.identifiers`, under the name the shapes' function has
lei_checksum_valid = lei_is_valid


def _lei_checksum_valid(value: object) -> Literal:
    if not isinstance(value, Literal):
        raise SPARQLError(f"{SHAPES}leiChecksumValid takes a string, not {value!r}")
    return Literal(lei_checksum_valid(str(value)), datatype=XSD.boolean)


_registered = False


def register() -> None:
    """Register the functions with rdflib's SPARQL engine (idempotent)."""
    global _registered
    if not _registered:
        # not raw: rdflib evaluates the arguments and passes their values (its stubs say Expr)
        function = cast(Any, _lei_checksum_valid)
        register_custom_function(LEI_CHECKSUM_VALID, function, override=True)
        _registered = True
