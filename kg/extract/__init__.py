"""``kg extract``: article texts → draft fact records, offline and explainably.

The folders, one job each: ``read/`` (bytes → text: encodings, HTML; sentences), ``names/``
(the reference individuals' names and the countries table, Aho-Corasick; names the lexicon does
not know, by shape), ``figures/`` (quantities, dates), ``deals/`` (the engine that runs the
sentence rules, a deal and how mentions merge, the builders and trades each rule names, party
roles from structure) and ``eval/`` (scoring drafts against analyst gold or reviewed records).
Beside them: ``tables`` (the rules' data files in ``rules/``: cues, sentence rules, windows,
confidences, name shapes, metric words), ``prefilter`` (every cue found in one pass),
``context`` (what the rules read), ``metrics`` (metric observations), ``extractor`` (the
``Extractor`` built once), ``records_out`` (YAML drafts), ``batch`` (many files on every core,
checked first, written all or none) and ``throughput`` (what the benchmark calls).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from kg import CallableFolder

if TYPE_CHECKING:
    from kg.extract.batch import (
        MAX_CHARS,
        Job,
        check_inputs,
        default_jobs,
        extract_all,
        input_files,
        summary_line,
    )
    from kg.extract.extractor import (
        EXTRACTOR,
        Extractor,
        article_slug,
    )
    from kg.extract.figures.dates import (
        Published,
    )
    from kg.extract.read.reading import (
        ArticleText,
        decode_article,
        read_article,
    )
    from kg.extract.records_out import (
        dump_record,
        record_text,
        write_record,
    )
    from kg.extract.throughput import (
        Throughput,
        measure_throughput,
    )

#: the face: each name, and the module that defines it (imported when first used)
_WHERE: dict[str, str] = {
    "EXTRACTOR": "extractor",
    "MAX_CHARS": "batch",
    "ArticleText": "read.reading",
    "Extractor": "extractor",
    "Job": "batch",
    "Published": "figures.dates",
    "Throughput": "throughput",
    "article_slug": "extractor",
    "check_inputs": "batch",
    "decode_article": "read.reading",
    "default_jobs": "batch",
    "dump_record": "records_out",
    "extract_all": "batch",
    "input_files": "batch",
    "measure_throughput": "throughput",
    "read_article": "read.reading",
    "record_text": "records_out",
    "summary_line": "batch",
    "write_record": "records_out",
}
__all__ = [
    "EXTRACTOR",
    "MAX_CHARS",
    "ArticleText",
    "Extractor",
    "Job",
    "Published",
    "Throughput",
    "article_slug",
    "check_inputs",
    "decode_article",
    "default_jobs",
    "dump_record",
    "extract_all",
    "input_files",
    "measure_throughput",
    "read_article",
    "record_text",
    "summary_line",
    "write_record",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


# ``kg.extract(...)`` is the Python API's extract (kg.api), also once this folder is imported
sys.modules[__name__].__class__ = CallableFolder
