"""Finding where many cues match in a long text, fast: each cue's literal openings ("投資",
"invest") are looked up in one Aho-Corasick pass, and the cue's regular expression is tried
only where one of them occurs.

A cue that can open with something other than a literal (a character class, a wildcard) is
scanned with its regular expression as usual. The matches are the ones ``finditer`` gives:
leftmost, non-overlapping.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as parser
from collections.abc import Iterable, Mapping
from typing import Any

import ahocorasick

__all__ = ["CueScanner", "literal_openings"]

#: a cue with more openings than this (a character class spelled out) is scanned as usual
_MOST_OPENINGS = 400
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)


def _openings(items: list[Any]) -> set[str] | None:
    """The literal strings a match of this parsed sequence can begin with, or None if it can
    begin with something else."""
    out: set[str] = set()
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    rest = items[i + 1 :]
    if op is sre.LITERAL:
        text = chr(av)
        j = i + 1
        while j < len(items) and items[j][0] is sre.LITERAL:
            text += chr(items[j][1])
            j += 1
        return {text}
    if op is sre.BRANCH:
        for branch in av[1]:
            found = _openings(list(branch) + rest)
            if found is None:
                return None
            out |= found
        return out
    if op is sre.SUBPATTERN:
        return _openings(list(av[3]) + rest)
    if op is sre.IN:
        chars = []
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.append(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] < 64:
                chars += [chr(c) for c in range(value[0], value[1] + 1)]
            else:
                return None
        return set(chars)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, item = av
        found = _openings(list(item) + (rest if low == 0 else []))
        if found is None:
            return None
        if low == 0:
            after = _openings(rest)
            if after is None:
                return None
            found |= after
        return found
    return None


def literal_openings(pattern: str) -> set[str] | None:
    """The literal strings every match of ``pattern`` begins with (None: not all do).

    >>> sorted(literal_openings(r"(?<![a-z])(?:invest|stake)s?\\b|注资"))
    ['invest', 'stake', '注资']
    >>> literal_openings(r"\\d+亿") is None
    True
    """
    found = _openings(list(parser.parse(pattern)))
    if found is None or not found or len(found) > _MOST_OPENINGS or "" in found:
        return None
    return found


class CueScanner:
    """The matches of many named patterns in a text (``scan``), in one pass over the text."""

    def __init__(self, patterns: Mapping[str, re.Pattern[str]]) -> None:
        self.patterns = dict(patterns)
        self.plain: list[str] = []
        self._automaton = ahocorasick.Automaton()
        keyed: dict[str, list[str]] = {}
        for name, pattern in self.patterns.items():
            openings = literal_openings(pattern.pattern)
            if openings is None:
                self.plain.append(name)
                continue
            for text in openings:
                keyed.setdefault(text, []).append(name)
        for text, names in keyed.items():
            self._automaton.add_word(text, (len(text), tuple(names)))
        if keyed:
            self._automaton.make_automaton()
        self._size = len(keyed)

    def scan(self, text: str, names: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """For each name, its matches in ``text`` as ``(start, end)``, like ``finditer`` (a
        name with no match may be left out)."""
        wanted = set(names)
        starts: dict[str, set[int]] = {}
        if self._size:
            for end, (length, owners) in self._automaton.iter(text):
                for name in owners:
                    if name in wanted:
                        starts.setdefault(name, set()).add(end - length + 1)
        out: dict[str, list[tuple[int, int]]] = {}
        for name in wanted.intersection(self.plain):
            out[name] = [(m.start(), m.end()) for m in self.patterns[name].finditer(text)]
        for name, found in starts.items():
            pattern = self.patterns[name]
            spans: list[tuple[int, int]] = []
            reach = 0
            for start in sorted(found):
                if start < reach:
                    continue
                m = pattern.match(text, start)
                if m is not None and m.end() > m.start():
                    spans.append((m.start(), m.end()))
                    reach = m.end()
            out[name] = spans
        return out
