"""A small SPARQL tokenizer: strings, IRIs and comments are single tokens, so a text can be
searched for keywords and braces without being fooled by what a string holds. The query
catalogue (where a template's WHERE group opens) and the SHACL compiler read queries with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.core.errors import InputError

__all__ = ["Token", "tokens"]


@dataclass(frozen=True)
class Token:
    """One lexical item: ``kind`` is word, var, iri, string, comment, punct or space."""

    kind: str
    text: str
    start: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[A-Za-z0-9_\-.%]*)?|:[A-Za-z0-9_\-.%]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text; strings, IRIs and comments are single tokens.

    >>> [t.text for t in tokens('SELECT ?s { ?s ?p "a } #" } # }') if t.kind != "space"]
    ['SELECT', '?s', '{', '?s', '?p', '"a } #"', '}', '# }']
    """
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the last alternative matches any character
            raise InputError(f"cannot read the query at offset {pos}")
        kind = match.lastgroup or "punct"
        yield Token(kind, match.group(), pos)
        pos = match.end()
