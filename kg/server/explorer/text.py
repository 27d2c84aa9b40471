"""An article's text, read at request time from the corpus folder, with its spans highlighted.

The text is never stored: it is read from ``<corpus>/<aikg:sourceFile>`` when a page asks for
it, and used only if its SHA-256 and length match what the article's graph records.

>>> from rdflib import URIRef
>>> deal = URIRef("https://w3id.org/aikg/id/deal/d")
>>> firm = URIRef("https://w3id.org/aikg/id/firm/f")
>>> spans = [Span(0, 9, deal, True, "/deal/d", "deal d"), Span(0, 3, firm, False, "/firm/f", "F")]
>>> str(highlight("a<b & cdef", spans))  # doctest: +NORMALIZE_WHITESPACE
'<span class="anchor" id="c0"></span><a class="hl mention kind-firm fact-in kind-deal-in"
 href="/firm/f" title="F · deal d">a&lt;b</a><a class="hl fact kind-deal" href="/deal/d"
 title="deal d"> &amp; cde</a>f'
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from rdflib import URIRef

from kg.core.iris import BASE

__all__ = ["Span", "highlight", "kind_of", "read_article_text"]

#: encodings the corpus may use (docs/records.md); the one that gives the recorded length wins
_ENCODINGS = ("utf-8", "big5", "gb18030", "utf-16")


def read_article_text(
    corpus_dir: Path | None, file_name: str | None, *, sha256: str | None, length: int | None
) -> str | None:
    """The article's text, or None when it is not at hand or is not the text the graph records."""
    if corpus_dir is None or not file_name or "/" in file_name or "\\" in file_name:
        return None
    if file_name.startswith("."):
        return None
    try:
        raw = (corpus_dir / file_name).read_bytes()
    except OSError:
        return None
    if sha256 is None or hashlib.sha256(raw).hexdigest() != sha256.lower():
        return None
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if length is None or len(text) == length:
            return text
    return None


def kind_of(iri: URIRef) -> str:
    """The kind segment of one of our individuals (``firm``, ``deal`` ...), else ``other``."""
    text = str(iri)
    if text.startswith(BASE):
        return text[len(BASE) :].split("/", 1)[0]
    return "other"


@dataclass(frozen=True)
class Span:
    """A highlighted span ``[start, end)``: a mention of ``body`` or a fact (``describing``)."""

    start: int
    end: int
    body: URIRef
    describing: bool
    href: str | None
    title: str


def _pick(covering: Sequence[Span]) -> Span:
    """The span a segment links to: the shortest, a mention before a fact."""
    return min(covering, key=lambda s: (s.end - s.start, s.describing, str(s.body)))


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` as HTML with each span wrapped in a link classed by its kind.

    Overlapping spans are cut at every boundary; each piece links to the innermost span over
    it, and its classes also name the facts it lies within (``fact-in kind-deal-in``). Every
    span start gets an empty anchor ``#c<start>`` for links from elsewhere.
    """
    size = len(text)
    usable = [s for s in spans if 0 <= s.start < s.end <= size]
    cuts = sorted({0, size, *(s.start for s in usable), *(s.end for s in usable)})
    starts = {s.start for s in usable}
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        if a in starts:
            out.append(f'<span class="anchor" id="c{a}"></span>')
        piece = str(escape(text[a:b]))
        covering = [s for s in usable if s.start <= a and b <= s.end]
        if not covering:
            out.append(piece)
            continue
        chosen = _pick(covering)
        classes = ["hl", "fact" if chosen.describing else "mention", f"kind-{kind_of(chosen.body)}"]
        for other in sorted(covering, key=lambda s: (s.start, -s.end, str(s.body))):
            if other is not chosen and other.describing:
                for name in ("fact-in", f"kind-{kind_of(other.body)}-in"):
                    if name not in classes:
                        classes.append(name)
        titles = [chosen.title] + [
            s.title for s in covering if s is not chosen and s.title != chosen.title
        ]
        attrs = f'class="{" ".join(classes)}"'
        if chosen.href:
            attrs += f' href="{escape(chosen.href)}"'
        attrs += f' title="{escape(" · ".join(dict.fromkeys(titles)))}"'
        out.append(f"<a {attrs}>{piece}</a>")
    return Markup("".join(out))
