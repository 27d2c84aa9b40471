"""Sentences and clauses: the units the deal and metric rules read.

>>> [s.text for s in split_sentences("A 投資 B。C invests in D. E")]
['A 投資 B。', 'C invests in D.', 'E']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_clauses", "split_sentences"]

_END = re.compile(r"[。！？!?；;]+[」』”\"')）]*|\.(?=\s+[A-Z\"“(]|\s*$)|\n+")
_CLAUSE = re.compile(r"[,，、:：]|\s[-–—]\s|——")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or clause): its text and where it starts in the text it came from."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_sentences(text: str, *, longest: int = 800) -> list[Sentence]:
    """Sentences, stripped, with their offsets; a line break always ends a sentence. A run
    longer than ``longest`` (text without punctuation) is cut at its last clause break or
    space before the limit, so that the work on one sentence is bounded.

    >>> [s.text for s in split_sentences("甲，乙，丙，丁", longest=4)]
    ['甲，乙，', '丙，丁']
    """
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
        _add_bounded(out, text, pos, m.end(), longest)
        pos = m.end()
    _add_bounded(out, text, pos, len(text), longest)
    return out


_BREAK = re.compile(r"[,，、;；:：]|\s")


def _add_bounded(out: list[Sentence], text: str, start: int, end: int, longest: int) -> None:
    while end - start > longest:
        cut = start + longest
        breaks = [m.end() for m in _BREAK.finditer(text, start + longest // 2, cut)]
        cut = breaks[-1] if breaks else cut
        _add(out, text, start, cut)
        start = cut
    _add(out, text, start, end)


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """The clauses of a sentence, split at commas, enumeration commas and colons."""
    out: list[Sentence] = []
    pos = 0
    for m in _CLAUSE.finditer(sentence.text):
        if m.group(0) == "," and _in_number(sentence.text, m.start()):
            continue
        _add(out, sentence.text, pos, m.end(), base=sentence.start)
        pos = m.end()
    _add(out, sentence.text, pos, len(sentence.text), base=sentence.start)
    return out


def _in_number(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _add(out: list[Sentence], text: str, start: int, end: int, *, base: int = 0) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    out.append(Sentence(text=stripped, start=base + start + lead))
