"""Organisations the lexicon does not know, found by pattern and proposed for review.

Three patterns: a capitalised name with a legal or corporate suffix ("Acme Robotics Inc.",
"Crusoe Energy Systems"), a short Chinese name before 公司 / 集團 / 控股 / 資本, and a
capitalised name next to a deal word ("invest in X", "led by X", "X agreed to lend").
A proposal becomes a new ``firm/<slug>`` individual in the draft, with a low confidence and a
comment asking for review.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field

from kg.core.scripts import fold
from kg.extract.context import ArticleContext
from kg.extract.lexicon import Mention

__all__ = ["Proposal", "find_new_organisations"]

_CAP = r"[A-Z][A-Za-z0-9&'\-]*"
_EN_SUFFIX = re.compile(
    rf"\b((?:{_CAP}\s+){{0,3}}{_CAP}(?:,?\s+(?:Inc|Corp|Corporation|Ltd|Limited|LLC|plc|AG|SE|"
    r"GmbH|S\.A|N\.V)\b\.?|\s+(?:Holdings|Group|Capital|Partners|Technologies|Systems|Securities|"
    r"Ventures|Bank|Labs|Networks|Energy|Investments|Management|Advisors|Fund)\b))"
)
_EN_DEAL = re.compile(
    rf"(?:\b(?:invest(?:s|ed|ing|ment)? in|stake in|led by|backed by|from|with|acquire[sd]?|"
    rf"lender|partner(?:ed|ing|s)? with)\s+)((?:{_CAP}\s+){{0,2}}{_CAP})"
    rf"|((?:{_CAP}\s+){{0,2}}{_CAP})"
    r"(?=\s+(?:agreed|invest|lend|led|will (?:invest|lend|provide|buy|supply)|"
    r"pulled out|walked away|withdrew|backed out|signed)\b)"
)
_CN_LATIN = re.compile(
    rf"(?:出资方|投资方|贷款方|放款方|买方|卖方|合作伙伴|投资者|投资人|由|向|与|和|从)\s*({_CAP}(?:\s+{_CAP}){{0,2}})"
    rf"|({_CAP}(?:\s+{_CAP}){{0,2}})\s*(?=洽谈|投资|融资|贷款|出资|入股|收购|领投)"
)
_GENERIC = re.compile(
    r"^(?:资产|資產|管理|投资|投資|控股|科技|技术|技術|上市|初创|初創|新创|新創|软件|軟體|半导体|半導體|"
    r"芯片|晶片|云端|雲端|能源|电信|電信|设备|設備|基金|顾问|顧問|金融|证券|證券|网络|網路|数据|數據|"
    r"资料|資料|中心|服务|服務|游戏|遊戲|汽车|汽車|制造|製造|国际|國際|集团|集團|母|子)+$"
)
_CN_SUFFIX = re.compile(r"([\u4e00-\u9fff]{2,4})(公司|集团|集團|控股|银行|銀行)")
_CN_BAD = set(
    "的了是在和与與将將为為对對这這那该該等此本母子家些个個其及或被把从從向给給都也就还還"
)
_STOP = {
    "The", "A", "An", "This", "That", "These", "It", "Its", "In", "On", "At", "By", "For", "And",
    "But", "If", "As", "With", "From", "To", "Of", "Chinese", "American", "US", "U.S.", "AI",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "He", "She", "They", "We", "Their", "Under", "After", "Before",
}  # fmt: skip


@dataclass(slots=True)
class Proposal:
    """A new organisation: ``ref`` is ``firm/<slug>``; spans are in the view text."""

    ref: str
    label: str
    method: str
    confidence: float
    spans: list[tuple[int, int]] = field(default_factory=list)


def _slug(label: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) >= 2:
        return slug
    return f"new-{zlib.crc32(label.encode('utf-8')):08x}"


def _strip_stop(name: str) -> str:
    words = name.split()
    while words and words[0] in _STOP:
        words = words[1:]
    return " ".join(words)


def fold_keep_case(text: str) -> str:
    """The Simplified form of each Chinese character, everything else as it is."""
    folded = fold(text)
    return "".join(f if "\u4e00" <= c <= "\u9fff" else c for c, f in zip(text, folded, strict=True))


def find_new_organisations(article: ArticleContext, *, known: list[Mention]) -> list[Proposal]:
    """Organisations named in the article that the lexicon does not know."""
    view = article.view
    taken = [(m.start, m.end) for m in known]
    found: dict[str, Proposal] = {}

    def overlaps(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in taken)

    def propose(label: str, start: int, end: int, method: str, confidence: float) -> None:
        label = label.strip(" ,.")
        if len(label) < 2 or overlaps(start, end) or label in _STOP:
            return
        if article.lexicon.find(label):
            return
        ref = f"firm/{_slug(label)}"
        proposal = found.setdefault(
            ref, Proposal(ref=ref, label=label, method=method, confidence=confidence)
        )
        if (start, end) not in proposal.spans:
            proposal.spans.append((start, end))
        taken.append((start, end))

    for m in _EN_SUFFIX.finditer(view):
        name = _strip_stop(m.group(1))
        if name:
            start = m.start(1) + m.group(1).index(name)
            propose(name, start, start + len(name), "org-legal-suffix", 0.5)
    for m in _EN_DEAL.finditer(view):
        group = 1 if m.group(1) else 2
        name = _strip_stop(m.group(group))
        if not name or (name.isupper() and len(name) <= 5):
            continue
        start = m.start(group) + m.group(group).index(name)
        propose(name, start, start + len(name), "org-deal-context", 0.4)
    for m in _CN_LATIN.finditer(fold_keep_case(view)):
        group = 1 if m.group(1) else 2
        name = _strip_stop(m.group(group))
        if not name or (name.isupper() and len(name) <= 5):
            continue
        start = m.start(group) + m.group(group).index(name)
        propose(name, start, start + len(name), "org-deal-context", 0.4)
    for m in _CN_SUFFIX.finditer(view):
        name = m.group(1)
        while name and name[0] in _CN_BAD:
            name = name[1:]
        if len(name) < 2 or any(ch in _CN_BAD for ch in name) or _GENERIC.match(name):
            continue
        start = m.start(1) + (len(m.group(1)) - len(name))
        if start > 0 and "\u4e00" <= view[start - 1] <= "\u9fff":
            continue  # not at a word boundary: likely part of a longer phrase
        label = name + m.group(2)
        propose(label, start, m.end(), "org-cn-suffix", 0.4)
    # every further occurrence of a proposed name is a mention too
    folded = fold(view)
    for proposal in found.values():
        key = fold(proposal.label)
        for hit in re.finditer(re.escape(key), folded):
            span = (hit.start(), hit.end())
            if span not in proposal.spans and not any(
                s < span[1] and span[0] < e for s, e in [(m.start, m.end) for m in known]
            ):
                proposal.spans.append(span)
        proposal.spans.sort()
    return list(found.values())
