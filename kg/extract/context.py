"""What the deal and metric rules read: an article's sentences with their mentions, figures and
dates, all located in the view text (see ``kg.extract.read.reading``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from kg.extract.figures.dates import DateMention, Published
from kg.extract.figures.quantities import Quantity
from kg.extract.names.lexicon import Lexicon, Mention
from kg.extract.read.sentences import Sentence
from kg.extract.tables import cue, cue_scanner

__all__ = ["AGENT_KINDS", "ArticleContext", "CueIndex", "SentenceContext"]

#: the kinds of individual that can be a party to a deal
AGENT_KINDS = ("firm", "country", "agency")


@dataclass(slots=True)
class CueIndex:
    """Which cues match inside each sentence of an article, found in one pass over the folded
    text the first time a sentence asks (``kg.extract.prefilter``): linear in the text."""

    folded: str
    bounds: list[tuple[int, int]] = field(default_factory=list)
    found: list[frozenset[str]] | None = None

    def names(self, index: int) -> frozenset[str]:
        """The cues that match inside sentence ``index``."""
        if self.found is None:
            scanner = cue_scanner()
            starts = [start for start, _ in self.bounds]
            names: list[set[str]] = [set() for _ in self.bounds]
            wanted = set(scanner.patterns).difference(scanner.plain)  # (anchored: per sentence)
            for name, matches in scanner.scan(self.folded, wanted).items():
                for start, end in matches:
                    i = bisect_right(starts, start) - 1
                    if i >= 0 and end <= self.bounds[i][1]:
                        names[i].add(name)
            self.found = [frozenset(n) for n in names]
        return self.found[index]


@dataclass(slots=True)
class SentenceContext:
    """One sentence: its span, folded text and what was found in it (offsets in the view)."""

    index: int
    sentence: Sentence
    folded: str
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    #: page furniture (a caption, credit, byline, advert, related-story link): no facts
    furniture: bool = False
    #: where each cue matches in the article (``hits``)
    cues: CueIndex | None = None

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def agents(self) -> list[Mention]:
        """The mentions that can be parties (a news source reports deals, it is none)."""
        return [
            m
            for m in self.mentions
            if m.entity.kind in AGENT_KINDS and "Publisher" not in m.entity.types
        ]

    @property
    def people(self) -> list[Mention]:
        return [m for m in self.mentions if m.entity.kind == "person"]

    def things(self, *kinds: str) -> list[str]:
        """The refs of the mentioned individuals of these kinds, in order, without repeats."""
        out: list[str] = []
        for m in self.mentions:
            if m.entity.kind in kinds and m.ref not in out:
                out.append(m.ref)
        return out

    def hits(self, name: str) -> bool:
        """Whether the cue ``name`` (``rules/cues.yaml``) matches inside this sentence."""
        if self.cues is None or name in cue_scanner().plain:
            return cue(name).search(self.folded) is not None
        return name in self.cues.names(self.index)

    def local(self, offset: int) -> int:
        """A view offset → an offset in ``folded``."""
        return offset - self.sentence.start


@dataclass(slots=True)
class ArticleContext:
    """The whole article as the rules see it."""

    view: str
    folded: str
    lexicon: Lexicon
    published: Published
    sentences: list[SentenceContext]
    currency: str = "USD"
    language: str = "en"
    #: where each sentence starts (to find a position's sentence)
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [s.start for s in self.sentences]
