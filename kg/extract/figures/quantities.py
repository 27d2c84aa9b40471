"""Numbers with their units: money, power, chip counts, percentages, multiples, durations.

Chinese and English forms: 萬 / 億 / 兆, 千億, 1,000億美元, US$ / $ / 美元 / 美金, billion / bn /
trillion; GW / 吉瓦 / 百萬瓩, MW / 兆瓦; 萬顆 and "million GPUs"; %, 成, 倍, x; ranges (400 到 500
萬顆, 250–275) and bounds (最高 / up to, 至少 / at least, 約 / about). Values are normalised as
docs/design.md says: money in whole currency units with an ISO 4217 code, power with a QUDT unit.

>>> [q.value for q in find_quantities("總金額最高達 1,000 億美元")]
[Decimal('100000000000')]
>>> q = find_quantities("相當於 400 到 500 萬顆 GPU")[0]
>>> (q.kind, q.min_value, q.max_value, q.unit)
('count', Decimal('4000000'), Decimal('5000000'), 'unit:NUM')
>>> q = find_quantities("up to $100 billion for at least 10 GW")
>>> [(x.kind, x.value, x.bound) for x in q]
[('money', Decimal('100000000000'), 'AtMost'), ('power', Decimal('10'), 'AtLeast')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from kg.core.scripts import fold

__all__ = ["Quantity", "find_quantities", "parse_number"]

_CN_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_EN_WORD = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a": 1, "an": 1, "half a": Decimal("0.5"),
}  # fmt: skip
_MULT = {
    "万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10,
    "十亿": Decimal(10) ** 9, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6, "十万": Decimal(10) ** 5, "万": Decimal(10) ** 4,
    "兆": Decimal(10) ** 12, "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
}  # fmt: skip

#: (kind, unit or currency, factor) → the unit words (folded) that say it
_UNIT_WORDS: dict[tuple[str, str, int | Decimal], tuple[str, ...]] = {
    ("money", "USD", 1): ("美元", "美金", "dollars", "dollar", "usd"),
    ("money", "CNY", 1): ("人民币", "元人民币", "yuan"),
    ("money", "TWD", 1): ("新台币", "台币"),
    ("money", "HKD", 1): ("港元", "港币"),
    ("money", "JPY", 1): ("日元", "日圆", "日币", "円", "yen"),
    ("money", "EUR", 1): ("欧元", "euros", "euro"),
    ("money", "GBP", 1): ("英镑",),
    ("money", "KRW", 1): ("韩元", "韩圜", "korean won"),
    ("power", "unit:GigaW", 1): ("gw", "吉瓦", "千兆瓦", "百万瓩", "gigawatts", "gigawatt"),
    ("power", "unit:MegaW", 1): ("mw", "兆瓦", "百万瓦", "megawatts", "megawatt"),
    ("power", "unit:MegaW", 10): ("万瓩",),
    # 100 億瓦 = 10 GW: 億瓦 is a tenth of a gigawatt
    ("power", "unit:GigaW", Decimal("0.1")): ("亿瓦",),
    ("percent", "unit:PERCENT", 1): ("%", "percent", "per cent", "个百分点"),
    ("percent", "unit:PERCENT", 10): ("成",),
    ("multiple", "unit:UNITLESS", 1): ("倍", "x", "×", "times"),
    ("count", "unit:NUM", 1): (
        "颗",
        "枚",
        "块",
        "张",
        "gpus",
        "gpu",
        "chips",
        "accelerators",
        "processors",
    ),
    ("duration", "unit:YR", 1): ("年", "years", "year"),
    ("shares", "unit:NUM", 1): ("股", "shares"),
    # 元 with no currency before it is the currency of the text's place (see ``local``)
    ("money", "LOCAL", 1): ("元",),
}
#: unit word (folded) → (kind, unit or currency, factor)
_UNITS: dict[str, tuple[str, str, Decimal]] = {
    word: (kind, unit, Decimal(factor))
    for (kind, unit, factor), words in _UNIT_WORDS.items()
    for word in words
}
_PREFIX_CURRENCY = {
    "us$": "USD", "usd": "USD", "$": "USD", "nt$": "TWD", "hk$": "HKD", "€": "EUR",
    "£": "GBP", "rmb": "CNY", "cny": "CNY", "a$": "AUD", "c$": "CAD", "eur": "EUR",
    "新台币": "TWD", "台币": "TWD", "人民币": "CNY", "港币": "HKD", "美金": "USD",
}  # fmt: skip

_BOUND_BEFORE = [
    (re.compile(p + r"\s*$"), bound)
    for p, bound in (
        (r"(?:最高可达|最高达|最高可|最高|最多可达|最多达|最多可|最多|至多|高达|上限为?|不超过|"
         r"up to|as much as|as many as|no more than|at most|a maximum of|capped at)", "AtMost"),
        (r"(?:至少|不少于|不低于|最少|超过|逾|多于|at least|more than|over|above|upwards of|"
         r"in excess of|a minimum of)", "AtLeast"),
        (r"(?:约为|约合|大约|约|接近|将近|近|大概|about|around|roughly|approximately|nearly|"
         r"almost|some|close to|an estimated|~)", "Approximately"),
    )
]  # fmt: skip
_BOUND_AFTER = [
    (re.compile(r"^\s*(?:以上|多|余)"), "AtLeast"),
    (re.compile(r"^\s*(?:以下|以内|之内)"), "AtMost"),
    (re.compile(r"^\s*(?:左右|上下)"), "Approximately"),
]

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+(?:[点.][零〇一二三四五六七八九]+)?"
_WORDS = r"(?:" + "|".join(sorted(_EN_WORD, key=len, reverse=True)) + r")(?=[\s-])"
_NUM = rf"(?:{_ARABIC}|{_CHINESE}|\b{_WORDS})"
_MULTS = "|".join(sorted((re.escape(m) for m in _MULT), key=len, reverse=True))
_MULT_RE = rf"(?:(?:{_MULTS})(?![a-z]|瓦|瓩))"
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_CUR_RE = "|".join(sorted((re.escape(c) for c in _PREFIX_CURRENCY), key=len, reverse=True))
_SEP = r"(?:到|至|~|-|to|(?<=\d)\s*and(?=\s+\$?\d))"
#: the lower part of a compound Chinese figure after 億 or 兆: 一億二千萬, 1億2000萬, 3億5千萬
_TAIL = (
    r"(?:(?<=[亿兆])(?P<tail>[\d零〇一二两三四五六七八九十百千]+)"
    r"(?P<tailmult>千万|百万|十万|万|亿))?"
)
_PATTERN = re.compile(
    rf"(?P<neg>负|-)?(?:(?P<cur>{_CUR_RE})\s?)?(?P<num>{_NUM})"
    rf"(?:\s*(?P<mult1>{_MULT_RE}))?{_TAIL}(?:\s*(?P<unit1>{_UNIT_RE})(?![a-z]))?"
    rf"(?:\s*{_SEP}\s*(?:(?P<cur2>{_CUR_RE})\s?)?(?P<num2>{_NUM}))?"
    rf"(?:\s*(?P<mult>{_MULT_RE}))?"
    rf"(?:(?:\s*|-)(?P<unit>{_UNIT_RE})(?![a-z]))?"
)
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure found in a text.

    ``kind`` is money, power, count, percent, multiple, duration or number (a bare figure with
    a multiplier such as 億); ``unit`` is an ISO 4217 code for money, else a QUDT unit as a
    prefixed name. A range has ``min_value`` and ``max_value`` and no ``value``.
    """

    kind: str
    unit: str | None
    start: int
    end: int
    value: Decimal | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    bound: str | None = None
    #: the same sum as the figure before, in another currency (an ``amount_alt``)
    restates: bool = False

    @property
    def point(self) -> Decimal:
        """The value, or the middle of a range."""
        if self.value is not None:
            return self.value
        low = self.min_value if self.min_value is not None else Decimal(0)
        high = self.max_value if self.max_value is not None else low
        return (low + high) / 2

    def record(self, *, unit_key: str = "unit") -> dict[str, object]:
        """The record's mapping: ``{value|minValue+maxValue, currency|unit, bound}``."""
        out: dict[str, object] = {}
        if self.value is not None:
            out["value"] = _plain(self.value)
        else:
            out["minValue"] = _plain(self.min_value or Decimal(0))
            out["maxValue"] = _plain(self.max_value or Decimal(0))
        if self.unit is not None:
            out["currency" if self.kind == "money" else unit_key] = self.unit
        if self.bound is not None and self.bound != "Exact":
            out["bound"] = self.bound
        return out


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(token: str) -> Decimal | None:
    """An Arabic, Chinese or English number word.

    >>> parse_number("1,000"), parse_number("三十五"), parse_number("十"), parse_number("two")
    (Decimal('1000'), Decimal('35'), Decimal('10'), Decimal('2'))
    >>> parse_number("三〇六.三"), parse_number("六点〇一"), parse_number("二〇二五")
    (Decimal('306.3'), Decimal('6.01'), Decimal('2025'))
    """
    token = token.strip()
    if not token:
        return None
    if token[0].isdigit():
        try:
            return Decimal(token.replace(",", ""))
        except InvalidOperation:
            return None
    if token in _EN_WORD:
        return Decimal(str(_EN_WORD[token]))
    whole, _, frac = token.replace(".", "点").partition("点")
    total = 0
    current = 0
    if len(whole) > 1 and not any(ch in _CN_SMALL for ch in whole):
        # positional digits: 三〇六 = 306
        if not all(ch in _CN_DIGIT for ch in whole):
            return None
        whole_value = Decimal("".join(str(_CN_DIGIT[ch]) for ch in whole))
        digits = "".join(str(_CN_DIGIT[ch]) for ch in frac if ch in _CN_DIGIT)
        return whole_value + (Decimal("0." + digits) if digits else 0)
    for ch in whole:
        if ch in _CN_DIGIT:
            current = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            total += (current or 1) * _CN_SMALL[ch]
            current = 0
        else:
            return None
    number = Decimal(total + current)
    if frac:
        digits = "".join(str(_CN_DIGIT[ch]) for ch in frac if ch in _CN_DIGIT)
        number += Decimal("0." + digits) if digits else 0
    return number


def _mixed_number(token: str) -> Decimal | None:
    """Arabic digits, Chinese numerals, or Arabic digits before 千 / 百 / 十 (5千 = 5000).

    >>> _mixed_number("2000"), _mixed_number("二千"), _mixed_number("5千")
    (Decimal('2000'), Decimal('2000'), Decimal('5000'))
    """
    m = re.fullmatch(r"(\d+)([千百十])", token)
    if m:
        return Decimal(m.group(1)) * {"千": 1000, "百": 100, "十": 10}[m.group(2)]
    return parse_number(token)


def _bound(folded: str, start: int, end: int) -> tuple[str | None, int, int]:
    before = folded[max(0, start - 14) : start]
    for pattern, bound in _BOUND_BEFORE:
        m = pattern.search(before)
        word = m.group(0)[:1].isascii() and m.group(0)[:1].isalpha() if m else False
        if m and (not word or m.start() == 0 or not before[m.start() - 1].isalpha()):
            return bound, start - (len(before) - m.start()), end
    after = folded[end : end + 4]
    for pattern, bound in _BOUND_AFTER:
        m = pattern.match(after)
        if m:
            return bound, start, end + m.end()
    return None, start, end


def find_quantities(
    text: str, *, folded: str | None = None, local: str | None = None
) -> list[Quantity]:
    """Every figure with a unit or a multiplier, in text order, spans in ``text``.

    ``local`` is the currency of 元 with no currency before it (TWD in Taiwanese text, CNY in
    mainland text); without it 元 with a multiplier is a bare figure. A sum restated in
    another currency ("10 億美元（約新台幣 306 億元）", "約合人民幣…") is marked ``restates``;
    a count followed by "shares" ("160 million AMD shares") is a count of shares, not money.
    """
    low = fold(text) if folded is None else folded
    out: list[Quantity] = []
    for m in _PATTERN.finditer(low):
        quantity = _quantity(low, m, local)
        if quantity is None:
            continue
        if quantity.kind in ("multiple", "percent", "money") and quantity.value is not None:
            out.extend(_coordinated(low, quantity, out))
        out.append(quantity)
    return _restatements(low, _per_share(low, _shares(low, _between(low, out))))


_SHARES_AFTER = re.compile(r"\s+(?:[a-z][\w.&'-]*\s+){0,3}(?:common |ordinary )?shares\b")
_BRACKETED = re.compile(r"^\s*[(（]\s*(?:or\s+|about\s+|approximately\s+|roughly\s+)?$")
_CONVERTED = re.compile(r"^\s*[,，]?\s*(?:按[^,，。]{0,12})?(?:约合|折合|相当于|换算)")


_BETWEEN = re.compile(r"(?<![a-z])between\s*$")


def _between(low: str, found: list[Quantity]) -> list[Quantity]:
    """ "between $10 billion and $12 billion": one range."""
    out: list[Quantity] = []
    for q in found:
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == q.kind
            and last.unit == q.unit
            and last.value is not None
            and q.value is not None
            and low[last.end : q.start].strip() == "and"
            and _BETWEEN.search(low[max(0, last.start - 10) : last.start])
            and last.value <= q.value
        ):
            out[-1] = replace(last, end=q.end, value=None, min_value=last.value, max_value=q.value)
            continue
        out.append(q)
    return out


_PER_SHARE_BEFORE = re.compile(r"(?:每股|每单位|单价)\s*(?:约|为)?\s*$")
_PER_SHARE_AFTER = re.compile(r"\s*(?:a share|per share|each|apiece|/share)\b")


def _per_share(low: str, found: list[Quantity]) -> list[Quantity]:
    """每股 6.01 美元 / $94.94 a share: a price, not a sum."""
    return [
        replace(q, kind="price")
        if q.kind == "money"
        and (
            _PER_SHARE_BEFORE.search(low[max(0, q.start - 6) : q.start])
            or _PER_SHARE_AFTER.match(low, q.end)
        )
        else q
        for q in found
    ]


def _shares(low: str, found: list[Quantity]) -> list[Quantity]:
    """A bare count followed by "shares" counts shares."""
    out: list[Quantity] = []
    for q in found:
        if q.kind == "number" and _SHARES_AFTER.match(low, q.end):
            q = replace(q, kind="shares", unit="unit:NUM")
        out.append(q)
    return out


def _restatements(low: str, found: list[Quantity]) -> list[Quantity]:
    """A sum right after another in another currency (in brackets, or after 約合) restates
    it: an ``amount_alt``, never a second amount."""
    out: list[Quantity] = []
    previous: Quantity | None = None
    for q in found:
        if (
            previous is not None
            and q.kind in ("money", "number")
            and previous.kind == "money"
            and q.unit != previous.unit
            and q.start - previous.end <= 24
            and (
                _BRACKETED.match(low[previous.end : q.start])
                or _CONVERTED.match(low[previous.end : q.start + 5])
            )
        ):
            q = replace(q, restates=True)
        out.append(q)
        if q.kind == "money":
            previous = q
    return out


_COORDINATED = re.compile(rf"({_ARABIC})\s*(?:与|和|及|、|,|and)\s*$")


def _coordinated(low: str, quantity: Quantity, found: list[Quantity]) -> list[Quantity]:
    """The bare first figure shares the unit of the second ("67.44 與 86.18 倍")."""
    m = _COORDINATED.search(low[max(0, quantity.start - 24) : quantity.start])
    if m is None:
        return []
    offset = max(0, quantity.start - 24)
    start, end = offset + m.start(1), offset + m.end(1)
    if any(q.start <= start < q.end for q in found[-4:]):
        return []
    value = parse_number(m.group(1))
    if value is None or quantity.kind == "money":
        return []
    return [Quantity(kind=quantity.kind, unit=quantity.unit, start=start, end=end, value=value)]


_NOT_SHARES = frozenset("价权东票市息利本份民灾")


def _quantity(low: str, m: re.Match[str], local: str | None = None) -> Quantity | None:
    num, num2 = m.group("num"), m.group("num2")
    unit_word = m.group("unit") or m.group("unit1")
    mult_word = m.group("mult") or m.group("mult1")
    currency = _PREFIX_CURRENCY.get((m.group("cur") or m.group("cur2") or "").strip())
    arabic = num[0].isdigit()
    # a Chinese numeral or an English number word only counts with a multiplier or a unit
    if not arabic and not (mult_word or unit_word):
        return None
    if num2 is not None and m.group("num2") and not (unit_word or mult_word or currency):
        return None
    if m.start("num") > 0 and (
        low[m.start("num") - 1].isalnum() and low[m.start("num") - 1].isascii()
    ):
        return None
    kind: str
    unit: str | None
    factor = Decimal(1)
    cut = m.end()
    if unit_word == "股" and low[m.end() : m.end() + 1] in _NOT_SHARES:
        # 股價, 股權, 股東: no count of shares (the unit before, if any, is the figure's)
        unit_word = m.group("unit1") if m.group("unit") == "股" else None
        cut = m.start("unit") if m.group("unit") == "股" else m.start("unit1")
    if unit_word is not None:
        kind, unit, factor = _UNITS[unit_word]
        if unit == "LOCAL":
            unit = currency or local
            if unit is None:
                kind, unit = ("number", None) if mult_word else ("", None)
                if not kind:
                    return None
        if kind == "money" and currency is None:
            currency = unit
        if kind == "duration":
            if re.match(r"[\s-]*old\b|\s*岁", low[m.end() : m.end() + 6]):
                return None  # an age, not a duration ("28-year-old")
            following = low[m.end() : m.end() + 1]
            if _YEAR_LIKE.fullmatch(num) or (following in "月底初中" and following):
                return None  # a calendar year, not a duration
        if unit_word in ("b", "m", "k"):
            return None
    elif currency is not None:
        kind, unit = "money", currency
    elif mult_word is not None and mult_word not in ("b", "m", "k"):
        kind, unit = "number", None
    else:
        return None
    if kind == "money":
        unit = currency
    if mult_word in ("b", "m", "k") and kind != "money":
        return None
    if unit_word == "x" and not arabic:
        return None
    mult1 = _MULT.get(m.group("mult1") or "", Decimal(1))
    mult = _MULT.get(m.group("mult") or "", Decimal(1))
    first = parse_number(num)
    if first is None:
        return None
    sign = Decimal(-1) if m.group("neg") == "负" else Decimal(1)
    start, end = m.start(), cut
    if m.group("neg") == "-":
        start += 1
    while end > start and low[end - 1].isspace():
        end -= 1
    if num2 is not None:
        second = parse_number(num2)
        if second is None:
            return None
        low_mult = mult1 if m.group("mult1") else mult
        if m.group("unit1") and not m.group("mult1"):
            low_mult = Decimal(1)
        lo = first * low_mult * factor
        hi = second * mult * factor
        if hi < lo:
            return None
        bound, start, end = _bound(low, start, end)
        return Quantity(
            kind=kind, unit=unit, start=start, end=end, min_value=lo, max_value=hi, bound=bound
        )
    if m.group("tail"):
        tail = _mixed_number(m.group("tail"))
        tail_value = tail * _MULT[m.group("tailmult")] if tail is not None else None
        if tail_value is None or tail_value >= mult1:
            return None
        first, mult1 = first * mult1 + tail_value, Decimal(1)
    value = sign * first * mult1 * mult * factor
    bound, start, end = _bound(low, start, end)
    return Quantity(kind=kind, unit=unit, start=start, end=end, value=value, bound=bound)
