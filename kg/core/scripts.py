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

import unicodedata
from functools import cache

import opencc

__all__ = ["detect_language", "fold", "is_han", "script_variants", "to_simplified"]


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


def detect_language(text: str) -> str:
    """``zh-Hant``, ``zh-Hans`` or ``en``: the script with most letters, told apart by OpenCC."""
    han = [ch for ch in text if is_han(ch)]
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if len(han) * 3 < latin:
        return "en"
    sample = "".join(han[:4000])
    to_simplified = _converter("t2s").convert(sample)
    to_traditional = _converter("s2t").convert(sample)
    traditional_only = sum(1 for a, b in zip(sample, to_simplified, strict=False) if a != b)
    simplified_only = sum(1 for a, b in zip(sample, to_traditional, strict=False) if a != b)
    return "zh-Hans" if simplified_only > traditional_only else "zh-Hant"
