"""Chinese scripts and letter case: a length-preserving fold for matching, variants, language.

Matching runs on a *folded* copy of the text: each character is replaced by its Simplified form
(OpenCC's character table), full-width forms by ASCII, and letters by lower case, always one
character for one, so an offset in the folded text is the same offset in the original.

>>> fold("輝達 ＮＶＩＤＩＡ 與 OpenAI")
'辉达 nvidia 与 openai'
>>> len(fold("臺灣積體電路")) == len("臺灣積體電路")
True
>>> sorted(script_variants("英伟达"))
['英伟达', '英偉達']
>>> detect_language("輝達宣布與甲骨文合作。")
'zh-Hant'
>>> detect_language("英伟达宣布与甲骨文合作。")
'zh-Hans'
>>> detect_language("Nvidia said on Monday it would invest in OpenAI.")
'en'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from operator import ne

import opencc

__all__ = [
    "detect_language",
    "fold",
    "fold_han",
    "is_han",
    "script_variants",
    "to_simplified",
]


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled lazily, one character at a time."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = ch
        if code < 128:
            out = ch.lower()
        elif is_han(ch):
            simplified = _converter("t2s").convert(ch)
            out = simplified if len(simplified) == 1 else ch
        else:
            wide = unicodedata.normalize("NFKC", ch)
            if len(wide) == 1:
                out = wide
            lower = out.lower()
            out = lower if len(lower) == 1 else out
            if out in "\u2019\u2018\u02bc":
                out = "'"
            elif out in "\u2013\u2014\u2212":
                out = "-"
        self[code] = out
        return out


_TABLE = _FoldTable()


def is_han(ch: str) -> bool:
    """A CJK ideograph (the unified block, extension A, or the compatibility block)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


class _HanTable(dict[int, str]):
    """``str.translate`` table: each Chinese character to its Simplified form, nothing else."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _TABLE[code] if is_han(ch) else ch
        self[code] = out
        return out


_HAN_TABLE = _HanTable()


def fold_han(text: str) -> str:
    """The Simplified form of each Chinese character, everything else as it is (Latin names
    keep their capitals); one character for one, like ``fold``.

    >>> fold_han("輝達 NVIDIA")
    '辉达 NVIDIA'
    """
    return text.translate(_HAN_TABLE)


def fold(text: str) -> str:
    """Simplified script, ASCII for full-width forms, lower case; same length as ``text``."""
    return text.translate(_TABLE)


def to_simplified(text: str) -> str:
    """``text`` in Simplified characters (OpenCC ``t2s``), as long as it converts one to one."""
    return str(_converter("t2s").convert(text))


def script_variants(name: str) -> set[str]:
    """``name`` with its Traditional (Taiwan and generic) and Simplified forms (OpenCC): the
    project's one setting, used by the extraction lexicon and by linking alike."""
    out = {name}
    if any(is_han(ch) for ch in name):
        for config in ("s2t", "s2tw", "t2s", "tw2s"):
            out.add(_converter(config).convert(name))
    return out


class _TraditionalTable(dict[str, str]):
    """Each Simplified character's Traditional form (OpenCC), filled one character at a time."""

    def __missing__(self, ch: str) -> str:
        out = _converter("s2t").convert(ch)
        self[ch] = out
        return out


_S2T = _TraditionalTable()


_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z]")


def detect_language(text: str) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``en``: the script with most letters, told apart by the
    characters that exist in one script only (OpenCC's tables, one character at a time)."""
    han = _HAN.findall(text)
    if len(han) * 3 < len(_LATIN.findall(text)):
        return "en"
    sample = "".join(han[:4000])
    traditional_only = sum(map(ne, sample, sample.translate(_TABLE)))
    simplified_only = sum(1 for ch in sample if _S2T[ch] != ch)
    return "zh-Hans" if simplified_only > traditional_only else "zh-Hant"
