"""The one generic mapper: a fact record → the triples of its article's named graph.

There is no code per class. A fact's keys are ontology terms; what a value becomes is decided by
the declared range of its property (docs/records.md):

- object property: ``kind/slug`` → that individual, ``Name`` → ``aikg:Name``, ``unit:GigaW`` →
  that IRI, a mapping → a nested node ``<article-iri>/fact/<n>/<property>[/<i>]``;
- datatype property: a literal of the declared datatype (dates typed by their precision,
  ``rdf:langString`` from a mapping of language tag → text);
- annotation or undeclared properties (``skos:altLabel``, ``rdfs:comment``): literals as written.

Evidence becomes W3C Web Annotations, the article node carries its metadata and PROV-O says how
the graph was made. Problems (unknown keys, classes, individuals, malformed values) are collected
and raised together as one :class:`kg.records.reader.RecordError`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg import __version__
from kg.core.iris import BASE, ONTOLOGY, PREFIXES, parse_ref
from kg.core.namespaces import AIKG
from kg.core.ontology import TermKind, Vocabulary
from kg.records.reader import FACT_KEYS, Fact, Problems, Record, YamlList, YamlMap, parse_date

__all__ = [
    "DATE_TYPES",
    "PropertyInfo",
    "Schema",
    "fact_node",
    "map_record",
    "record_entity",
]

OA = Namespace(PREFIXES["oa"])
PROV = Namespace(PREFIXES["prov"])
DCTERMS = Namespace(PREFIXES["dcterms"])
SCHEMA = Namespace(PREFIXES["schema"])

#: date-valued properties take these, chosen by the precision of the value
DATE_TYPES: dict[str, URIRef] = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}
_PRECISION_CONCEPT = {"year": "YearPrecision", "month": "MonthPrecision", "day": "DayPrecision"}
_DECIMALS = frozenset({XSD.decimal, XSD.double, XSD.float})
_INTEGERS = frozenset({XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int})
_REF = re.compile(r"[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([^\s/][^\s]*)")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_DURATION = re.compile(
    r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
)
_QUOTE_CONTEXT = 32


# -- what the mapper needs to know of the ontology ----------------------------------------------
@dataclass(frozen=True)
class PropertyInfo:
    """A property: ``object``, ``datatype`` or ``annotation``, and its named ranges."""

    iri: URIRef
    kind: str
    ranges: frozenset[URIRef] = frozenset()


_PROPERTY_KINDS = {
    TermKind.OBJECT_PROPERTY: "object",
    TermKind.DATATYPE_PROPERTY: "datatype",
    TermKind.ANNOTATION_PROPERTY: "annotation",
}


@dataclass(frozen=True)
class Schema:
    """The ontology as the mapper sees it: :class:`kg.core.ontology.Vocabulary` (what each term is,
    property ranges) plus each class's superclasses, which decide the kind of a fact's IRI."""

    vocabulary: Vocabulary
    ancestors: Mapping[URIRef, frozenset[URIRef]]

    @classmethod
    def from_graph(cls, ontology: Graph) -> Schema:
        parents: dict[URIRef, set[URIRef]] = {}
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                parents.setdefault(sub, set()).add(sup)
        ancestors = {c: frozenset(_closure(c, parents)) for c in parents}
        return cls(Vocabulary.from_graph(ontology), MappingProxyType(ancestors))

    def class_for(self, name: str) -> URIRef | None:
        iri = _expand(name)
        return iri if iri is not None and self.vocabulary.is_class(iri) else None

    def property(self, iri: URIRef) -> PropertyInfo | None:
        """What the ontology says of a property; None if it is not declared as one."""
        term_kind = self.vocabulary.kind(iri)
        kind = _PROPERTY_KINDS.get(term_kind) if term_kind is not None else None
        if kind is None:
            return None
        return PropertyInfo(iri, kind, self.vocabulary.range(iri))

    def is_a(self, cls: URIRef, ancestor: URIRef) -> bool:
        return cls == ancestor or ancestor in self.ancestors.get(cls, frozenset())

    def kind_of(self, cls: URIRef) -> str:
        """The ``<kind>`` path segment of an unnamed fact node of class ``cls``."""
        for ancestor, kind in (
            (AIKG.MetricObservation, "metric"),
            (AIKG.Claim, "claim"),
            (AIKG.Deal, "deal"),
        ):
            if self.is_a(cls, ancestor):
                return kind
        return re.sub(r"[^a-z]", "", _local(cls).lower()) or "node"


def _closure(start: URIRef, edges: dict[URIRef, set[URIRef]]) -> list[URIRef]:
    seen, todo = [start], [start]
    while todo:
        for nxt in sorted(edges.get(todo.pop(), ())):
            if nxt not in seen:
                seen.append(nxt)
                todo.append(nxt)
    return seen


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _expand(name: str) -> URIRef | None:
    """``Name`` → aikg:Name; ``prefix:local`` → its IRI for the project's prefixes."""
    if _NAME.fullmatch(name):
        return URIRef(ONTOLOGY + name)  # a name from the record: checked against the schema
    match = _CURIE.fullmatch(name)
    if match and match.group(1) in PREFIXES:
        return URIRef(PREFIXES[match.group(1)] + match.group(2))
    return None


# -- one record ----------------------------------------------------------------------------------
def record_entity(record: Record) -> URIRef:
    """The PROV entity for the record file the graph was made from."""
    return URIRef(f"https://w3id.org/aikg/corpus/{record.path.name}")


def fact_node(record: Record, fact: Fact, schema: Schema) -> URIRef | None:
    """The IRI of a fact's node: its ``id``, else ``<kind>/<article-id>-<n>`` from its type."""
    body = fact.body
    if isinstance(body.get("id"), str) and _REF.fullmatch(body["id"]):
        return parse_ref(body["id"])
    types = body.get("type")
    first = types[0] if isinstance(types, list) and types else types
    cls = schema.class_for(first) if isinstance(first, str) else None
    if cls is None:
        return None
    return URIRef(f"{BASE}{schema.kind_of(cls)}/{record.header.id}-{fact.n}")


@dataclass
class _Mapping:
    """The state of mapping one record: the graph so far and the problems found."""

    record: Record
    schema: Schema
    known: Container[URIRef]
    graph: Graph
    problems: Problems

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.graph.add((s, p, o))

    # -- references ---------------------------------------------------------------------------
    def reference(self, text: object, line: int) -> URIRef | None:
        if not isinstance(text, str):
            self.problems.add(f"{text!r} is not a reference (kind/slug, Name or prefix:name)", line)
            return None
        if _REF.fullmatch(text):
            iri = parse_ref(text)
        else:
            expanded = _expand(text)
            if expanded is None:
                self.problems.add(
                    f"{text!r} is not a reference (kind/slug, Name or prefix:name)", line
                )
                return None
            iri = expanded
            if not str(iri).startswith((ONTOLOGY, BASE)):
                return iri  # an external vocabulary's term (unit:GigaW): not ours to check
        if iri not in self.known:
            self.problems.add(f"unknown individual {text!r}", line)
            return None
        return iri

    def classes(self, value: object, line: int) -> list[URIRef]:
        names = value if isinstance(value, list) else [value]
        found: list[URIRef] = []
        for name in names:
            cls = self.schema.class_for(name) if isinstance(name, str) else None
            if cls is None:
                self.problems.add(f"unknown class {name!r}", line)
            else:
                found.append(cls)
        return found

    # -- keys ---------------------------------------------------------------------------------
    def property_for(self, key: str, line: int) -> PropertyInfo | None:
        iri = _expand(key) if _NAME.fullmatch(key) or _CURIE.fullmatch(key) else None
        if iri is None:
            self.problems.add(f"unknown key {key!r}", line)
            return None
        info = self.schema.property(iri)
        if info is not None:
            return info
        if iri.startswith(ONTOLOGY) or self.schema.vocabulary.kind(iri) is not None:
            kind = self.schema.vocabulary.kind(iri)
            what = f"a {kind.value}, not a property" if kind else "not an aikg term"
            self.problems.add(f"unknown key {key!r}: {what}", line)
            return None
        return PropertyInfo(iri, "annotation")  # rdfs:comment, skos:altLabel, dcterms:...

    def statements(self, node: URIRef, body: YamlMap, path: str, skip: Iterable[str]) -> None:
        """Map every non-reserved key of ``body`` to triples about ``node``."""
        for key, value in body.items():
            if key in skip:
                continue
            line = body.line_of(key)
            prop = self.property_for(key, line)
            if prop is None:
                continue
            segment = _local(prop.iri)
            if isinstance(value, YamlList):
                if not value:
                    self.problems.add(f"{key!r} has an empty list", line)
                for i, item in enumerate(value):
                    for obj in self.values(
                        item, prop, f"{path}/{segment}/{i + 1}", value.line_of(i)
                    ):
                        self.add(node, prop.iri, obj)
            else:
                for obj in self.values(value, prop, f"{path}/{segment}", line):
                    self.add(node, prop.iri, obj)

    # -- values -------------------------------------------------------------------------------
    def values(self, value: object, prop: PropertyInfo, path: str, line: int) -> list[Node]:
        name = _local(prop.iri)
        if value is None:
            self.problems.add(f"{name!r} has no value", line)
            return []
        if prop.kind == "object":
            if isinstance(value, YamlMap):
                return [self.nested(value, prop, path)]
            ref = self.reference(value, line)
            return [ref] if ref is not None else []
        try:
            if prop.kind == "datatype" and prop.ranges:
                return _typed_literals(value, prop.ranges)
            return self.loose(value, line)
        except ValueError as exc:
            self.problems.add(f"{name!r}: {exc}", line)
            return []

    def nested(self, body: YamlMap, prop: PropertyInfo, path: str) -> URIRef:
        node = URIRef(path)
        if "type" in body:
            types = self.classes(body["type"], body.line_of("type"))
        else:
            types = [r for r in prop.ranges if self.schema.vocabulary.is_class(r)]
            types = types if len(prop.ranges) == 1 else []
        for cls in types:
            self.add(node, RDF.type, cls)
        self.statements(node, body, path, skip=("type",))
        return node

    def loose(self, value: object, line: int) -> list[Node]:
        """A value of an annotation or undeclared property, typed as written."""
        if isinstance(value, YamlMap):
            return _lang_strings(value)
        if isinstance(value, str):
            if _REF.fullmatch(value) or (
                _CURIE.fullmatch(value) and value.split(":")[0] in PREFIXES
            ):
                ref = self.reference(value, line)
                return [ref] if ref is not None else []
            return [Literal(value)]
        if isinstance(value, bool):
            return [Literal(value)]
        if isinstance(value, int):
            return [Literal(str(value), datatype=XSD.integer)]
        if isinstance(value, float):
            return [Literal(_decimal(value), datatype=XSD.decimal)]
        raise ValueError(f"{value!r} is not a value")

    # -- facts --------------------------------------------------------------------------------
    def fact(self, fact: Fact) -> None:
        body, n = fact.body, fact.n
        article = URIRef(self.record.iri)
        if "mentions" in body:
            targets = body["mentions"] if isinstance(body["mentions"], list) else [body["mentions"]]
            bodies = [self.reference(t, body.line_of("mentions")) for t in targets]
            found = [b for b in bodies if b is not None]
            for target in found:
                self.add(article, AIKG.mentions, target)
            self.annotation(fact, found, OA.identifying)
            return
        types = self.classes(body["type"], body.line_of("type")) if "type" in body else []
        node = fact_node(self.record, fact, self.schema)
        if node is None:
            return  # its type is unknown: already a problem
        if "id" in body and "type" not in body and node not in self.known:
            self.problems.add(f"unknown individual {body['id']!r}", body.line_of("id"))
        for cls in types:
            self.add(node, RDF.type, cls)
        self.statements(node, body, f"{article}/fact/{n}", skip=FACT_KEYS)
        self.annotation(fact, [node], OA.describing)

    def annotation(self, fact: Fact, bodies: list[URIRef], motivation: URIRef) -> None:
        record, n = self.record, fact.n
        article = URIRef(record.iri)
        ann = URIRef(f"{BASE}evidence/{record.header.id}/{n}")
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.motivatedBy, motivation)
        for target_body in bodies:
            self.add(ann, OA.hasBody, target_body)
        if "confidence" in fact.body:
            self.add(
                ann,
                AIKG.confidence,
                Literal(_decimal(fact.body["confidence"]), datatype=XSD.decimal),
            )
        if "method" in fact.body:
            self.add(ann, AIKG.method, Literal(fact.body["method"]))
        text = record.text
        for i, span in enumerate(fact.spans, start=1):
            target = URIRef(f"{ann}/target/{i}")
            position = URIRef(f"{target}/position")
            self.add(ann, OA.hasTarget, target)
            self.add(target, RDF.type, OA.SpecificResource)
            self.add(target, OA.hasSource, article)
            self.add(target, OA.hasSelector, position)
            self.add(position, RDF.type, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(str(span.start), datatype=XSD.integer))
            self.add(position, OA.end, Literal(str(span.end), datatype=XSD.integer))
            if text is not None:
                quote = URIRef(f"{target}/quote")
                self.add(target, OA.hasSelector, quote)
                self.add(quote, RDF.type, OA.TextQuoteSelector)
                self.add(quote, OA.exact, Literal(text[span.start : span.end]))
                before = text[max(0, span.start - _QUOTE_CONTEXT) : span.start]
                after = text[span.end : span.end + _QUOTE_CONTEXT]
                self.add(quote, OA.prefix, Literal(before))
                self.add(quote, OA.suffix, Literal(after))


def _typed_literals(value: object, ranges: frozenset[URIRef]) -> list[Node]:
    """A value as a literal of one of the declared datatypes; ``ValueError`` if it fits none."""
    if ranges and ranges <= set(DATE_TYPES.values()):
        lexical, precision = parse_date(value)
        datatype = DATE_TYPES[precision]
        if datatype not in ranges:
            raise ValueError(f"{value!r} is a {precision}, the property takes {sorted(ranges)}")
        return [Literal(lexical, datatype=datatype)]
    if RDF.langString in ranges:
        if not isinstance(value, YamlMap):
            raise ValueError(f"{value!r} is not a mapping of language tag to text ({{en: ...}})")
        return _lang_strings(value)
    (datatype,) = sorted(ranges)[:1]
    if datatype in _DECIMALS:
        return [Literal(_decimal(value), datatype=XSD.decimal)]
    if datatype in _INTEGERS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number")
        if value < 0 and datatype != XSD.integer and datatype != XSD.int:
            raise ValueError(f"{value!r} is negative")
        return [Literal(str(value), datatype=datatype)]
    if datatype == XSD.boolean:
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return [Literal(value)]
    if datatype == XSD.duration:
        if not (isinstance(value, str) and _DURATION.fullmatch(value)):
            raise ValueError(f"{value!r} is not an ISO 8601 duration such as P5Y")
        return [Literal(value, datatype=XSD.duration)]
    if datatype in (XSD.string, RDFS.Literal):
        if isinstance(value, str):
            return [Literal(value)]
        if isinstance(value, int) and not isinstance(value, bool):
            return [Literal(str(value))]  # period: 2025
        raise ValueError(f"{value!r} is not text")
    if datatype == XSD.anyURI:
        if not (isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", value)):
            raise ValueError(f"{value!r} is not an IRI")
        return [Literal(value, datatype=XSD.anyURI)]
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text for datatype {datatype}")
    return [Literal(value, datatype=datatype)]


def _decimal(value: object) -> str:
    """A YAML number as an ``xsd:decimal`` lexical form (no exponent, no float noise)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    try:
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return format(number, "f")


def _lang_strings(value: YamlMap) -> list[Node]:
    literals: list[Node] = []
    for tag, text in value.items():
        if not _LANGUAGE.fullmatch(tag):
            raise ValueError(f"{tag!r} is not a language tag (en, zh-Hant ...)")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the {tag} text is empty or not text")
        literals.append(Literal(text, lang=tag))
    return literals


# -- the article node and provenance -----------------------------------------------------------
def _article_triples(record: Record, mapping: _Mapping) -> None:
    header, article = record.header, URIRef(record.iri)
    add = mapping.add
    add(article, RDF.type, AIKG.Article)
    publisher = mapping.reference(header.publisher, header.key_lines.get("publisher", header.line))
    if publisher is not None:
        add(article, DCTERMS.publisher, publisher)
    add(article, DCTERMS.issued, Literal(header.published, datatype=DATE_TYPES[header.precision]))
    add(article, AIKG.datePrecision, AIKG[_PRECISION_CONCEPT[header.precision]])
    add(article, DCTERMS.language, Literal(header.language))
    add(article, AIKG.sha256, Literal(header.sha256))
    add(article, AIKG.length, Literal(str(header.length), datatype=XSD.integer))
    add(article, AIKG.sourceFile, Literal(header.file))
    if header.url is not None:
        add(article, SCHEMA.url, URIRef(header.url))

    activity = URIRef(f"{BASE}activity/{header.id}")
    entity = record_entity(record)
    add(article, PROV.wasGeneratedBy, activity)
    add(activity, RDF.type, PROV.Activity)
    add(activity, PROV.used, entity)
    add(entity, RDF.type, PROV.Entity)
    add(activity, AIKG.method, Literal(header.method))
    if header.method == "reviewed":
        agent = URIRef(f"{BASE}agent/reviewer")
        add(agent, RDF.type, PROV.Agent)
        if header.reviewer:
            add(activity, RDFS.comment, Literal(f"reviewed by {header.reviewer}", lang="en"))
    else:
        name = header.extractor or f"aikg-extract {__version__}"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if not slug.startswith("aikg-extract"):
            slug = f"aikg-extract-{slug}"
        agent = URIRef(f"{BASE}agent/{slug}")
        add(agent, RDF.type, PROV.SoftwareAgent)
        add(agent, RDFS.label, Literal(name))
    add(activity, PROV.wasAssociatedWith, agent)


def map_record(
    record: Record,
    *,
    schema: Schema,
    known: Container[URIRef],
    graph: Graph | None = None,
) -> Graph:
    """The article graph of ``record`` (identifier: the article IRI).

    ``known`` holds every individual a reference may name: the reference graph's, the
    ontology's (statuses, bounds ...) and those declared by the records being built. Every
    problem of the record is raised at once, as a :class:`kg.records.reader.RecordError`.
    ``graph`` receives the triples instead of a new in-memory graph (the bulk build passes one
    whose store only collects them, see :mod:`kg.bench.ours`).
    """
    mapping = _Mapping(
        record=record,
        schema=schema,
        known=known,
        graph=graph if graph is not None else Graph(identifier=URIRef(record.iri)),
        problems=Problems(record.path),
    )
    _article_triples(record, mapping)
    declared: dict[str, tuple[str, int]] = {}
    for fact in record.facts:
        if "id" in fact.body and "type" in fact.body:
            kind = repr(fact.body["type"])
            first = declared.setdefault(str(fact.body["id"]), (kind, fact.line))
            if first[0] != kind:
                mapping.problems.add(
                    f"id {fact.body['id']!r} has type {kind} here, {first[0]} on line {first[1]}",
                    fact.body.line_of("type"),
                )
        mapping.fact(fact)
    mapping.problems.raise_if_any()
    return mapping.graph
