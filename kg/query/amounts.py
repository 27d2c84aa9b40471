"""Figures written the way each language's financial press writes them: the one formatter of
amounts, ranges, bounds and quantities (answers, pictures and the explorer all use it).

English counts in thousands (``US$100 bn``); Chinese in myriads (``1,000億美元``, ``NT$420億``;
``亿``/``万`` in Simplified Chinese). A sum keeps its own currency: nothing is converted.

>>> from decimal import Decimal as D
>>> money(D("100000000000"), "USD", lang="en")
'US$100 bn'
>>> money(D("100000000000"), "USD", lang="zh-Hant")
'1,000億美元'
>>> money(D("42000000000"), "TWD", lang="zh-Hant")
'NT$420億'
>>> money(D("42000000000"), "TWD", lang="zh-Hans")
'NT$420亿'
>>> money(D("2500000"), "CHF", lang="en")
'CHF 2.5 m'
>>> money(D("1500000000000"), "TWD", lang="zh-Hant")
'NT$1.5兆'
>>> money(D("3000000000"), "EUR", lang="zh-Hant")
'30億歐元'
>>> money_range(D("6000000000"), D("7000000000"), "USD", lang="en")
'US$6–7 bn'
>>> money_range(D("500000000"), D("1200000000"), "USD", lang="en")
'US$500 m–1.2 bn'
>>> money_range(D("6000000000"), D("7000000000"), "USD", lang="zh-Hant")
'60–70億美元'
>>> quantity(D("10"), "http://qudt.org/vocab/unit/GigaW")
'10 GW'
>>> quantity(D("23"), "unit:PERCENT")
'23%'
>>> quantity(D("50.62"), "http://qudt.org/vocab/unit/UNITLESS")
'50.62'
>>> figure(value=D("100000000000"), unit="USD", bound="AtMost", lang="en")
'at most US$100 bn'
>>> figure(low=D("26"), high=D("28"), unit="http://qudt.org/vocab/unit/UNITLESS", lang="en")
'26–28'
>>> figure(low=D("250"), high=D("275"), unit="USD", lang="en")
'US$250–275'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = [
    "QUDT_UNIT",
    "bound_words",
    "figure",
    "is_currency",
    "money",
    "money_range",
    "number",
    "parse_decimal",
    "quantity",
]

_EN_STEPS = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))
_ZH_STEPS = ((Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "萬"))
_HANS = str.maketrans({"億": "亿", "萬": "万"})

_EN_SYMBOLS = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "TWD": "NT$", "CNY": "CN¥"}
#: currencies Chinese text writes with a symbol before the figure (``NT$420億``)
_ZH_SYMBOLS = {"TWD": "NT$"}
#: and those it writes with a name after it (``1,000億美元``), per script
_ZH_NAMES = {
    "USD": ("美元", "美元"),
    "EUR": ("歐元", "欧元"),
    "GBP": ("英鎊", "英镑"),
    "JPY": ("日圓", "日元"),
    "CNY": ("人民幣", "人民币"),
    "KRW": ("韓元", "韩元"),
    "HKD": ("港元", "港元"),
}

#: the words before a figure for its bound (aikg:BoundScheme; none for aikg:Exact), per language
_BOUND_WORDS = {
    "AtMost": {"en": "at most", "zh-Hant": "至多", "zh-Hans": "至多"},
    "AtLeast": {"en": "at least", "zh-Hant": "至少", "zh-Hans": "至少"},
    "Approximately": {"en": "about", "zh-Hant": "約", "zh-Hans": "约"},
}

QUDT_UNIT = "http://qudt.org/vocab/unit/"
#: how the press writes the QUDT units the records use (the same in every language)
_UNIT_SYMBOLS = {
    "GigaW": " GW",
    "MegaW": " MW",
    "KiloW": " kW",
    "TeraW-HR": " TWh",
    "GigaW-HR": " GWh",
    "PERCENT": "%",
    "NUM": "",
    "UNITLESS": "",
}


def parse_decimal(text: object) -> Decimal | None:
    """A number from a literal's text, or None when it is not one.

    >>> parse_decimal("1e3"), parse_decimal("n/a")
    (Decimal('1E+3'), None)
    """
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def number(value: Decimal) -> str:
    """A decimal with thousands separators and no trailing zeros: ``1,000``, ``2.5``."""
    text = f"{value.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _hans(lang: str) -> bool:
    return lang.lower() in ("zh-hans", "zh-cn", "zh-sg")


def _steps(lang: str) -> tuple[tuple[Decimal, str], ...]:
    return _ZH_STEPS if _zh(lang) else _EN_STEPS


def _step(value: Decimal, lang: str) -> tuple[Decimal, str]:
    """The size and word a figure is counted in (``10^9, 'bn'``), or ``(1, '')``."""
    for size, word in _steps(lang):
        if abs(value) >= size:
            return size, word
    return Decimal(1), ""


def _scaled(value: Decimal, size: Decimal) -> str:
    return number(round(value / size, 2))


def _dress(figures: str, word: str, currency: str | None, lang: str) -> str:
    """``figures`` (one number or a range) with its scale word and currency."""
    code = (currency or "").upper()
    if _zh(lang):
        text = f"{figures}{word}"
        if _hans(lang):
            text = text.translate(_HANS)
        if code in _ZH_SYMBOLS:
            return f"{_ZH_SYMBOLS[code]}{text}"
        names = _ZH_NAMES.get(code)
        if names is not None:
            return text + names[1 if _hans(lang) else 0]
        return f"{text} {code}".rstrip()
    amount = f"{figures} {word}" if word else figures
    symbol = _EN_SYMBOLS.get(code)
    if symbol:
        return f"{symbol}{amount}"
    return f"{code} {amount}".strip()


def money(value: Decimal, currency: str | None, *, lang: str) -> str:
    """``value`` in ``currency`` (ISO 4217) written short for ``lang`` (en, zh-Hant, zh-Hans)."""
    size, word = _step(value, lang)
    return _dress(_scaled(value, size), word, currency, lang)


def money_range(low: Decimal, high: Decimal, currency: str | None, *, lang: str) -> str:
    """A range of money: one scale word when both ends share it (``US$6–7 bn``), else each
    end written whole after one currency symbol (``US$500 m–1.2 bn``)."""
    low_size, low_word = _step(low, lang)
    high_size, high_word = _step(high, lang)
    first, second = _scaled(low, low_size), _scaled(high, high_size)
    if low_word == high_word:
        return _dress(f"{first}–{second}", high_word, currency, lang)
    if _zh(lang):
        return _dress(f"{first}{low_word}–{second}", high_word, currency, lang)
    return _dress(f"{first} {low_word}".strip() + f"–{second}", high_word, currency, lang)


def bound_words(bound: object, lang: str) -> str:
    """The words a figure's bound puts before it (``at most``, ``約``); none for an exact
    figure or an unknown bound. ``bound`` is the concept's IRI or local name.

    >>> bound_words("https://w3id.org/aikg/ontology#Approximately", "zh-Hant")
    '約'
    """
    if bound is None:
        return ""
    name = str(bound).rsplit("#", 1)[-1]
    words = _BOUND_WORDS.get(name, {})
    return words.get(lang) or words.get("zh-Hant" if _zh(lang) else "en", "")


def _unit_name(unit: str) -> str:
    if unit.startswith(QUDT_UNIT):
        return unit[len(QUDT_UNIT) :]
    if unit.startswith("unit:"):
        return unit[len("unit:") :]
    return unit


def _unit_suffix(unit: str | None) -> str:
    if not unit:
        return ""
    name = _unit_name(unit)
    symbol = _UNIT_SYMBOLS.get(name)
    return symbol if symbol is not None else f" {name}"


def quantity(value: Decimal, unit: str | None) -> str:
    """``value`` of a QUDT ``unit`` (an IRI or ``unit:Name``) written short: ``10 GW``,
    ``23%``; a pure number has no unit; a unit without a symbol here keeps its QUDT name."""
    return number(value) + _unit_suffix(unit)


def is_currency(unit: str | None) -> bool:
    """Whether ``unit`` is an ISO 4217 code (``USD``) rather than a unit of measure."""
    return bool(unit) and len(unit or "") == 3 and (unit or "").isalpha() and (unit or "").isupper()


def figure(
    *,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    unit: str | None = None,
    bound: object = None,
    lang: str,
) -> str:
    """A figure or a range with its currency or unit, after its bound's words
    (:func:`bound_words`; none for an exact figure): ``at most US$100 bn``, ``26–28``,
    ``10 GW``."""
    if value is not None:
        text = money(value, unit, lang=lang) if is_currency(unit) else quantity(value, unit)
    elif low is not None and high is not None:
        if is_currency(unit):
            text = money_range(low, high, unit, lang=lang)
        else:
            text = f"{number(low)}–{number(high)}{_unit_suffix(unit)}"
    else:
        return ""
    words = bound_words(bound, lang)
    return f"{words} {text}" if words else text
