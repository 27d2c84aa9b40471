"""Checks and canonical forms of the external identifiers: LEI, CIK, tickers, Wikidata QIDs.

>>> lei_is_valid("549300S4KLFTLO7GSQ80"), lei_is_valid("549300S4KLFTLO7GSQ81")
(True, False)
>>> lei_check_digits("549300S4KLFTLO7GSQ")
'80'
>>> cik10(1045810)
'0001045810'
>>> listing_slug("BRK.B", "XNYS")
'xnys-brk-b'
"""

from __future__ import annotations

import re
from enum import StrEnum

from rdflib import URIRef

__all__ = [
    "SEC_EXCHANGE_MIC",
    "WIKIDATA_ENTITY",
    "IdKind",
    "cik10",
    "lei_check_digits",
    "lei_is_valid",
    "listing_slug",
    "qid_iri",
]

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

_LEI = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
_LEI_BASE = re.compile(r"[A-Z0-9]{18}")
_CIK = re.compile(r"[0-9]{1,10}")
_QID = re.compile(r"Q[1-9][0-9]*")
_LETTER_DIGITS = {ord(ch): str(int(ch, 36)) for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

#: the ``exchange`` column of SEC's company_tickers_exchange.json -> ISO 10383 MIC.
#: OTC quotations and a null exchange have no single market, so they give no listing.
SEC_EXCHANGE_MIC: dict[str, str] = {
    "Nasdaq": "XNAS",
    "NYSE": "XNYS",
    "CBOE": "BATS",
}


class IdKind(StrEnum):
    """The kinds of identifier a link gives a firm."""

    CIK = "cik"
    LEI = "lei"
    WIKIDATA = "wikidata"


def lei_is_valid(lei: str) -> bool:
    """ISO 17442: 18 letters or digits, two check digits; the number mod 97 is 1 (ISO 7064
    MOD 97-10, letters A..Z read as 10..35). The project's one LEI check."""
    if _LEI.fullmatch(lei) is None:
        return False
    return int(lei.translate(_LETTER_DIGITS)) % 97 == 1


def lei_check_digits(base: str) -> str:
    """The two check digits for an 18-character LEI prefix (for fixtures and error hints)."""
    if _LEI_BASE.fullmatch(base) is None:
        raise ValueError(f"{base!r} is not 18 capital letters or digits")
    return f"{98 - int((base + '00').translate(_LETTER_DIGITS)) % 97:02d}"


def cik10(value: int | str) -> str:
    """A CIK as the ten-digit, zero-padded string the dataset stores.

    Raises ``ValueError`` for anything that is not one to ten digits (or is zero).
    """
    text = str(value).strip()
    if _CIK.fullmatch(text) is None or int(text) == 0:
        raise ValueError(f"{value!r} is not a CIK (1 to 10 digits)")
    return text.zfill(10)


def listing_slug(symbol: str, mic: str) -> str:
    """The slug of a Listing individual: ``<mic>-<symbol>``, lower case, hyphens for the rest."""
    words = re.findall(r"[a-z0-9]+", f"{mic} {symbol}".lower())
    return "-".join(words)


def qid_iri(qid_or_iri: str) -> URIRef:
    """``Q182477`` or its entity IRI -> the entity IRI; ``ValueError`` for anything else."""
    text = qid_or_iri.strip()
    if text.startswith(WIKIDATA_ENTITY):
        text = text[len(WIKIDATA_ENTITY) :]
    if _QID.fullmatch(text) is None:
        raise ValueError(f"{qid_or_iri!r} is not a Wikidata item")
    return URIRef(WIKIDATA_ENTITY + text)
