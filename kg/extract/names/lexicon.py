"""The lexicon: every label and alias of the reference individuals, matched with Aho-Corasick.

Built once from the reference data (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``,
``skos:hiddenLabel`` and listing symbols, in every script), then reused for every article.
Keys and text are both folded (``kg.core.scripts.fold``), so Traditional, Simplified,
full-width and any letter case meet. Then the text must write a name as its label does
(``lexicon:`` in ``rules/names.yaml``): a Latin name stands as a word; it is not all lower case
when its label is not; a name whose every word is capitalised has no word in lower case ("bring
together AI" is no Together AI); a short name in capitals and every ticker of letters are in
capitals ("Ms" is no MS); a ticker of digits stands as a ticker ("(2330)", "TWSE: 2330", 股票代號
2330), never inside a figure (2382億). A firm's name is widened over a following legal suffix
("NVIDIA Corp.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from typing import Literal as OneOf

import ahocorasick
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.core.iris import BASE, ONTOLOGY
from kg.core.namespaces import AIKG
from kg.core.scripts import fold, script_variants
from kg.extract.tables import names_table

__all__ = ["KINDS", "Entity", "Lexicon", "Mention", "reference_graph"]

#: the individual kinds the lexicon finds in texts, in the order that settles a name two share;
#: any other kind of reference individual with a label is found too, after these
KINDS = (
    "firm",
    "person",
    "chip",
    "architecture",
    "datacenter",
    "country",
    "region",
    "agency",
    "model",
    "event",
    "market",
    "index",
)
#: kinds of reference data that are not named in texts: listings are found by their symbols
_NOT_NAMED = frozenset({"listing", "deal", "article", "metric", "claim", "evidence"})
_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Inc|Corp|Corporation|Co|Company|Ltd|Limited|LLC|L\.L\.C|plc|PLC|AG|SE|SA|NV|"
    r"N\.V|GmbH|Holdings|Group)\b\.?)+"
)
_WORD = re.compile(r"[0-9A-Za-z]")
_ABBREVIATION = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Bhd)$")


@dataclass(frozen=True, slots=True)
class Entity:
    """A reference individual: ``ref`` is ``kind/slug``; ``types`` are aikg class local names."""

    ref: str
    kind: str
    label: str
    types: frozenset[str] = frozenset()
    designed_by: str | None = None
    affiliated: str | None = None
    #: the firm this one is a subsidiary or unit of (aikg:subsidiaryOf)
    parent: str | None = None
    #: labels to declare in a draft, as (property, language, text), for an individual the
    #: reference data lacks (a country of the names table); empty for reference individuals
    declare: tuple[tuple[str, str, str], ...] = ()

    def has_type(self, *names: str) -> bool:
        return any(name in self.types for name in names)


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity: ``[start, end)`` in the text the lexicon read."""

    entity: Entity
    start: int
    end: int
    method: str = "lexicon"
    confidence: float = 0.95

    @property
    def ref(self) -> str:
        return self.entity.ref


#: how the text must write a name for it to count: ``any`` (a label without capitals), ``cased``
#: (not all lower case), ``words`` (every capitalised word capitalised), ``capitals`` (no lower
#: case letter), ``digits`` (a ticker of digits, beside a ticker's words)
_Form = OneOf["any", "cased", "words", "capitals", "digits"]
#: one name of a key: the individual, the name as its label writes it, and its form
_Entry = tuple[str, str, _Form]


def _form(variant: str, *, symbol: bool) -> _Form:
    """How the text must write ``variant`` (a label in one script) for it to name its
    individual; ``symbol`` when it is a listing's ticker."""
    if variant.isdigit():
        return "digits"
    latin = [c for c in variant if c.isascii() and c.isalpha()]
    if not any(c.isupper() for c in latin):
        return "any"
    if all(c.isupper() for c in latin) and (
        symbol or len(latin) <= int(_lexicon_rules()["capitals_only_up_to"])
    ):
        return "capitals"
    words = variant.split()
    if (
        len(words) > 1
        and variant.isascii()
        and all(w[0].isupper() or w[0].isdigit() for w in words)
    ):
        return "words"
    return "cased"


def reference_graph(paths: Iterable[Path] | None = None) -> Graph:
    """The reference individuals: ``kg.core.load_reference()``, or the Turtle files given."""
    if paths is None:
        from kg.core.ontology import load_reference

        return load_reference()
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


class Lexicon:
    """Names → entities, with an Aho-Corasick automaton over the folded names."""

    def __init__(
        self,
        entities: Sequence[Entity],
        names: Mapping[str, Sequence[str]],
        symbols: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """``names`` maps each entity's ``ref`` to the names it goes by (any script, any case),
        ``symbols`` to its listings' tickers."""
        self._entities = {e.ref: e for e in entities}
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[_Entry]] = {}
        labelled = [(ref, label, False) for ref, labels in names.items() for label in labels]
        labelled += [(ref, s, True) for ref, tickers in (symbols or {}).items() for s in tickers]
        for ref, label, symbol in labelled:
            if ref not in self._entities:
                continue
            for variant in script_variants(label.strip()):
                key = fold(variant)
                if len(key) < 2 and not any(ord(ch) > 0x2E80 for ch in key):
                    continue
                entry = (ref, variant, _form(variant, symbol=symbol))
                bucket = table.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
        for key, bucket in table.items():
            self._automaton.add_word(key, (len(key), tuple(bucket)))
        if table:
            self._automaton.make_automaton()
        self._size = len(table)

    @classmethod
    def from_graph(cls, graph: Graph) -> Lexicon:
        """Every individual of a lexicon kind in ``graph`` with its labels and aliases."""
        entities: list[Entity] = []
        names: dict[str, list[str]] = {}
        symbols: dict[str, list[str]] = {}
        subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(BASE)}
        for subject in sorted(subjects):
            kind, _, slug = str(subject)[len(BASE) :].partition("/")
            if kind in _NOT_NAMED or not slug:
                continue
            labels = [str(o) for p in _LABELS for o in graph.objects(subject, p)]
            tickers = [
                str(o)
                for listing in graph.objects(subject, AIKG.ticker)
                for o in graph.objects(listing, AIKG.symbol)
            ]
            if not labels and not tickers:
                continue
            types = frozenset(
                str(t)[len(ONTOLOGY) :]
                for t in graph.objects(subject, RDF.type)
                if str(t).startswith(ONTOLOGY)
            )
            designer = next(graph.objects(subject, AIKG.designedBy), None)
            if designer is None:
                designer = next(graph.subjects(AIKG.develops, subject), None)
            employer = next(
                (
                    o
                    for p in (AIKG.ceoOf, AIKG.founderOf, AIKG.affiliatedWith)
                    for o in graph.objects(subject, p)
                ),
                None,
            )
            parent = next(graph.objects(subject, AIKG.subsidiaryOf), None)
            en = [
                str(o)
                for o in graph.objects(subject, RDFS.label)
                if isinstance(o, Literal) and o.language == "en"
            ]
            ref = f"{kind}/{slug}"
            entities.append(
                Entity(
                    ref=ref,
                    kind=kind,
                    label=en[0] if en else (labels or tickers)[0],
                    types=types,
                    designed_by=str(designer)[len(BASE) :] if designer is not None else None,
                    affiliated=str(employer)[len(BASE) :] if employer is not None else None,
                    parent=str(parent)[len(BASE) :] if parent is not None else None,
                )
            )
            names[ref] = labels
            symbols[ref] = tickers
        _add_countries(entities, names)
        return cls(entities, names, symbols)

    @classmethod
    def from_reference(cls, paths: Iterable[Path] | None = None) -> Lexicon:
        """The lexicon of the project's reference data (or of the Turtle files given)."""
        return cls.from_graph(reference_graph(paths))

    def __len__(self) -> int:
        return self._size

    def entity(self, ref: str) -> Entity | None:
        return self._entities.get(ref)

    @property
    def entities(self) -> dict[str, Entity]:
        return dict(self._entities)

    def find(self, text: str, *, folded: str | None = None) -> list[Mention]:
        """The mentions in ``text``: leftmost-longest, non-overlapping, in text order."""
        if not self._size:
            return []
        low = fold(text) if folded is None else folded
        candidates: list[tuple[int, int, tuple[_Entry, ...]]] = []
        for end_index, (length, bucket) in self._automaton.iter(low):
            start, end = end_index - length + 1, end_index + 1
            if not self._stands(text, start, end):
                continue
            written = tuple(e for e in bucket if _written_as(e, text, low, start, end))
            if written:
                candidates.append((start, end, written))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[Mention] = []
        last_end = -1
        outer: tuple[int, int] = (-1, -1)
        outer_kind = ""
        for start, end, bucket in candidates:
            if start < last_end:
                ref = self._choose(text, start, end, bucket)
                # a person named inside a longer name (特朗普 in 特朗普政府), a country inside
                # an agency's (美國 in 美國政府), a firm opening a chip's name (Nvidia in
                # "Nvidia GB300", its maker) are mentions too
                nested = (
                    ref.startswith("person/")
                    or (ref.startswith("country/") and outer_kind == "agency")
                    or (
                        ref.startswith("firm/")
                        and outer_kind in ("chip", "architecture")
                        and start == outer[0]
                    )
                )
                if nested and outer[0] <= start and end <= outer[1]:
                    out.append(Mention(entity=self._entities[ref], start=start, end=end))
                continue
            ref = self._choose(text, start, end, bucket)
            entity = self._entities[ref]
            stop = end
            if entity.kind == "firm" and text[start:end].isascii():
                suffix = _LEGAL_SUFFIX.match(text, end)
                if suffix:
                    stop = suffix.end()
                elif text[stop : stop + 1] == "." and _ABBREVIATION.search(text[start:stop]):
                    stop += 1
            elif entity.kind == "firm":
                same = _group_same().match(low, end)  # 鴻海集團: the firm itself
                if same:
                    stop = same.end()
            out.append(Mention(entity=entity, start=start, end=stop))
            last_end = stop
            outer = (start, stop)
            outer_kind = entity.kind
        return out

    @staticmethod
    def _stands(text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` stands as a name: a Latin one as a word, not a currency's
        country (US$), not a ticker's market ("(MSFT-US)")."""
        surface = text[start:end]
        if _WORD.match(surface[0]) and start > 0 and _WORD.match(text[start - 1]):
            return False
        if _WORD.match(surface[-1]) and end < len(text) and _WORD.match(text[end]):
            return False
        if surface.isascii() and end < len(text) and text[end] == "$":
            return False  # "US$" is a currency, not the country
        # "(MSFT-US)", "(2317 TT)": a ticker's market, not a country or a firm
        return not (
            surface.isupper()
            and start > 1
            and (
                (text[start - 1] in "-." and text[start - 2].isalnum())
                or (
                    text[start - 1] == " "
                    and text[start - 2].isdigit()
                    and text[end : end + 1] in ")）"
                )
            )
        )

    @staticmethod
    def _choose(text: str, start: int, end: int, bucket: tuple[_Entry, ...]) -> str:
        refs = sorted({ref for ref, _, _ in bucket}, key=lambda r: (_rank(r.split("/")[0]), r))
        return refs[0]


def _written_as(entry: _Entry, text: str, low: str, start: int, end: int) -> bool:
    """Whether the text writes ``text[start:end]`` as the entry's name is written (its form);
    ``low`` is the folded text."""
    _, variant, form = entry
    surface = text[start:end]
    if form == "any":
        return True
    if form == "digits":
        return _numeric_ticker(low, start, end)
    if form == "capitals":
        return not any(c.islower() for c in surface)
    if surface.isascii() and surface == surface.lower():
        return False
    if form == "words":
        return not any(
            ch.isupper() and (i == 0 or variant[i - 1] == " ") and surface[i].islower()
            for i, ch in enumerate(variant)
        )
    return True


def _numeric_ticker(low: str, start: int, end: int) -> bool:
    """Whether the digits at ``low[start:end]`` stand as a ticker (a word of their own, with a
    ticker's words before, after or around them)."""
    before, after, around = _ticker_context()
    head = low[max(0, start - 24) : start]
    return bool(
        before.search(head)
        or after.match(low, end)
        or any(b.search(head) and a.match(low, end) for b, a in around)
    )


@cache
def _lexicon_rules() -> dict[str, Any]:
    rules: dict[str, Any] = names_table()["lexicon"]
    return rules


@cache
def _ticker_context() -> tuple[
    re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]
]:
    t = _lexicon_rules()
    before = re.compile("(?:" + "|".join(t["numeric_ticker_before"]) + ")$")
    after = re.compile("|".join(t["numeric_ticker_after"]))
    around = tuple((re.compile(f"(?:{b})$"), re.compile(a)) for b, a in t["numeric_ticker_around"])
    return before, after, around


@cache
def _group_same() -> re.Pattern[str]:
    words = sorted((fold(w) for w in names_table()["org"]["cn_group_same"]), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _add_countries(entities: list[Entity], names: dict[str, list[str]]) -> None:
    """The countries of the names table: their names and adjectives join a reference country's
    names; a country the reference data lacks becomes an entity to declare in the draft."""
    known = {e.ref for e in entities}
    for row in names_table()["countries"]:
        ref = f"country/{row['code']}"
        words = [
            row["en"],
            row["zh-Hant"],
            row["zh-Hans"],
            *row.get("also", []),
            *row.get("adj", []),
        ]
        names.setdefault(ref, [])
        names[ref] += [w for w in words if w not in names[ref]]
        if ref in known:
            continue
        declare = [("rdfs:label", "en", row["en"]), ("rdfs:label", "zh-Hant", row["zh-Hant"])]
        if row["zh-Hans"] != row["zh-Hant"]:
            declare.append(("skos:altLabel", "zh-Hans", row["zh-Hans"]))
        declare += [("skos:altLabel", "en", w) for w in row.get("also", []) if w.isascii()]
        entities.append(
            Entity(
                ref=ref,
                kind="country",
                label=row["en"],
                types=frozenset({"Country"}),
                declare=tuple(declare),
            )
        )


def _rank(kind: str) -> int:
    """Which kind wins when one name fits several individuals: the order of ``KINDS``, then
    any other kind the reference data holds."""
    return KINDS.index(kind) if kind in KINDS else len(KINDS)
