"""Dates in a text, absolute or relative to the publication date, each with its precision.

A date is written as the records write it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; the string
carries the precision. A relative date ("去年9月", "上個月", "last month", "on Monday") is
resolved against ``--published`` and never gets a finer precision than the publication date
allows (a week-relative date needs a publication day; with only a month it stays a month).

>>> pub = Published.parse("2026-02")
>>> [(d.value, d.relative) for d in find_dates("去年9月宣布,今年1月底否認", published=pub)]
[('2025-09', True), ('2026-01', True)]
>>> [d.value for d in find_dates("預計於 2026 年下半年上線", published=pub)]
['2026-07']
>>> [d.value for d in find_dates("on Monday", published=Published.parse("2025-09-24"))]
['2025-09-22']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.core.errors import InputError
from kg.core.scripts import fold
from kg.extract.figures.quantities import parse_number

__all__ = ["DATELINE_REACH", "DateMention", "Published", "article_date", "find_dates"]

_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True, slots=True)
class Published:
    """The publication date and its precision (``year``, ``month`` or ``day``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str) -> Published:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> Published.parse("2025-09").precision
        'month'
        """
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
        if m is None:
            raise InputError(f"--published {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            raise InputError(f"--published {value!r} is not a real date") from None
        return cls(year=year or 1, month=month, day=day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def value(self) -> str:
        return _format(self.year, self.month, self.day)

    def as_date(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in a text: ``value`` as records write it, its span, and hints.

    ``role`` is ``start`` ("from 2027", "2026 下半年"), ``end`` ("until", "by") or None.
    """

    value: str
    start: int
    end: int
    relative: bool = False
    role: str | None = None

    @property
    def precision(self) -> str:
        return ("year", "month", "day")[self.value.count("-")]


def _format(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cap(
    year: int, month: int | None, day: int | None, need: str, published: Published | None
) -> str:
    """Format, dropping parts the publication date's precision cannot support."""
    if published is None:
        return _format(year, month, day)
    allowed = _PRECISION_RANK[published.precision]
    if _PRECISION_RANK[need] > allowed:
        if allowed == 0:
            return _format(year)
        return _format(year, month)
    return _format(year, month, day)


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_CN_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR_WORD = {"去年": -1, "今年": 0, "明年": 1, "前年": -2, "last year": -1, "this year": 0,
              "next year": 1}  # fmt: skip

#: what follows a bare day of the month (folded: Simplified script) in a news sentence; an
#: agency's dateline (23日专讯, 18日电) is the day of the report, not of the event
_DAY_AFTER = (
    "宣布|表示|公告|公布|发布|签署|签订|指出|透露|完成|举行|举办|召开|晚间|早间|盘后|盘前|收盘|"
    "傍晚|凌晨|上午|下午|晚上|起|止|报道|报导|称|说|证实|的|在|于|与|和|向|将|正式|,|，"
)

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("cn_ymd", re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("cn_ym", re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(初|中旬|上旬|下旬|底|末|中)?")),
    ("cn_yhalf", re.compile(r"(?<!\d)(\d{4})\s*年?\s*"
                            r"(上半年|下半年|第([一二三四1-4])季度?|q([1-4])|"
                            r"年初|年底|年末|初|底)")),
    ("rel_ym", re.compile(rf"(去年|今年|明年|前年)\s*({_CN_NUM})\s*月(初|中旬|上旬|下旬|底|末)?"
                          r"(?:\s*(\d{1,2})\s*[日号])?")),
    ("rel_yhalf", re.compile(r"(去年|今年|明年|前年)(上半年|下半年|初|底|年初|年底)")),
    ("rel_y", re.compile(r"(去年|今年|明年|前年|last year|this year|next year)")),
    ("cn_md", re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")),
    ("cn_m", re.compile(r"(?<![\d年上下个個本])(\d{1,2})\s*月(初|中旬|上旬|下旬|底|末)?"
                        r"(?!份?\s*[\d日号])")),
    ("rel_month", re.compile(r"(上个月|上月|本月|这个月|下个月|下月|"
                             r"last month|this month|next month|"
                             r"earlier this month)")),
    ("rel_week", re.compile(r"(本周[初末]?|这周|上周|下周|this week|last week|next week|"
                            r"earlier this week)")),
    ("rel_day", re.compile(r"(昨天|昨日|今天|今日|yesterday|today)")),
    ("weekday", re.compile(r"(?:(?:on|last)\s+)(monday|tuesday|wednesday|thursday|friday|saturday|"
                           r"sunday)|(?:上)?(?:周|星期|礼拜)([一二三四五六日天])")),
    ("en_mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("en_dmy", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b")),
    ("en_my", re.compile(rf"\b(?:(early|mid|late)[- ])?({_MONTH_RE})\.?,?\s+(\d{{4}})\b")),
    ("en_md", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)")),
    ("en_half", re.compile(r"\b(?:(h[12]|q[1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4})|"
                           r"(\d{4})\s*(h[12]|q[1-4])|"
                           r"(first|second) half of (\d{4})|(early|late) (\d{4}))\b")),
    # a day of the month alone, as Chinese news writes the day of the event: 昨（27）日,
    # 周三（22日）, (3 日), 22日宣布, 二十八日在…; the month and year are the publication's
    ("cn_day", re.compile(r"[昨今前]\s*\(\s*(\d{1,2})\s*\)\s*日|\(\s*(\d{1,2})\s*日\s*\)|"
                          r"(?<![\d月年.,/\-:])(\d{1,2}|[一二三]?十[一二三四五六七八九]?|"
                          r"[二三]十)\s*日(?=\s*(?:" + _DAY_AFTER + r"))")),
    ("year", re.compile(r"(?<![\d.,$])((?:19|20)\d\d)"
                        r"(?!\s*[\d%.,]|\s*年\s*\d|\s*(?:亿|万|gw|mw))")),
]  # fmt: skip

_MONTH_PREFIXES = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_RELATIVE_YEARS = ("去年", "今年", "明年", "前年")
#: words a text must hold for a rule to be tried at all (any of them; none: always tried)
_NEEDS: dict[str, tuple[str, ...]] = {
    "cn_ymd": ("年",),
    "cn_ym": ("年",),
    "cn_yhalf": ("半年", "季", "q", "初", "底", "末"),
    "rel_ym": _RELATIVE_YEARS,
    "rel_yhalf": _RELATIVE_YEARS,
    "rel_y": (*_RELATIVE_YEARS, "year"),
    "cn_md": ("月",),
    "cn_m": ("月",),
    "rel_month": ("月", "month"),
    "rel_week": ("周", "week"),
    "rel_day": ("昨", "今", "yesterday", "today"),
    "weekday": ("day", "周", "星期", "礼拜"),
    "en_mdy": _MONTH_PREFIXES,
    "en_dmy": _MONTH_PREFIXES,
    "en_my": _MONTH_PREFIXES,
    "en_md": _MONTH_PREFIXES,
    "en_half": ("h1", "h2", "q1", "q2", "q3", "q4", "half", "early", "late"),
    "cn_day": ("日",),
    "year": ("19", "20"),
}

_START_BEFORE = re.compile(r"(?:自|从|由|from|starting(?: in)?|beginning(?: in)?|as of)\s*$")
_START_AFTER = re.compile(r"^\s*(?:起|开始|以后|onwards?)")
_END_BEFORE = re.compile(r"(?:until|till|through|by)\s+$")
_END_AFTER = re.compile(r"^\s*(?:前|之前|为止|止)")


def _month_year(month: int, published: Published | None) -> int:
    """The year of a month named without one: this year, or last year if that month is more
    than two months after publication."""
    if published is None:
        return dt.date.today().year
    if published.month is not None and month > published.month + 2:
        return published.year - 1
    return published.year


def _resolve(rule: str, m: re.Match[str], published: Published | None) -> tuple[str, bool] | None:
    g = m.groups()
    pub = published
    if rule == "iso":
        year, month, day = int(g[0]), int(g[1]), int(g[2])
        if not _valid(year, month, day):
            return None
        return _format(year, month, day), False
    if rule == "cn_ymd":
        year, month, day = int(g[0]), int(g[1]), int(g[2])
        return (_format(year, month, day), False) if _valid(year, month, day) else None
    if rule == "cn_ym":
        year, month = int(g[0]), int(g[1])
        return (_format(year, month), False) if _valid(year, month) else None
    if rule == "cn_yhalf":
        year = int(g[0])
        return _half(year, g[1], g[2] or g[3]), False
    if rule in ("rel_ym", "rel_yhalf", "rel_y"):
        if pub is None:
            return None
        year = pub.year + _YEAR_WORD[g[0]]
        if rule == "rel_y":
            return _format(year), True
        if rule == "rel_yhalf":
            return _half(year, g[1], None), True
        month = int(parse_number(g[1]) or 0)
        if not _valid(year, month):
            return None
        if g[3]:
            day = int(g[3])
            return (_format(year, month, day), True) if _valid(year, month, day) else None
        return _format(year, month), True
    if pub is None and rule in ("cn_md", "cn_m", "en_md"):
        return None  # a month without its year, and no publication date to give one
    if rule == "cn_md":
        month, day = int(g[0]), int(g[1])
        year = _month_year(month, pub)
        return (_format(year, month, day), True) if _valid(year, month, day) else None
    if rule == "cn_m":
        month = int(g[0])
        if not 1 <= month <= 12:
            return None
        return _format(_month_year(month, pub), month), True
    if rule == "rel_month":
        if pub is None or pub.month is None:
            return None
        word = g[0]
        delta = (
            -1
            if word in ("上个月", "上月", "last month")
            else 1
            if "下" in word or "next" in word
            else 0
        )
        index = pub.year * 12 + pub.month - 1 + delta
        return _format(index // 12, index % 12 + 1), True
    if rule in ("rel_week", "rel_day", "weekday"):
        if pub is None or pub.month is None:
            return None
        base = pub.as_date()
        word = (g[0] or "") if rule != "weekday" else ""
        if rule == "rel_week":
            delta = (
                -7 if word in ("上周", "last week") else 7 if word in ("下周", "next week") else 0
            )
            target = base + dt.timedelta(days=delta)
            target -= dt.timedelta(days=target.weekday())
            if "末" in word:
                target += dt.timedelta(days=5)
        elif rule == "rel_day":
            target = base - dt.timedelta(days=1) if word in ("昨天", "昨日", "yesterday") else base
        else:
            weekday = _WEEKDAYS[g[0] or g[1]]
            back = (base.weekday() - weekday) % 7
            if m.group(0).startswith(("上", "last")) and back == 0:
                back = 7
            target = base - dt.timedelta(days=back)
        if pub.day is None:
            return _format(pub.year, pub.month), True
        return _format(target.year, target.month, target.day), True
    if rule in ("en_mdy", "en_dmy"):
        if rule == "en_mdy":
            month, day, year = _MONTHS[g[0]], int(g[1]), int(g[2])
        else:
            day, month, year = int(g[0]), _MONTHS[g[1]], int(g[2])
        return (_format(year, month, day), False) if _valid(year, month, day) else None
    if rule == "en_my":
        return _format(int(g[2]), _MONTHS[g[1]]), False
    if rule == "en_md":
        if g[0] in ("may", "mar") and m.group(0)[:1].islower():
            return None
        month, day = _MONTHS[g[0]], int(g[1])
        year = _month_year(month, pub)
        return (_format(year, month, day), True) if _valid(year, month, day) else None
    if rule == "en_half":
        if g[0]:
            return _half(int(g[1]), g[0], None), False
        if g[2]:
            return _half(int(g[2]), g[3], None), False
        if g[4]:
            return _half(int(g[5]), "h1" if g[4] == "first" else "h2", None), False
        return _format(int(g[7])), False
    if rule == "cn_day":
        if pub is None or pub.month is None:
            return None
        day = int(parse_number(g[0] or g[1] or g[2]) or 0)
        year, month = pub.year, pub.month
        if pub.day is not None and day > pub.day:  # a day after publication: last month's
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        if not _valid(year, month, day):
            return None
        return _format(year, month, day), True
    if rule == "year":
        return _format(int(g[0])), False
    return None


def _half(year: int, word: str, quarter: str | None) -> str:
    if word in ("下半年", "h2"):
        return _format(year, 7)
    if word in ("上半年", "h1"):
        return _format(year, 1)
    if word.startswith("q") or word.startswith("第"):
        q = int(parse_number(quarter or word[1:]) or 1)
        return _format(year, 3 * q - 2)
    if word in ("底", "年底", "年末"):
        return _format(year, 12)
    return _format(year)


def _valid(year: int, month: int, day: int = 1) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def find_dates(
    text: str, *, published: Published | None, folded: str | None = None
) -> list[DateMention]:
    """Every date in ``text`` (longest first where two overlap), in text order."""
    low = fold(text) if folded is None else folded
    taken = bytearray(len(low) + 1)
    out: list[DateMention] = []
    for rule, pattern in _RULES:
        needs = _NEEDS.get(rule)
        if needs is not None and not any(word in low for word in needs):
            continue  # a word every match holds is missing: nothing to find
        for m in pattern.finditer(low):
            start, end = m.start(), m.end()
            if m.group(0)[:1].isspace():
                start += len(m.group(0)) - len(m.group(0).lstrip())
            if any(taken[start:end]):
                continue
            resolved = _resolve(rule, m, published)
            if resolved is None:
                continue
            value, relative = resolved
            if relative and published is not None and rule not in ("cn_md", "en_md", "cn_m"):
                value = _limit(value, rule, published)
            role = None
            head = low[max(0, start - 14) : start]
            tail = low[end : end + 6]
            if (
                _START_BEFORE.search(head)
                or _START_AFTER.match(tail)
                or (rule in ("cn_yhalf", "rel_yhalf", "en_half") and value.endswith("-07"))
            ):
                role = "start"
            elif _END_BEFORE.search(head) or _END_AFTER.match(tail):
                role = "end"
            taken[start:end] = b"\x01" * (end - start)
            out.append(DateMention(value=value, start=start, end=end, relative=relative, role=role))
    out.sort(key=lambda d: d.start)
    return out


def _limit(value: str, rule: str, published: Published) -> str:
    need = ("year", "month", "day")[value.count("-")]
    if _PRECISION_RANK[need] <= _PRECISION_RANK[published.precision]:
        return value
    parts = [int(p) for p in value.split("-")]
    return _cap(parts[0], parts[1] if len(parts) > 1 else None, None, need, published)


#: how far into a text its dateline or byline date may stand (code points)
DATELINE_REACH = 400
#: a line that says when the page was published or updated, anywhere in the text
_STAMP_LINE = re.compile(
    r"(?:\b(?:published|updated|posted|created)(?: on)?|发布时间|发布日期|发表时间|更新时间|"
    r"刊登日期)\s*[:：][^\n]{0,40}"
)
_NUMERIC_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\d/.\-])")
_ABSOLUTE_DAY_RULES = ("iso", "cn_ymd", "en_mdy", "en_dmy")


def article_date(text: str, *, language: str = "en", folded: str | None = None) -> Published | None:
    """The date an article gives itself: its dateline or byline (``2025-11-03 22:17``,
    ``23/10/2025 14:56``, ``2025年12月3日``, ``LONDON, Nov. 12, 2025 --``, ``Published: March
    4, 2026``) within the first ``DATELINE_REACH`` code points, or a published / updated line
    anywhere. A numeric day-month-year is read day first (``23/10/2025``; ``11-12-2025`` is 11
    December) except an English text's ``MM/DD/YYYY`` with a slash. A date without a year
    (``9月18日电``) gives none.

    >>> article_date("記者王明 2025-11-03 22:17\\n\\n輝達宣布…").value
    '2025-11-03'
    >>> article_date("23/10/2025 14:56\\n\\n【AI】", language="zh-Hant").value
    '2025-10-23'
    >>> article_date("LONDON, Nov. 12, 2025 -- Acme said").value
    '2025-11-12'
    >>> article_date("no date here") is None
    True
    """
    low = fold(text) if folded is None else folded
    head = low[:DATELINE_REACH]
    spans = [head] + [m.group(0) for m in _STAMP_LINE.finditer(low, DATELINE_REACH)]
    for span in spans:
        found: list[tuple[int, str]] = []
        for rule, pattern in _RULES:
            if rule not in _ABSOLUTE_DAY_RULES:
                continue
            for m in pattern.finditer(span):
                resolved = _resolve(rule, m, None)
                if resolved is not None:
                    found.append((m.start(), resolved[0]))
                    break
        for m in _NUMERIC_DMY.finditer(span):
            a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
            month_first = b > 12 or (a <= 12 and m.group(2) == "/" and language == "en")
            day, month = (b, a) if month_first else (a, b)
            if _valid(year, month, day):
                found.append((m.start(), _format(year, month, day)))
                break
        if found:
            return Published.parse(min(found)[1])
    return None
