"""The lexicon: every label and alias of the reference individuals, matched with Aho-Corasick.

Built once from the reference data (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``,
``skos:hiddenLabel`` and listing symbols, in every script), then reused for every article.
Keys and text are both folded (``kg.core.scripts.fold``), so Traditional, Simplified,
full-width and any letter case meet; a Latin name must stand as a word, must not be all lower
case when its label is not, and is widened over a following legal suffix ("NVIDIA Corp.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.core.iris import BASE, ONTOLOGY
from kg.core.scripts import fold, script_variants

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
_AIKG = ONTOLOGY
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


@dataclass(slots=True)
class _Builder:
    entities: dict[str, Entity] = field(default_factory=dict)
    keys: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)


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

    def __init__(self, entities: Sequence[Entity], names: Mapping[str, Sequence[str]]) -> None:
        """``names`` maps each entity's ``ref`` to the names it goes by (any script, any case)."""
        self._entities = {e.ref: e for e in entities}
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, bool]]] = {}
        for ref, labels in names.items():
            if ref not in self._entities:
                continue
            for label in labels:
                for variant in script_variants(label.strip()):
                    key = fold(variant)
                    if len(key) < 2 and not any(ord(ch) > 0x2E80 for ch in key):
                        continue
                    cased = variant != variant.lower()
                    entry = (ref, cased)
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
        subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(BASE)}
        for subject in sorted(subjects):
            kind, _, slug = str(subject)[len(BASE) :].partition("/")
            if kind in _NOT_NAMED or not slug:
                continue
            labels = [str(o) for p in _LABELS for o in graph.objects(subject, p)]
            for listing in graph.objects(subject, URIRef(_AIKG + "ticker")):
                labels += [str(o) for o in graph.objects(listing, URIRef(_AIKG + "symbol"))]
            if not labels:
                continue
            types = frozenset(
                str(t)[len(_AIKG) :]
                for t in graph.objects(subject, RDF.type)
                if str(t).startswith(_AIKG)
            )
            designer = next(graph.objects(subject, URIRef(_AIKG + "designedBy")), None)
            if designer is None:
                designer = next(graph.subjects(URIRef(_AIKG + "develops"), subject), None)
            employer = next(
                (
                    o
                    for p in ("ceoOf", "founderOf", "affiliatedWith")
                    for o in graph.objects(subject, URIRef(_AIKG + p))
                ),
                None,
            )
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
                    label=en[0] if en else labels[0],
                    types=types,
                    designed_by=str(designer)[len(BASE) :] if designer is not None else None,
                    affiliated=str(employer)[len(BASE) :] if employer is not None else None,
                )
            )
            names[ref] = labels
        return cls(entities, names)

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
        candidates: list[tuple[int, int, tuple[tuple[str, bool], ...]]] = []
        for end_index, (length, bucket) in self._automaton.iter(low):
            start, end = end_index - length + 1, end_index + 1
            if not self._fits(text, start, end, bucket):
                continue
            candidates.append((start, end, bucket))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        out: list[Mention] = []
        last_end = -1
        outer: tuple[int, int] = (-1, -1)
        for start, end, bucket in candidates:
            if start < last_end:
                ref = self._choose(text, start, end, bucket)
                if ref.startswith("person/") and outer[0] <= start and end <= outer[1]:
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
            out.append(Mention(entity=entity, start=start, end=stop))
            last_end = stop
            outer = (start, stop)
        return out

    @staticmethod
    def _fits(text: str, start: int, end: int, bucket: tuple[tuple[str, bool], ...]) -> bool:
        surface = text[start:end]
        if _WORD.match(surface[0]) and start > 0 and _WORD.match(text[start - 1]):
            return False
        if _WORD.match(surface[-1]) and end < len(text) and _WORD.match(text[end]):
            return False
        if surface.isascii() and end < len(text) and text[end] == "$":
            return False  # "US$" is a currency, not the country
        cased = all(c for _, c in bucket)
        return not (cased and surface.isascii() and surface == surface.lower())

    @staticmethod
    def _choose(text: str, start: int, end: int, bucket: tuple[tuple[str, bool], ...]) -> str:
        refs = sorted({ref for ref, _ in bucket}, key=lambda r: (_rank(r.split("/")[0]), r))
        return refs[0]


def _rank(kind: str) -> int:
    """Which kind wins when one name fits several individuals: the order of ``KINDS``, then
    any other kind the reference data holds."""
    return KINDS.index(kind) if kind in KINDS else len(KINDS)
