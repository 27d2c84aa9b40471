"""Firm names made comparable: case, punctuation, scripts and legal-form suffixes.

A name is reduced to its *core* (the words that tell firms apart) and its *legal forms*
(``Inc.``, ``Corp.``, ``GmbH``, ``股份有限公司`` ...), each mapped to one canonical form, so that
``Blue Owl Capital Inc.`` and ``Blue Owl Capital Corp`` share a core but not a legal form.

>>> n = normalise("Amazon.com, Inc.")
>>> n.key, sorted(n.forms)
('amazon com', ['inc'])
>>> normalise("TAIWAN SEMICONDUCTOR MANUFACTURING CO LTD").key
'taiwan semiconductor manufacturing'
>>> normalise("J.P. Morgan Securities plc").key
'jp morgan securities'
>>> normalise("ROYAL WIDGETS INC /DE/").key, normalise("ROYAL WIDGETS INC/DE").key
('royal widgets', 'royal widgets')
>>> normalise("Nordisk Widgets A/S").forms
frozenset({'as'})
>>> n = normalise("台灣積體電路製造股份有限公司")
>>> n.key == normalise("台湾积体电路制造").key, sorted(n.forms)
(True, ['gufen'])
>>> similarity(normalise("NVIDIA Corp"), normalise("NVIDIA Corporation"))
1.0
>>> round(similarity(normalise("NVIDIA"), normalise("NVIDIA International Holdings")), 2)
0.5
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.core.scripts import script_variants, to_simplified

__all__ = [
    "LEGAL_FORMS",
    "NormalName",
    "has_cjk",
    "looks_like_ticker",
    "normalise",
    "quick_keys",
    "script_variants",
    "similarity",
]

#: legal-form words (after normalisation) -> canonical form; sequences are space-separated
LEGAL_FORMS: dict[str, str] = {
    # English-speaking
    "inc": "inc",
    "incorporated": "inc",
    "corp": "corp",
    "corporation": "corp",
    "co": "co",
    "company": "co",
    "cos": "co",
    "companies": "co",
    "ltd": "ltd",
    "limited": "ltd",
    "llc": "llc",
    "lc": "llc",
    "pllc": "llc",
    "lp": "lp",
    "llp": "llp",
    "lllp": "llp",
    "plc": "plc",
    "public limited": "plc",
    "pbc": "pbc",
    "pc": "pc",
    "pty": "pty",
    "pte": "pte",
    # Romance languages
    "sa": "sa",
    "sas": "sas",
    "sasu": "sas",
    "sarl": "sarl",
    "sca": "sca",
    "spa": "spa",
    "srl": "srl",
    "sl": "sl",
    "slu": "sl",
    "ltda": "ltda",
    "sab de cv": "sa",
    "de cv": "sa",
    # Germanic and Nordic
    "ag": "ag",
    "gmbh": "gmbh",
    "mbh": "gmbh",
    "kg": "kg",
    "kgaa": "kgaa",
    "se": "se",
    "nv": "nv",
    "bv": "bv",
    "ab": "ab",
    "publ": "ab",
    "oy": "oy",
    "oyj": "oy",
    "asa": "as",
    "as": "as",
    "aps": "as",
    # Central and Eastern Europe
    "sp zoo": "spzoo",
    "sro": "sro",
    "as zrt": "zrt",
    "zrt": "zrt",
    "kft": "kft",
    "ooo": "ooo",
    "oao": "oao",
    "zao": "zao",
    "jsc": "jsc",
    "pjsc": "jsc",
    "ojsc": "jsc",
    "pao": "jsc",
    # Asia
    "kk": "kk",
    "kabushiki kaisha": "kk",
    "bhd": "bhd",
    "sdn bhd": "bhd",
    "tbk": "tbk",
}

#: CJK legal forms written without spaces, in simplified script (names are folded to it)
_CJK_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "gufen"),
    ("有限责任公司", "youxian"),
    ("有限公司", "youxian"),
    ("株式会社", "kk"),
    ("有限会社", "yugen"),
    ("公司", "gongsi"),
    ("주식회사", "kk"),
    ("유한회사", "yugen"),
)
_CJK_PREFIXES: tuple[tuple[str, str], ...] = (
    ("株式会社", "kk"),
    ("주식회사", "kk"),
    ("(주)", "kk"),
)
_MAX_FORM_WORDS = max(len(k.split()) for k in LEGAL_FORMS)

_STATE_SUFFIX = re.compile(r"\s*[/\\][a-z .]{2,6}[/\\]\s*|\s*[/\\]\s*[a-z][a-z .]{1,5}$")
_APOSTROPHE = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese, Japanese or Korean characters."""
    return _CJK.search(text) is not None


@dataclass(frozen=True, slots=True)
class NormalName:
    """A normalised name: ``core`` words, canonical legal ``forms``, and keys for blocking."""

    core: tuple[str, ...]
    forms: frozenset[str]

    @property
    def key(self) -> str:
        """The core words joined by spaces: equal keys mean equal names."""
        return " ".join(self.core)

    @property
    def squashed(self) -> str:
        """The core without spaces (``Core Weave`` = ``CoreWeave``)."""
        return "".join(self.core)

    @property
    def cjk(self) -> bool:
        return has_cjk(self.squashed)

    def block_keys(self) -> tuple[str, ...]:
        """Keys under which a name is indexed: its first word (first two characters in a CJK
        script) and the first four characters of its squashed core."""
        if not self.core:
            return ()
        first = self.core[0]
        if has_cjk(first):
            return (f"w:{first[:2]}",)
        squashed = self.squashed
        return (f"w:{first}", f"p:{squashed[:4]}")


def _collapse_initials(words: list[str]) -> list[str]:
    """``j p morgan`` -> ``jp morgan``: runs of single Latin letters become one word."""
    out: list[str] = []
    run: list[str] = []
    for word in words:
        if len(word) == 1 and word.isascii() and word.isalpha():
            run.append(word)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(word)
    if run:
        out.append("".join(run))
    return out


def _strip_forms(words: list[str], forms: set[str]) -> list[str]:
    # trailing legal forms, repeatedly ("co ltd", "gmbh & co kg" stops at "& co")
    while len(words) > 1:
        for size in range(min(_MAX_FORM_WORDS, len(words) - 1), 0, -1):
            tail = " ".join(words[-size:])
            canonical = LEGAL_FORMS.get(tail)
            if canonical is None:
                continue
            if canonical == "co" and len(words) > size and words[-size - 1] == "and":
                continue  # "Morgan Stanley & Co." is a name, not a legal form
            forms.add(canonical)
            del words[-size:]
            break
        else:
            break
    # CJK forms glued to the last word, or opening the first
    if words and has_cjk(words[-1]):
        last = words[-1]
        for suffix, canonical in _CJK_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix):
                forms.add(canonical)
                words[-1] = last[: -len(suffix)]
                break
    if words and has_cjk(words[0]):
        first = words[0]
        for prefix, canonical in _CJK_PREFIXES:
            if first.startswith(prefix) and len(first) > len(prefix):
                forms.add(canonical)
                words[0] = first[len(prefix) :]
                break
    return words


def normalise(name: str, *, fold_script: bool = True) -> NormalName:
    """Reduce ``name`` to its core words and its legal forms.

    ``fold_script`` maps traditional Chinese characters to simplified ones (slower; only
    needed when two names are compared, not for blocking keys).
    """
    text = name if name.isascii() else unicodedata.normalize("NFKC", name)
    text = text.casefold()
    if fold_script and not text.isascii() and has_cjk(text):
        text = to_simplified(text)
    text = _STATE_SUFFIX.sub(" ", text)
    text = text.replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHE.sub("", text)
    words = _collapse_initials(_NON_WORD.sub(" ", text).split())
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    forms: set[str] = set()
    words = _strip_forms(words, forms)
    return NormalName(tuple(w for w in words if w), frozenset(forms))


_WORD_RUN = re.compile(r"[^\W_]+")


def quick_keys(name: str) -> tuple[str, ...]:
    """Blocking keys of a register name without the full normalisation (fast, for millions
    of rows): its first word and the first four letters or digits of its words run together.

    >>> quick_keys("The NVIDIA Corporation"), quick_keys("台灣積體電路製造股份有限公司")
    (('w:nvidia', 'p:nvid'), ('w:台灣',))
    """
    text = name.casefold() if name.isascii() else unicodedata.normalize("NFKC", name).casefold()
    words = _WORD_RUN.findall(text)
    if len(words) > 1 and words[0] == "the":
        del words[0]
    if not words:
        return ()
    first = words[0]
    if not first.isascii() and has_cjk(first):
        for prefix, _ in _CJK_PREFIXES:
            if first.startswith(prefix) and len(first) > len(prefix):
                first = first[len(prefix) :]
                break
        return (f"w:{first[:2]}",)
    return (f"w:{first}", f"p:{''.join(words)[:4]}")


def _bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)] or [text]


def _dice(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    rest = list(b)
    common = 0
    for item in a:
        if item in rest:
            rest.remove(item)
            common += 1
    return 2.0 * common / (len(a) + len(b))


def similarity(a: NormalName, b: NormalName) -> float:
    """How alike two normalised names are, from 0 to 1.

    1.0 for equal cores; 0.97 for cores equal but for spacing; otherwise the Dice coefficient
    of their words (of character pairs for names in a CJK script), capped at 0.9.
    """
    if not a.core or not b.core:
        return 0.0
    if a.core == b.core:
        return 1.0
    if a.squashed == b.squashed:
        return 0.97
    if a.cjk or b.cjk:
        score = _dice(_bigrams(a.squashed), _bigrams(b.squashed))
    else:
        score = _dice(list(a.core), list(b.core))
    return min(score, 0.9)


_TICKER = re.compile(r"[A-Z][A-Z0-9.\-]{0,5}|[0-9]{4,6}")


def looks_like_ticker(label: str) -> bool:
    """Whether an alternative label is written like a ticker symbol (``NVDA``, ``BRK.B``, ``2330``).

    >>> looks_like_ticker("NVDA"), looks_like_ticker("Nvidia")
    (True, False)
    """
    return _TICKER.fullmatch(label) is not None
