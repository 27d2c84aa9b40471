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

import re
from typing import Any, cast

from rdflib import XSD, Literal, URIRef
from rdflib.plugins.sparql.operators import register_custom_function
from rdflib.plugins.sparql.sparql import SPARQLError

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

_LEI = re.compile(r"[0-9A-Z]{18}[0-9]{2}")
_BASE = re.compile(r"[0-9A-Z]{18}")


def _as_number(text: str) -> int:
    """ISO 7064: digits stay, letters A..Z become 10..35, concatenated."""
    return int("".join(str(int(char, 36)) for char in text))


def lei_checksum_valid(lei: str) -> bool:
    """True when ``lei`` is 20 characters whose last two digits are right (ISO 17442, MOD 97-10)."""
    return bool(_LEI.fullmatch(lei)) and _as_number(lei) % 97 == 1


def lei_check_digits(base: str) -> str:
    """The two check digits for an 18-character LEI prefix (for fixtures and error hints)."""
    if not _BASE.fullmatch(base):
        raise ValueError(f"{base!r} is not 18 capital letters or digits")
    return f"{98 - _as_number(base + '00') % 97:02d}"


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
