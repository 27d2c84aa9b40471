"""Reading an article: bytes to text (``reading``: encodings, simple HTML, offsets into the
stored file) and the text to sentences and clauses (``sentences``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract.read.reading import (
        ArticleText,
        decode_article,
        decode_bytes,
        read_article,
    )
    from kg.extract.read.sentences import (
        Sentence,
        split_clauses,
        split_sentences,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "ArticleText": "reading",
    "Sentence": "sentences",
    "decode_article": "reading",
    "decode_bytes": "reading",
    "read_article": "reading",
    "split_clauses": "sentences",
    "split_sentences": "sentences",
}
__all__ = [
    "ArticleText",
    "Sentence",
    "decode_article",
    "decode_bytes",
    "read_article",
    "split_clauses",
    "split_sentences",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
