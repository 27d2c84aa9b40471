"""``kg extract``: article texts → draft fact records, offline and explainably.

The pieces, one job each: ``reading`` (bytes → text, encodings, HTML), ``scripts`` (a
length-preserving fold across Traditional / Simplified / case), ``tables`` (the rules' data
files in ``rules/``: cues, sentence rules, windows, confidences, name shapes, metric words),
``prefilter`` (every cue found in one pass), ``lexicon`` (the reference individuals' names and
the countries table, Aho-Corasick), ``names`` (names the lexicon does not know, by shape),
``quantities``, ``dates``, ``sentences``, ``context`` (what the rules read), ``roles`` (party
roles from structure), ``deal`` (a deal and how mentions merge), ``deals`` (the engine that
runs the sentence rules), ``builders`` and ``trades`` (what each rule reads), ``metrics``,
``extractor`` (the ``Extractor`` built once), ``records_out`` (YAML drafts), ``batch`` (many
files on every core, checked first, written all or none), ``gold`` (scoring against analyst
gold) and ``throughput`` (what the benchmark calls).
"""

from kg.extract.dates import Published
from kg.extract.extractor import EXTRACTOR, Extractor, article_slug
from kg.extract.reading import ArticleText, decode_article, read_article
from kg.extract.records_out import dump_record, write_record
from kg.extract.throughput import Throughput, measure_throughput

__all__ = [
    "EXTRACTOR",
    "ArticleText",
    "Extractor",
    "Published",
    "Throughput",
    "article_slug",
    "decode_article",
    "dump_record",
    "measure_throughput",
    "read_article",
    "write_record",
]
