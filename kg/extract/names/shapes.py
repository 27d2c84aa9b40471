"""Names the lexicon does not know, found by their shape and proposed for review.

The shapes (``rules/names.yaml`` holds their words), in English and in Chinese:

- organisations: a capitalised name with a legal or corporate suffix ("Acme Robotics Inc.",
  "Vantage Data Centers"); a name after a descriptor ("chip start-up Cerebras", 新創公司Ampere,
  電信巨擘諾基亞); a Latin name before a Chinese corporate word ("SK集團", "T-Mobile美國公司");
  a known firm's name before a business word (三星重工: another firm of the group); a name with
  a stock code ("鴻海（2317）", "X (NYSE: XYZ)", "Nasdaq-listed X"); a name next to a deal word
  ("invest in X", 收購X); an unknown member of an enumeration of known firms ("IREN, CoreWeave
  and Nebius", 台積電、鴻海、南亞科等);
- people: a name after a title (執行長黃仁勳, 副總裁 Dave Brown, "CEO Hock Tan"), before ", CEO
  of", after "said";
- a Chinese name with its Latin form in brackets (諾基亞（Nokia）, 霍塔德（Justin Hotard）) gives
  one individual with labels in both scripts, a person or an organisation by the words around
  it; chips by their model code before a chip word (MI308晶片), datacenters by a quoted name
  before a datacenter word (「AI Factory」超級算力中心) or after 名為 / dubbed.

Each becomes a proposed individual (``firm/…``, ``person/…``, ``chip/…``, ``datacenter/…``)
with its labels, a low confidence and a comment asking for review, and takes part in deals like
a known one. Every further occurrence of one of its labels is a mention.

(Longer than 500 lines on purpose: every shape reads and writes one finder's state over one
text, what is covered, proposed and replaced; split up, that state would travel between
modules. The words and windows are in ``rules/names.yaml``.)
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.core.scripts import fold, fold_han, is_han
from kg.extract.names.lexicon import Lexicon, Mention
from kg.extract.tables import names_table

__all__ = ["Names", "Proposal", "find_names"]


@dataclass(slots=True)
class Proposal:
    """A new individual: ``ref`` is ``kind/slug``; spans are in the view text."""

    ref: str
    kind: str
    label: str
    method: str
    confidence: float
    labels: dict[str, str] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def type(self) -> str:
        return {"firm": "Firm", "person": "Person", "chip": "Chip", "datacenter": "Datacenter"}[
            self.kind
        ]


@dataclass(slots=True)
class Names:
    """What the shapes found: proposals, and known mentions a longer name replaces."""

    proposals: list[Proposal]
    replaced: set[tuple[int, int]]
    aliases: list[Mention] = field(default_factory=list)


def _words(items: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in items), key=len, reverse=True))


def _regexes(items: Iterable[str]) -> str:
    return "|".join(f"(?:{w})" for w in items)


_TOKEN = r"[A-Z][A-Za-z0-9&'\-.]*[A-Za-z0-9']|[A-Z]"
_NEXT = r"[A-Z0-9][A-Za-z0-9&'\-.]*[A-Za-z0-9]|[A-Z0-9]"
_RUN = rf"(?:{_TOKEN})(?:[ \t](?:{_NEXT})){{0,4}}"


@dataclass(frozen=True, slots=True)
class _Shapes:
    """The compiled shapes of ``names.yaml``."""

    en_suffix: re.Pattern[str]
    en_descriptor: re.Pattern[str]
    en_deal_before: re.Pattern[str]
    en_deal_after: re.Pattern[str]
    en_listed: re.Pattern[str]
    en_person_title: re.Pattern[str]
    en_person_apposition: re.Pattern[str]
    en_person_said: re.Pattern[str]
    en_run: re.Pattern[str]
    cn_descriptor_latin: re.Pattern[str]
    cn_latin_suffix: re.Pattern[str]
    cn_suffix_english: dict[str, str]
    country_short: dict[str, str]
    cn_not_title: tuple[str, ...]
    cn_bracketed: re.Pattern[str]
    cn_title: re.Pattern[str]
    cn_ticker: re.Pattern[str]
    cn_deal_latin: re.Pattern[str]
    chip_code: re.Pattern[str]
    datacenter_quoted: re.Pattern[str]
    datacenter_named: re.Pattern[str]
    datacenter_words: re.Pattern[str]
    named_words: tuple[str, ...]
    stop: frozenset[str]
    abbreviations: frozenset[str]
    cn_descriptors: tuple[str, ...]
    cn_country_firm: tuple[str, ...]
    cn_country_firm_not_before: tuple[str, ...]
    cn_business_named: re.Pattern[str]
    cn_titles: tuple[str, ...]
    cn_left: tuple[str, ...]
    cn_after_name: tuple[str, ...]
    cn_not_in_name: frozenset[str]
    cn_not_in_person: frozenset[str]
    cn_weak_not_in_name: frozenset[str]
    cn_not_person: tuple[str, ...]
    cn_not_name: tuple[str, ...]
    cn_group_business: tuple[str, ...]
    cn_group_same: tuple[str, ...]
    cn_enum_close: re.Pattern[str]
    cn_invest_object: re.Pattern[str]
    cn_joint_verbs: tuple[str, ...]
    confidence: dict[str, float]
    window: dict[str, int]


@cache
def _shapes() -> _Shapes:
    t: dict[str, Any] = names_table()
    org, person = t["org"], t["person"]
    suffix = _words(org["en_legal_suffix"])
    name_suffix = _words(org["en_name_suffix"])
    chip_nouns = _words(t["chip"]["nouns"])
    dc_nouns = _words(t["datacenter"]["nouns"])
    fold_words = [fold(w) for w in org["cn_descriptor"]]
    countries_zh = {fold(row[k]) for row in t["countries"] for k in ("zh-Hant", "zh-Hans")}
    short = {"us": "US", "gb": "UK", "ae": "UAE"}
    country_short = {
        fold(row[k]): short.get(row["code"], row["en"])
        for row in t["countries"]
        for k in ("zh-Hant", "zh-Hans")
    }
    return _Shapes(
        en_suffix=re.compile(
            rf"\b({_RUN}?)(?:,?\s+(?:{suffix})\b\.?|\s+(?:{name_suffix})\b)"
            rf"|\b((?:{_TOKEN})(?:[ \t](?:{_NEXT})){{0,3}}[ \t](?:{name_suffix}))\b"
        ),
        en_descriptor=re.compile(rf"\b(?:{_words(org['en_descriptor'])})\s+({_RUN})"),
        en_deal_before=re.compile(rf"\b(?:{_regexes(org['en_deal_before'])})\s+({_RUN})"),
        en_deal_after=re.compile(rf"\b({_RUN})\s+(?:{_regexes(org['en_deal_after'])})\b"),
        en_listed=re.compile(
            rf"\b({_RUN})\s*\((?:NASDAQ|Nasdaq|NYSE|TSX|LSE|HKEX|TWSE|SGX|ASX|OTC)\s*:\s*[A-Z.]+\)"
            rf"|\b(?:Nasdaq|NYSE|Tokyo|London|Hong Kong|Taiwan|Shanghai|Shenzhen)-listed\s+({_RUN})"
        ),
        en_person_title=re.compile(
            rf"\b(?:{_regexes(person['en_title'])})\s+([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){{1,2}})\b"
        ),
        en_person_apposition=re.compile(
            rf"\b([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){{1,2}}),\s+(?:the\s+|its\s+|a\s+)?"
            rf"(?:former\s+|co-)?(?:{_regexes(person['en_title'])})\b"
        ),
        en_person_said=re.compile(
            rf"\b(?:{_words(person['en_said'])})\s+([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){{1,2}})\b"
        ),
        en_run=re.compile(_RUN),
        cn_descriptor_latin=re.compile(rf"(?:{_words(fold_words)})\s?({_RUN})"),
        cn_latin_suffix=re.compile(
            rf"((?:{_TOKEN})(?:[ \t](?:{_NEXT})){{0,2}})\s?({_words(countries_zh)})?"
            rf"({_words(fold(w) for w in org['cn_suffix_after_latin'])})"
            rf"(?!{_words(fold(w) for w in org['cn_suffix_not_before'])})"
        ),
        cn_suffix_english={fold(k): str(v) for k, v in org["cn_suffix_after_latin"].items()},
        country_short=country_short,
        cn_not_title=tuple(fold(w) for w in person["cn_not_title"]),
        cn_bracketed=re.compile(r"[（(]\s*([A-Z][A-Za-z0-9&'\-.\" ]{1,40}?)\s*[）)]"),
        cn_title=re.compile(_words(fold(w) for w in person["cn_title"])),
        cn_ticker=re.compile(r"[（(]\s*(?:\d{4,6}(?:\.[A-Z]{2})?|[A-Z]{1,5}-[A-Z]{2})\s*[）)]"),
        cn_deal_latin=re.compile(
            rf"(?:收购|并购|入股|注资|投资|携手|联手|合作伙伴|买下|收购了)\s?({_RUN})"
            rf"|({_RUN})\s?(?={_words(fold(w) for w in org['cn_deal_after_latin'])})"
        ),
        chip_code=re.compile(
            rf"(?<![A-Za-z0-9])({t['chip']['code']})\s?(?:{chip_nouns})(?![a-z])", re.IGNORECASE
        ),
        datacenter_quoted=re.compile(rf"[「『“\"]([^」』”\"]{{2,24}})[」』”\"]\s?(?:{dc_nouns})"),
        datacenter_named=re.compile(
            rf"(?:{_words(t['datacenter']['named'])})\s?([\u4e00-\u9fff]{{2,6}}|{_RUN})"
        ),
        datacenter_words=re.compile(dc_nouns),
        named_words=tuple(fold(w) for w in t["datacenter"]["named"] if any(is_han(c) for c in w)),
        stop=frozenset(org["en_stop"]),
        abbreviations=frozenset(org["en_abbreviations"]),
        cn_descriptors=tuple(sorted(fold_words, key=len, reverse=True)),
        cn_titles=tuple(sorted((fold(w) for w in person["cn_title"]), key=len, reverse=True)),
        cn_left=tuple(sorted((fold(w) for w in org["cn_left_boundary"]), key=len, reverse=True)),
        cn_after_name=tuple(fold(w) for w in person["cn_after_name"]),
        cn_not_in_name=frozenset(fold(org["cn_not_in_name"])),
        cn_not_in_person=frozenset(fold(person["cn_not_in_person"])),
        cn_weak_not_in_name=frozenset(fold(org["cn_weak_not_in_name"])),
        cn_not_person=tuple(fold(w) for w in person["cn_not_person"]),
        cn_not_name=tuple(fold(w) for w in org["cn_not_name"]),
        cn_group_business=tuple(fold(w) for w in org["cn_group_business"]),
        cn_group_same=tuple(fold(w) for w in org["cn_group_same"]),
        cn_enum_close=re.compile(_regexes(org["cn_enumeration_close"])),
        cn_invest_object=re.compile(
            rf"(?:{_words(fold(w) for w in org['cn_invest_before'])})([\u4e00-\u9fff]{{2,6}}?)"
            r"(?=约?\s?[\d一二三四五六七八九十两〇][\d.,一二三四五六七八九十两〇百千]*\s?[亿万]?"
            r"(?:美元|元|欧元|日元|美金|台币|人民币))"
        ),
        cn_joint_verbs=tuple(fold(w) for w in org["cn_joint_verbs"]),
        cn_country_firm=tuple(fold(w) for w in org["cn_country_firm"]),
        cn_country_firm_not_before=tuple(fold(w) for w in org["cn_country_firm_not_before"]),
        cn_business_named=re.compile(
            rf"(?:{_words(fold(w) for w in org['cn_business_descriptor'])})"
            rf"([\u4e00-\u9fff]{{1,5}}?(?:{_words(fold(w) for w in org['cn_business_end'])}))"
        ),
        confidence={k: float(v) for k, v in t["confidence"].items()},
        window={k: int(v) for k, v in t["window"].items()},
    )


def _slug(labels: dict[str, str]) -> str:
    """The slug of the English label, else a checksum of the first label."""
    english = labels.get("en", "")
    ascii_name = unicodedata.normalize("NFKD", english).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) >= 2:
        return slug
    first = next(iter(labels.values()))
    return f"new-{zlib.crc32(first.encode('utf-8')):08x}"


_HAN_SEPARATORS = "、"
#: words a name does not end with
_TRAILING_STOP = frozenset(
    {"The", "A", "An", "And", "Or", "Of", "In", "On", "At", "By", "For", "To"}
)
_JOINERS = ("以及", "和", "与", "及")


@dataclass(slots=True)
class _Finder:
    """One article's search: the text, what the lexicon found, and the proposals so far."""

    view: str
    folded: str
    lexicon: Lexicon
    language: str
    known: list[Mention]
    shapes: _Shapes = field(default_factory=_shapes)
    cased: str = ""
    found: dict[str, Proposal] = field(default_factory=dict)
    covered: bytearray = field(default_factory=bytearray)
    replaced: set[tuple[int, int]] = field(default_factory=set)
    aliases: list[Mention] = field(default_factory=list)
    known_at: dict[int, Mention] = field(default_factory=dict)
    known_end: dict[int, Mention] = field(default_factory=dict)
    known_sorted: list[Mention] = field(default_factory=list)
    known_starts: list[int] = field(default_factory=list)
    longest_known: int = 0
    by_label: dict[tuple[str, str], Proposal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cased = fold_han(self.view)
        self.covered = bytearray(len(self.view) + 1)
        for m in self.known:
            self.cover(m.start, m.end)
        self.known_at = {m.start: m for m in self.known}
        self.known_end = {m.end: m for m in self.known}
        self.known_sorted = sorted(self.known, key=lambda m: m.start)
        self.known_starts = [m.start for m in self.known_sorted]
        self.longest_known = max((m.end - m.start for m in self.known), default=0)

    # -- bookkeeping ----------------------------------------------------------------------------
    def win(self, name: str) -> int:
        """A named window of ``names.yaml``."""
        return self.shapes.window[name]

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.covered[start:end])

    def cover(self, start: int, end: int, value: int = 1) -> None:
        self.covered[start:end] = bytes([value]) * (end - start)

    def extend_known(self, start: int, known_end: int, end: int, method: str) -> None:
        """A firm named by a known mention ``[start, known_end)`` and the words after it up to
        ``end`` (三星重工): proposed in place of the mention, which stays covered if the longer
        name is not proposed."""
        self.cover(start, known_end, 0)
        if self.propose("firm", start, end, method) is None:
            self.cover(start, known_end)
        else:
            self.replaced.add((start, known_end))

    def _clean_latin(self, name: str) -> str:
        stop = self.shapes.stop
        words = name.replace("\t", " ").split()
        while words and (words[0] in stop or words[0].rstrip(".,") in stop):
            words = words[1:]
        while words and words[-1] in _TRAILING_STOP:
            words = words[:-1]
        return " ".join(words).strip(" ,.'\"")

    def propose(
        self,
        kind: str,
        start: int,
        end: int,
        method: str,
        *,
        labels: dict[str, str] | None = None,
        extra: list[tuple[int, int]] | None = None,
        override: bool = False,
    ) -> Proposal | None:
        """A proposal for the name at ``[start, end)`` (or ``labels``), unless it is known.
        With ``override``, a name that contains known mentions of things that are not agents
        (an architecture, a country word) replaces them ("Ampere Computing", T-Mobile美國公司)."""
        surface = self.view[start:end].strip()
        if len(surface) < 2:
            return None
        if override:
            self._override(start, end)
        if self.overlaps(start, end):
            return None
        if surface in self.shapes.stop or surface in self.shapes.abbreviations:
            return None
        names = dict(labels) if labels else {self._lang(surface): surface}
        if any(self._whole(text) for text in names.values()):
            return None
        ref = f"{kind}/{_slug(names)}"
        proposal = self.found.get(ref)
        if proposal is None:
            proposal = next(
                (self.by_label[(kind, t)] for t in names.values() if (kind, t) in self.by_label),
                None,
            )
        if proposal is None:
            proposal = Proposal(
                ref=ref,
                kind=kind,
                label=names.get("en") or next(iter(names.values())),
                method=method,
                confidence=self.shapes.confidence[method],
                labels=names,
            )
            self.found[ref] = proposal
        else:
            for lang, text in names.items():
                proposal.labels.setdefault(lang, text)
        for text in proposal.labels.values():
            self.by_label.setdefault((kind, text), proposal)
        for span in [(start, end), *(extra or [])]:
            if override:
                self._override(*span)
            if span not in proposal.spans and not self.overlaps(*span):
                proposal.spans.append(span)
                self.cover(*span)
        return proposal

    def _near(self, start: int, end: int) -> list[Mention]:
        """The known mentions that overlap ``[start, end)``."""
        i = bisect_left(self.known_starts, start - self.longest_known)
        out = []
        while i < len(self.known_sorted) and self.known_sorted[i].start < end:
            m = self.known_sorted[i]
            if m.end > start:
                out.append(m)
            i += 1
        return out

    def _override(self, start: int, end: int) -> None:
        near = self._near(start, end)
        inside = [
            m for m in near if start <= m.start and m.end <= end and m.end - m.start < end - start
        ]
        if not inside or any(m.entity.kind in ("firm", "person") for m in inside):
            return
        if any(m.start < start < m.end or m.start < end < m.end for m in near):
            return
        for m in inside:
            self.cover(m.start, m.end, 0)
            self.replaced.add((m.start, m.end))

    def _whole(self, text: str) -> Mention | None:
        """The known individual ``text`` names as a whole, if any."""
        found = self.lexicon.find(text)
        if found and found[0].start == 0 and found[0].end >= len(text.strip()):
            return found[0]
        return None

    def _lang(self, text: str) -> str:
        if not any(is_han(ch) for ch in text):
            return "en"
        return "zh-Hans" if self.language == "zh-Hans" else "zh-Hant"

    # -- Chinese names --------------------------------------------------------------------------
    def cn_name_before(self, end: int, *, longest: int) -> tuple[int, str] | None:
        """The Chinese name that ends at ``end``: the run of Han characters before it, cut
        after the last descriptor, title, known name or boundary word."""
        start = end
        while start > 0 and is_han(self.view[start - 1]) and (end - start) < self.win("han_run"):
            k = self.known_end.get(start)
            if k is not None and start < end and k.entity.kind not in ("country", "region"):
                break
            start -= 1
        run = self.folded[start:end]
        cut = 0
        for words in (self.shapes.cn_descriptors, self.shapes.cn_titles, self.shapes.named_words):
            for word in words:
                at = run.rfind(word)
                if at >= 0 and at + len(word) > cut and end - (start + at + len(word)) >= 2:
                    cut = at + len(word)
        changed = True
        while changed:
            changed = False
            for word in self.shapes.cn_left:
                if run.startswith(word, cut) and end - (start + cut + len(word)) >= 2:
                    cut += len(word)
                    changed = True
                    break
        name = self.view[start + cut : end]
        if len(name) < 2 or len(name) > longest:
            return None
        return start + cut, name

    def cn_plausible(self, name: str, *, weak: bool = False) -> bool:
        """A Chinese run that can be a firm's name (``weak``: found by a weak shape only)."""
        low = fold(name)
        if any(ch in self.shapes.cn_not_in_name for ch in low):
            return False
        if weak and any(ch in self.shapes.cn_weak_not_in_name for ch in low):
            return False
        return not any(low.startswith(w) for w in self.shapes.cn_not_name)

    def title_before(self, start: int) -> bool:
        head = self.folded[max(0, start - self.win("title_before")) : start]
        return any(head.endswith(t) for t in self.shapes.cn_titles)

    # -- the shapes -----------------------------------------------------------------------------
    def run(self) -> Names:
        s = self.shapes
        self.group_affiliates()
        self.country_firms()
        self.business_named()
        for m in s.cn_bracketed.finditer(self.view):
            self.bracketed(m)
        for m in s.datacenter_quoted.finditer(self.folded):
            self.propose("datacenter", m.start(1), m.end(1), "datacenter-named")
        for m in s.datacenter_named.finditer(self.cased):
            around = self.win("datacenter_around")
            sentence = self.folded[max(0, m.start() - around) : m.end() + around]
            if s.datacenter_words.search(sentence):
                self.propose("datacenter", m.start(1), m.end(1), "datacenter-named")
        for m in s.chip_code.finditer(self.view):
            self.propose("chip", m.start(1), m.end(1), "chip-code")
        self.cn_titles()
        for m in s.cn_ticker.finditer(self.view):
            self.cn_listed(m.start())
        self.latin_shapes()
        self.cn_deal_names()
        self.enumerations()
        self.surnames()
        return Names(proposals=self.finish(), replaced=self.replaced, aliases=self.aliases)

    def surnames(self) -> None:
        """A person named in full is then named by surname ("Altman, OpenAI's CEO")."""
        people: list[tuple[int, str, Mention | Proposal]] = []
        for m in self.known:
            if m.entity.kind == "person" and self.view[m.start : m.end].isascii():
                people.append((m.end, self.view[m.start : m.end], m))
        for p in self.found.values():
            if p.kind == "person" and "en" in p.labels:
                people.append((min(e for _, e in p.spans), p.labels["en"], p))
        by_surname: dict[str, tuple[int, Mention | Proposal]] = {}
        for after, name, who in people:
            words = name.split()
            if len(words) < 2 or not words[-1][:1].isupper() or len(words[-1]) < 3:
                continue
            if words[-1] not in by_surname or after < by_surname[words[-1]][0]:
                by_surname[words[-1]] = (after, who)
        if not by_surname:
            return
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, by_surname)) + r")\b")
        for hit in pattern.finditer(self.view):
            after, who = by_surname[hit.group(0)]
            start, end = hit.start(), hit.end()
            if start < after or self.overlaps(start, end):
                continue
            if isinstance(who, Mention):
                self.aliases.append(
                    Mention(entity=who.entity, start=start, end=end, method="surname")
                )
            else:
                who.spans.append((start, end))
            self.cover(start, end)

    def country_firms(self) -> None:
        """中國移動 / 台灣銀行: a country's Chinese name before a business word of state firms
        is a firm's name (not a mention of the country)."""
        for m in self.known:
            if m.entity.kind != "country" or not all(
                is_han(ch) for ch in self.view[m.start : m.end]
            ):
                continue
            tail = self.folded[m.end : m.end + 6]
            word = next((w for w in self.shapes.cn_country_firm if tail.startswith(w)), None)
            if word is None:
                continue
            end = m.end + len(word)
            if self.folded.startswith(self.shapes.cn_country_firm_not_before, end):
                continue
            self.extend_known(m.start, m.end, end, "org-country-firm")

    def business_named(self) -> None:
        """地熱開發商森崴能源: a Chinese name after a role descriptor, ending with a business
        word."""
        for m in self.shapes.cn_business_named.finditer(self.folded):
            name = self.view[m.start(1) : m.end(1)]
            if self.cn_plausible(name, weak=True):
                self.propose("firm", m.start(1), m.end(1), "org-descriptor")

    def group_affiliates(self) -> None:
        """三星重工 / 三星SDS: a known firm's Chinese name before a business word is another
        firm of its group."""
        for m in self.known:
            if m.entity.kind != "firm" or not any(is_han(ch) for ch in self.view[m.start : m.end]):
                continue
            tail = self.folded[m.end : m.end + self.win("group_business")]
            for word in self.shapes.cn_group_business:
                if not tail.startswith(word):
                    continue
                end = m.end + len(word)
                if word.isascii() and self.view[end : end + 1].isalnum():
                    continue
                self.extend_known(m.start, m.end, end, "org-group-affiliate")
                break

    def bracketed(self, m: re.Match[str]) -> None:
        """A Chinese name with its Latin form in brackets: one individual, both labels; when
        the Latin form is known, the Chinese name is another name of that individual."""
        latin = m.group(1).strip().strip('"').replace('" ', "' ")
        if latin in self.shapes.abbreviations or (latin.isupper() and len(latin) <= 3):
            return
        known = self._whole(latin)
        head_start = self._han_start(m.start())
        titled = self.title_before(head_start)
        org_like = bool(self.shapes.en_suffix.search(latin)) or len(latin.split()) == 1
        kind = "person" if titled or not org_like else "firm"
        if known is not None:
            kind = "person" if known.entity.kind == "person" else "firm"
        if kind == "person" and not re.fullmatch(r"[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){1,3}", latin):
            return
        end = m.start()
        while end > 0 and self.view[end - 1] == " ":
            end -= 1
        found = self.cn_name_before(end, longest=self.win("han_run"))
        if found is None:
            return
        start, name = found
        longest = self.win("person_name_titled" if titled else "person_name")
        if kind == "person" and len(name) > longest:
            start, name = start + len(name) - 3, name[-3:]
        if kind == "firm" and len(name) > self.win("firm_name"):
            return
        head = self.folded[max(0, start - self.win("named_before")) : start]
        named = any(head.endswith(w) for w in self.shapes.named_words)
        context = self.folded[start : start + self.win("datacenter_context")]
        if named and self.shapes.datacenter_words.search(context):
            kind = "datacenter"
        if kind == "firm" and not self.cn_plausible(name):
            return
        if kind == "firm":
            self._override(start, start + len(name))
        if known is not None:
            self.alias(known, name)
            return
        latin_start = m.start(1) + m.group(1).index(m.group(1).strip().strip('"')[:1])
        method = {"person": "person-bilingual", "datacenter": "datacenter-named"}.get(
            kind, "org-bilingual"
        )
        self.propose(
            kind,
            start,
            start + len(name),
            method,
            labels={"en": latin, self._lang(name): name},
            extra=[(latin_start, latin_start + len(latin))],
        )

    def alias(self, known: Mention, name: str) -> None:
        """Every occurrence of ``name`` is a mention of the known individual."""
        key = fold(name)
        for hit in re.finditer(re.escape(key), self.folded):
            if not self.overlaps(hit.start(), hit.end()):
                self.aliases.append(
                    Mention(entity=known.entity, start=hit.start(), end=hit.end(), method="alias")
                )
                self.cover(hit.start(), hit.end())

    def _han_start(self, end: int) -> int:
        found = self.cn_name_before(end, longest=self.win("han_run"))
        return found[0] if found else end

    def cn_titles(self) -> None:
        """執行長黃仁勳 / 副總裁 Dave Brown: a name right after a title."""
        s = self.shapes
        for m in s.cn_title.finditer(self.folded):
            if any(self.folded.startswith(w, m.start()) for w in s.cn_not_title):
                continue
            at = m.end()
            while at < len(self.view) and self.view[at] == " ":
                at += 1
            latin = re.match(r"[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){1,2}", self.view[at:])
            if latin:
                self.propose("person", at, at + latin.end(), "person-title")
                continue
            for length in range(2, self.win("person_name") + 1):
                end = at + length
                name = self.view[at:end]
                if len(name) < length or not all(is_han(ch) for ch in name):
                    break
                low = fold(name)
                if (
                    any(w in low for w in s.cn_after_name if is_han(w[0]))
                    or any(ch in s.cn_not_in_person for ch in low)
                    or low.startswith(s.cn_not_person)
                ):
                    break
                follow = self.folded[end : end + 2]
                if (
                    end >= len(self.view)
                    or any(follow.startswith(w) for w in s.cn_after_name)
                    or (follow[:1].isdigit() or follow[:1] in "一二三四五六七八九十")
                ):
                    if end in self.known_at or not self.overlaps(at, end):
                        self.propose("person", at, end, "person-title")
                    break

    def cn_deal_names(self) -> None:
        """投資北辰光電五億美元 (the investee before a sum); 晨星科技與輝達宣布合作 (a name
        opening a clause, joined to a known firm before a verb of a deal)."""
        for m in self.shapes.cn_invest_object.finditer(self.folded):
            name = self.view[m.start(1) : m.end(1)]
            if self.cn_plausible(name, weak=True):
                self.propose("firm", m.start(1), m.end(1), "org-deal-context")
        for k in self.known:
            if k.entity.kind != "firm" or k.start < 3:
                continue
            joiner = self.folded[k.start - 1]
            if joiner not in "与和及":
                continue
            tail = self.folded[k.end : k.end + self.win("joint_verb")]
            if not any(w in tail for w in self.shapes.cn_joint_verbs):
                continue
            found = self.cn_name_before(k.start - 1, longest=self.win("enumeration_item"))
            if found is None:
                continue
            start, name = found
            opening = start == 0 or not is_han(self.view[start - 1])
            if opening and self.cn_plausible(name, weak=True):
                self.propose("firm", start, start + len(name), "org-deal-context")

    def cn_listed(self, paren: int) -> None:
        """鴻海（2317）/ 甲骨文 (ORCL-US): a name right before a stock code."""
        end = paren - 1 if self.view[paren - 1 : paren] == " " else paren
        found = self.cn_name_before(end, longest=self.win("listed_name"))
        if found is None:
            return
        start, name = found
        if self.cn_plausible(name):
            self.propose("firm", start, start + len(name), "org-listed")

    def latin_shapes(self) -> None:
        s = self.shapes
        view, cased = self.view, self.cased
        for m in s.en_person_title.finditer(view):
            self.propose("person", m.start(1), m.end(1), "person-title")
        for m in s.en_person_apposition.finditer(view):
            self.propose("person", m.start(1), m.end(1), "person-title")
        for m in s.en_person_said.finditer(view):
            self.propose("person", m.start(1), m.end(1), "person-said")
        for m in s.en_suffix.finditer(view):
            if m.group(1):
                self._latin(m.start(), m.group(0), "org-legal-suffix", suffixed=True)
            elif m.group(2):
                self._latin(m.start(2), m.group(2), "org-legal-suffix", suffixed=True)
        for m in s.en_listed.finditer(view):
            group = 1 if m.group(1) else 2
            self._latin(m.start(group), m.group(group), "org-listed")
        for m in s.en_descriptor.finditer(view):
            self._latin(m.start(1), m.group(1), "org-descriptor")
        for m in s.cn_descriptor_latin.finditer(cased):
            self._latin(m.start(1), m.group(1), "org-descriptor")
        for m in s.cn_latin_suffix.finditer(cased):
            self._latin_suffix(m)
        for m in s.cn_deal_latin.finditer(cased):
            group = 1 if m.group(1) else 2
            if group == 2 and m.start(2) > 0 and not is_han(cased[m.start(2) - 1]):
                continue  # a Latin name before a deal word stands after Chinese text
            self._latin(m.start(group), m.group(group), "org-deal-context")
        for m in s.en_deal_before.finditer(view):
            self._latin(m.start(1), m.group(1), "org-deal-context")
        for m in s.en_deal_after.finditer(view):
            self._latin(m.start(1), m.group(1), "org-deal-context")

    def _latin_suffix(self, m: re.Match[str]) -> None:
        """SK集團 / T-Mobile美國公司: a Latin name before a Chinese corporate word."""
        if (
            m.start() > 0
            and self.view[m.start() - 1].isascii()
            and self.view[m.start() - 1].isalnum()
        ):
            return
        name = self._clean_latin(m.group(1))
        if not name or not self.view.startswith(name, m.start()):
            return
        if name in self.shapes.abbreviations:
            return
        if self._whole(name) and not self.shapes.cn_suffix_english.get(m.group(3)):
            return  # a known firm before 公司
        english = " ".join(
            w
            for w in (
                name,
                self.shapes.country_short.get(m.group(2) or "", ""),
                self.shapes.cn_suffix_english.get(m.group(3), ""),
            )
            if w
        )
        full = self.view[m.start() : m.end()]
        self.propose(
            "firm",
            m.start(),
            m.end(),
            "org-descriptor",
            labels={"en": english, self._lang(full): full},
            override=True,
        )

    def _latin(self, start: int, text: str, method: str, *, suffixed: bool = False) -> None:
        name = self._clean_latin(text)
        if not name:
            return
        if suffixed and not self._named_before_suffix(name):
            return
        if method == "org-deal-context" and name.isupper() and len(name) <= 4:
            return
        at = self.view.find(name, start)
        if at < 0:
            return
        following = self.folded[at + len(name) : at + len(name) + 3]
        if re.match(r"\s?(?:平台|系统|模型|芯片|晶片|架构|服务|platform|model)", following):
            return
        self.propose("firm", at, at + len(name), method, override=True)

    def _named_before_suffix(self, name: str) -> bool:
        """A suffixed name has a word of its own before the suffix ("Acme Data Centers", not
        "AI Infrastructure")."""
        m = self.shapes.en_suffix.search(name)
        head = name[: m.start()] if m and m.start() > 0 else name.rsplit(" ", 1)[0]
        words = [w for w in head.split() if w not in self.shapes.stop]
        return bool(words) and head != name

    # -- enumerations ---------------------------------------------------------------------------
    def enumerations(self) -> None:
        """An unknown member of a list of firms is a firm: "IREN, CoreWeave and Nebius" (three
        or more, one known) or 台積電、鴻海、南亞科等 / A、B和C三家公司 (one known, closed by
        等 or a count of firms, or three or more)."""
        self._cn_lists()
        self._en_lists()

    def _firm_at(self, start: int, end: int) -> bool | None:
        """True: a known (or proposed) firm is exactly here; None: another known thing."""
        k = self.known_at.get(start)
        if k is not None and k.end == end and (k.start, k.end) not in self.replaced:
            return True if k.entity.kind == "firm" else None
        return any(p.kind == "firm" and (start, end) in p.spans for p in self.found.values())

    def _cn_lists(self) -> None:
        view, folded = self.view, self.folded
        i = 0
        while True:
            i = folded.find("、", i)
            if i < 0:
                return
            items, stop, closed = self._cn_chain(i)
            i = stop + 1
            if len(items) < 2:
                continue
            states = [self._firm_at(s, e) for s, e in items]
            if None in states or not any(states):
                continue
            if len(items) < 3 and not closed:
                continue
            for (s, e), state in zip(items, states, strict=True):
                if (
                    not state
                    and self.cn_plausible(view[s:e], weak=True)
                    and all(is_han(c) or c.isalnum() for c in view[s:e])
                ):
                    self.propose("firm", s, e, "org-enumeration")

    def _cn_chain(self, first_sep: int) -> tuple[list[tuple[int, int]], int, bool]:
        """The items of the 、-list around the separator at ``first_sep``."""
        view, folded = self.view, self.folded
        before = self._cn_item_before(first_sep)
        if before is None:
            return [], first_sep, False
        items = [before]
        at = first_sep + 1
        closed = False
        while True:
            item = self._cn_item_after(at)
            if item is None:
                return items, at, closed
            items.append(item)
            at = item[1]
            if folded.startswith("、", at):
                at += 1
                continue
            joiner = next((j for j in _JOINERS if folded.startswith(j, at)), None)
            if joiner is not None:
                last = self._cn_item_after(at + len(joiner))
                if last is not None:
                    items.append(last)
                    at = last[1]
            close = self.shapes.cn_enum_close.match(folded, at)
            closed = close is not None or at >= len(view) or not is_han(view[at])
            return items, at, closed

    def _cn_item_before(self, end: int) -> tuple[int, int] | None:
        k = self.known_end.get(end)
        if k is not None:
            return k.start, k.end
        found = self.cn_name_before(end, longest=self.win("enumeration_item"))
        if found is None:
            if end > 0 and self.view[end - 1].isascii():
                m = re.search(rf"({_RUN})\s*$", self.view[max(0, end - 40) : end])
                if m:
                    return end - len(m.group(1)), end
            return None
        return found[0], end

    def _cn_item_after(self, at: int) -> tuple[int, int] | None:
        view, folded = self.view, self.folded
        k = self.known_at.get(at)
        if k is not None:
            return k.start, k.end
        if at < len(view) and view[at].isupper():
            m = self.shapes.en_run.match(view, at)
            return (at, m.end()) if m else None
        end = at
        longest = self.win("enumeration_item")
        while end < len(view) and is_han(view[end]) and end - at <= longest:
            if end > at and (
                folded.startswith("、", end)
                or end in self.known_at
                or self.shapes.cn_enum_close.match(folded, end)
                or any(folded.startswith(j, end) for j in _JOINERS)
            ):
                break
            end += 1
        if not 2 <= end - at <= longest:
            return None
        if (
            end < len(view)
            and is_han(view[end])
            and not (
                folded.startswith("、", end)
                or end in self.known_at
                or self.shapes.cn_enum_close.match(folded, end)
                or any(folded.startswith(j, end) for j in _JOINERS)
            )
        ):
            return None
        return at, end

    def _en_lists(self) -> None:
        view = self.view
        sep = re.compile(r",\s+(?:and\s+)?|\s+and\s+")
        for m in re.finditer(rf"(?:{_RUN})(?:(?:,\s+(?:and\s+)?|\s+and\s+)(?:{_RUN})){{2,}}", view):
            items: list[tuple[int, int]] = []
            pos = m.start()
            for part in sep.split(m.group(0)):
                at = view.find(part, pos)
                name = self._clean_latin(part)
                start = view.find(name, at) if name else -1
                if start >= 0:
                    items.append((start, start + len(name)))
                pos = at + len(part)
            states = [self._firm_at(s, e) for s, e in items]
            if len(items) < 3 or None in states or not any(states):
                continue
            for (s, e), state in zip(items, states, strict=True):
                if not state and not self.overlaps(s, e):
                    self.propose("firm", s, e, "org-enumeration")

    # -- the result -----------------------------------------------------------------------------
    def finish(self) -> list[Proposal]:
        """Every further occurrence of a proposal's labels, outside known names (a known
        thing that is no agent, inside a longer proposed name, gives way to it)."""
        known = bytearray(len(self.view) + 1)
        weak = bytearray(len(self.view) + 1)
        for m in [*self.known, *self.aliases]:
            if (m.start, m.end) not in self.replaced:
                mask = known if m.entity.kind in ("firm", "person", "agency") else weak
                mask[m.start : m.end] = b"\x01" * (m.end - m.start)
        for proposal in self.found.values():
            for text in set(proposal.labels.values()):
                key = fold(text)
                for hit in re.finditer(re.escape(key), self.folded):
                    span = (hit.start(), hit.end())
                    if span in proposal.spans or any(known[span[0] : span[1]]):
                        continue
                    if key.isascii() and _inside_word(self.folded, *span):
                        continue
                    if any(weak[span[0] : span[1]]):
                        near = self._near(*span)
                        inside = [
                            m
                            for m in near
                            if span[0] <= m.start < m.end <= span[1] and m.end - m.start < len(key)
                        ]
                        if not inside or any(
                            m.start < span[0] < m.end or m.start < span[1] < m.end for m in near
                        ):
                            continue
                        self.replaced.update((m.start, m.end) for m in inside)
                    proposal.spans.append(span)
            proposal.spans.sort()
        return list(self.found.values())


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before.isalnum() and before.isascii()) or (after.isalnum() and after.isascii())


def find_names(
    view: str, *, folded: str, lexicon: Lexicon, known: list[Mention], language: str
) -> Names:
    """The names of ``view`` the lexicon does not know (see the module docstring)."""
    return _Finder(view=view, folded=folded, lexicon=lexicon, language=language, known=known).run()
