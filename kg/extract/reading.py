"""Reading an article file: bytes → text as stored, and a clean view of it for matching.

Offsets in records always count code points of the *decoded file as stored* (``ArticleText.text``).
For plain text the view is the text itself; for simple HTML the view drops tags, scripts and
styles and decodes entities, and ``ArticleText.to_source`` maps a span of the view back to the
stored text.

>>> article = decode_article(b"<p>NVIDIA &amp; OpenAI</p>", source="a.html")
>>> article.view
'NVIDIA & OpenAI\\n'
>>> article.to_source(9, 15)
(16, 22)
>>> article.text[16:22]
'OpenAI'
"""

from __future__ import annotations

import codecs
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import InputError

__all__ = ["ArticleText", "decode_article", "decode_bytes", "read_article"]

#: the encodings detection chooses between, in order of preference on a tie
_CANDIDATES = ("utf-8", "big5", "gb18030")

#: very frequent characters of Chinese news prose (both scripts), used to tell a right
#: decoding from a wrong one: a wrong one yields rare characters, hardly ever these.
_FREQUENT = frozenset(
    "的一是不了在人有我他這这個个們们中來来上大為为和國国地到以說说時时要就出會会可也對对"
    "生能而子那得於于著着下自之年過过發发後后作裡里用道行所然家種种事成方多經经麼么去法學学"
    "如都同現现當当沒没動动面起看定天分還还進进好小部其些主樣样理心本前開开但因只從从想實实"
    "日者意無无力與与長长把機机十民第公此已工使情明性知全三又關关點点正業业外將将兩两高間间"
    "由問问很最重並并物手應应向頭头文體体政美相見见被利什二等產产或新己制身果加西月話话合回"
    "特代內内信表化老給给世位次度門门任常先海通教原東东聲声提立及比員员解水名真論论處处走義"
    "义各入幾几口認认條条平系氣气題题活更別别打變变四神總总何電电數数安少報报才結结反受目太"
    "量再感建務务做接必場场件計计管期市直資资命金指許许統统區区保至形社便空決决展科司五基書"
    "书非則则界達达放強强即像難难且權权思王完設设色路記记南品告類类求據据程北邊边張张該该交"
    "規规萬万取拉格望術术領领共確确傳传觀观清今切讓让識识候帶带導导運运改收根造言聯联持組组"
    "每濟济車车親亲極极服快辦办議议往元英證证近失轉转準准布始存未遠远台單单影具字愛爱擊击流"
    "備备連连調调深商算質质團团集百需價价花華华城級级整府離离況况亞亚請请技際际約约示復复息"
    "究線线似官火斷断精滿满支視视消越器容照須须九增研寫写稱称企八功包片史委乎查輕轻易早曾除"
    "找裝装廣广顯显圖图念六引歷历首醫医局突專专費费號号盡尽另周較较注語语考落青隨随選选列紅"
    "红響响雖虽推勢势參参希古眾众構构房半節节土投某案維维劃划致律足態态七派驗验責责營营星夠"
    "够章音跟底站嚴严例防族供效續续施留講讲型料終终答緊紧黃黄絕绝奇察段依批群項项故按河圍围"
    "江織织害雙双境客紀纪採采舉举父密低朝友止細细願愿千值仍錢钱破網网熱热助育屬属坐限速刻否"
    "剛刚率甚獨独球般普創创假久錯错承印試试股拿預预益若微繼继送急源食險险待述陸陆置居勞劳財"
    "财環环排福納纳雲云停模充負负層层冷洲略策演簡简卡判擔担州既宗積积痛檢检差富協协角占配征"
    "修揮挥勝胜降階阶審审善超免壓压銀银買买億亿養养執执副亂乱抗追幫帮宣歲岁航優优著田鐵铁控"
    "稅税左右份背草塊块守島岛央戶户烈洋款靠評评版座釋释景顧顾登貨货互付慢換换聞闻危核暗介壞"
    "坏麗丽良序升監监臨临亮露永呼味域掉括雜杂誤误益投資资融晶片輝辉達达美元億亿萬万兆"
)


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article as read from its file.

    ``text`` is the decoded file exactly as stored (offsets count its code points); ``view`` is
    what the rules read (equal to ``text`` for plain text); ``origin[i]`` is the offset in
    ``text`` of ``view[i]`` (empty when the view is the text).
    """

    source: str
    sha256: str
    encoding: str
    text: str
    view: str
    is_html: bool = False
    origin: tuple[int, ...] = field(default=(), repr=False)

    @property
    def length(self) -> int:
        """Length of the stored text in code points."""
        return len(self.text)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A ``[start, end)`` span of the view → the same span in the stored text."""
        if not self.origin:
            return (start, end)
        if end <= start:
            raise ValueError(f"empty span [{start}, {end})")
        return (self.origin[start], self.origin[end - 1] + 1)


def _frequent_share(text: str) -> float:
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    odd = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if not han:
        return 0.0 if odd else 0.5
    return (sum(1 for ch in han if ch in _FREQUENT) - 4 * odd) / len(han)


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    controls = sum(1 for b in data[:8192] if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(data[:8192]) // 100)


def decode_bytes(data: bytes, *, encoding: str | None = None, source: str = "<bytes>") -> str:
    """Decode an article's bytes, with the given encoding or the detected one.

    Detection: a BOM wins; else strict UTF-8; else whichever of Big5 and GB18030 decodes
    without error and gives the larger share of frequent Chinese characters.

    >>> decode_bytes("輝達投資".encode("big5"))
    '輝達投資'
    >>> decode_bytes("辉达投资".encode("gb18030"))
    '辉达投资'
    """
    return _decode(data, encoding=encoding, source=source)[0]


def _decode(data: bytes, *, encoding: str | None, source: str) -> tuple[str, str]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", file=source) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"not valid {encoding} at byte {exc.start}: {exc.reason}", file=source, line=line
            ) from None
        if "\x00" in text:
            raise InputError("binary data (NUL characters), not an article text", file=source)
        return text, codecs.lookup(encoding).name
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    if _looks_binary(data):
        raise InputError("binary data, not an article text", file=source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    scored: list[tuple[float, int, str, str]] = []
    for rank, name in enumerate(_CANDIDATES[1:]):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((_frequent_share(text), -rank, name, text))
    if not scored:
        raise InputError(
            "cannot decode the text as UTF-8, Big5 or GB18030 (give --encoding)", file=source
        )
    share, _, name, text = max(scored)
    if share < 0.05:
        raise InputError(
            "unreadable text: no encoding among UTF-8, Big5 and GB18030 gives Chinese prose "
            "(give --encoding)",
            file=source,
        )
    return text, name


_HTML_SNIFF = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<p[\s>]|<div|<article)", re.I)
_TAG = re.compile(
    r"<!--.*?-->|<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!?/?[a-zA-Z][^>]*>", re.I | re.S
)
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|h[1-6]|li|ul|ol|tr|table|article|section|header|footer|title|"
    r"blockquote|pre)\b",
    re.I,
)


def _html_view(text: str) -> tuple[str, tuple[int, ...]]:
    out: list[str] = []
    origin: list[int] = []

    def emit_plain(start: int, end: int) -> None:
        pos = start
        for m in _ENTITY.finditer(text, start, end):
            for i in range(pos, m.start()):
                out.append(text[i])
                origin.append(i)
            decoded = html.unescape(m.group(0))
            for ch in decoded:
                out.append(ch)
                origin.append(m.start())
            pos = m.end()
        for i in range(pos, end):
            out.append(text[i])
            origin.append(i)

    pos = 0
    for m in _TAG.finditer(text):
        emit_plain(pos, m.start())
        if _BLOCK.match(m.group(0)) and out and out[-1] != "\n":
            out.append("\n")
            origin.append(m.start())
        pos = m.end()
    emit_plain(pos, len(text))
    return "".join(out), tuple(origin)


def decode_article(
    data: bytes, *, source: str, encoding: str | None = None, html_mode: bool | None = None
) -> ArticleText:
    """Bytes → ``ArticleText``; ``html_mode`` None sniffs the text (or the ``.htm[l]`` name)."""
    text, name = _decode(data, encoding=encoding, source=source)
    if html_mode is None:
        html_mode = source.lower().endswith((".html", ".htm")) or bool(_HTML_SNIFF.match(text))
    sha = hashlib.sha256(data).hexdigest()
    if not html_mode:
        return ArticleText(source=source, sha256=sha, encoding=name, text=text, view=text)
    view, origin = _html_view(text)
    return ArticleText(
        source=source,
        sha256=sha,
        encoding=name,
        text=text,
        view=view,
        is_html=True,
        origin=origin,
    )


def read_article(path: Path, *, encoding: str | None = None) -> ArticleText:
    """Read and decode an article file; an unreadable or binary file is an ``InputError``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if not data.strip():
        raise InputError("empty file, not an article text", file=path)
    return decode_article(data, source=str(path), encoding=encoding)
