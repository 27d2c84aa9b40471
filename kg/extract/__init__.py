"""``kg extract``: article texts → draft fact records, offline and explainably.

The pieces, one job each: ``reading`` (bytes → text, encodings, HTML), ``scripts`` (a
length-preserving fold across Traditional / Simplified / case), ``lexicon`` (the reference
individuals' names, Aho-Corasick), ``orgs`` (organisations not in the lexicon), ``quantities``,
``dates``, ``sentences``, ``context`` (what the rules read), ``cues`` (trigger, status and marker
words), ``roles`` (party roles from structure), ``deals``, ``metrics``, ``extractor`` (the
``Extractor`` built once),
``records_out`` (YAML drafts, written atomically) and ``throughput`` (what the benchmark calls).
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
