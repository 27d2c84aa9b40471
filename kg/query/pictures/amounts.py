"""Sums of money written short, the way each language's financial press writes them.

English counts in thousands (``US$100 bn``); Chinese in myriads (``1,000億美元``).

>>> from decimal import Decimal
>>> money(Decimal("100000000000"), "USD", lang="en")
'US$100 bn'
>>> money(Decimal("100000000000"), "USD", lang="zh-Hant")
'1,000億美元'
>>> money(Decimal("14000000000"), "USD", lang="zh-Hant")
'140億美元'
>>> money(Decimal("2500000"), "CHF", lang="en")
'CHF 2.5 m'
>>> money(Decimal("1500000000000"), "TWD", lang="zh-Hant")
'1.5兆新台幣'
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["money", "number"]

_EN_STEPS = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))
_ZH_STEPS = ((Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "萬"))

_EN_SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "TWD": "NT$", "CNY": "CN¥"}
_ZH_NAMES = {
    "USD": "美元",
    "EUR": "歐元",
    "GBP": "英鎊",
    "JPY": "日圓",
    "TWD": "新台幣",
    "CNY": "人民幣",
    "KRW": "韓元",
}


def number(value: Decimal) -> str:
    """A decimal with thousands separators and no trailing zeros: ``1,000``, ``2.5``."""
    text = f"{value.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _scaled(value: Decimal, steps: tuple[tuple[Decimal, str], ...]) -> tuple[str, str]:
    for size, word in steps:
        if abs(value) >= size:
            return number(round(value / size, 2)), word
    return number(value), ""


def money(value: Decimal, currency: str | None, *, lang: str) -> str:
    """``value`` in ``currency`` (ISO 4217) written short for ``lang`` (``en`` or ``zh-Hant``)."""
    code = (currency or "").upper()
    if lang.lower().startswith("zh"):
        figure, word = _scaled(value, _ZH_STEPS)
        return f"{figure}{word}{_ZH_NAMES.get(code, code and ' ' + code)}"
    figure, word = _scaled(value, _EN_STEPS)
    amount = f"{figure} {word}" if word else figure
    symbol = _EN_SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{amount}"
    return f"{code} {amount}".strip()
