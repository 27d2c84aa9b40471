"""The aikg ontology as data: its module files, loaded offline through the catalog, and a lookup
of its terms for the generic record mapper.

The aggregator ``ontology/aikg.ttl`` only imports modules; ``ontology/catalog-v001.xml`` (an OASIS
XML catalog, as Protégé writes it) maps every import IRI to a file, so nothing is fetched.

>>> vocab = vocabulary()
>>> vocab.kind("Firm")
<TermKind.CLASS: 'class'>
>>> vocab.is_object_property("investor"), vocab.range("investor") == {vocab.iri("Agent")}
(True, True)
>>> vocab.is_date_valued("asOf"), vocab.is_date_valued("dcterms:issued")
(True, True)
>>> vocab.iri("LetterOfIntent") in vocab.individuals
True
"""

from __future__ import annotations

import enum
import functools
import xml.etree.ElementTree as ElementTree
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import ONTOLOGY, PREFIXES
from kg.core.paths import ontology_dir

__all__ = [
    "AGGREGATOR",
    "CATALOG_FILE",
    "DATE_TYPES",
    "TermKind",
    "Vocabulary",
    "check_files",
    "load_ontology",
    "load_reference",
    "load_shapes",
    "module_files",
    "ntriples_for_reasoner",
    "read_catalog",
    "vocabulary",
]

#: the aggregator ontology, which imports every module
AGGREGATOR = URIRef("https://w3id.org/aikg/ontology")
CATALOG_FILE = "catalog-v001.xml"
#: the range of a date-valued property: the datatype carries the precision
DATE_TYPES: frozenset[URIRef] = frozenset({XSD.date, XSD.gYearMonth, XSD.gYear})

_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


def _directory(directory: Path | None) -> Path:
    return (directory if directory is not None else ontology_dir()).resolve()


def _new_graph() -> Graph:
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _parse(path: Path) -> Graph:
    """One Turtle file; a syntax error names the file and line."""
    graph = _new_graph()
    try:
        graph.parse(path, format="turtle")
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", file=path) from error
    except Exception as error:  # rdflib raises BadSyntax and assorted others
        lines = getattr(error, "lines", None)
        line = lines + 1 if isinstance(lines, int) else None
        reason = getattr(error, "why", None) or str(error).splitlines()[0]
        raise InputError(f"not valid Turtle: {reason}", file=path, line=line) from error
    return graph


def read_catalog(*, directory: Path | None = None) -> dict[URIRef, Path]:
    """The catalog's mapping of import IRIs to files (which need not exist)."""
    folder = _directory(directory)
    path = folder / CATALOG_FILE
    try:
        root = ElementTree.parse(path).getroot()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", file=path) from error
    except ElementTree.ParseError as error:
        raise InputError(
            f"not well-formed XML: {error}", file=path, line=error.position[0]
        ) from error
    mapping: dict[URIRef, Path] = {}
    for element in root.iter(f"{_CATALOG_NS}uri"):
        name, uri = element.get("name"), element.get("uri")
        if not name or not uri:
            raise InputError("a <uri> entry needs both name and uri", file=path)
        mapping[URIRef(name)] = (folder / uri).resolve()
    return mapping


@functools.cache
def _modules(folder: Path) -> tuple[tuple[URIRef, Path, Graph], ...]:
    """The aggregator and every module it imports, directly or not, each parsed once."""
    catalog = read_catalog(directory=folder)
    if AGGREGATOR not in catalog:
        raise InputError(
            f"the catalog does not map the aggregator {AGGREGATOR}", file=folder / CATALOG_FILE
        )
    found: list[tuple[URIRef, Path, Graph]] = []
    seen = {AGGREGATOR}
    queue = deque([(AGGREGATOR, catalog[AGGREGATOR])])
    while queue:
        iri, path = queue.popleft()
        if not path.is_file():
            raise InputError(f"the catalog maps {iri} to a file that does not exist", file=path)
        graph = _parse(path)
        if (iri, RDF.type, OWL.Ontology) not in graph:
            raise InputError(f"the file does not declare the ontology {iri}", file=path)
        found.append((iri, path, graph))
        for imported in sorted(o for o in graph.objects(iri, OWL.imports) if isinstance(o, URIRef)):
            if imported in seen:
                continue
            if imported not in catalog:
                raise InputError(f"the import {imported} is not in {CATALOG_FILE}", file=path)
            seen.add(imported)
            queue.append((imported, catalog[imported]))
    return tuple(found)


def module_files(*, directory: Path | None = None) -> list[Path]:
    """The aggregator's file, then every module file it imports (breadth first, by IRI)."""
    return [path for _, path, _ in _modules(_directory(directory))]


def _union(graphs: Iterator[Graph]) -> Graph:
    union = _new_graph()
    for graph in graphs:
        union += graph
    return union


def load_ontology(*, directory: Path | None = None) -> Graph:
    """All modules in one graph (a fresh copy: the parsed modules are cached)."""
    return _union(graph for _, _, graph in _modules(_directory(directory)))


@functools.cache
def _parsed(path: Path, mtime_ns: int) -> Graph:
    return _parse(path)


def _load_glob(folder: Path, pattern: str) -> Graph:
    files = sorted(folder.glob(pattern)) if folder.is_dir() else []
    return _union(_parsed(path, path.stat().st_mtime_ns) for path in files)


def load_reference(*, directory: Path | None = None) -> Graph:
    """The reference individuals: every ``ontology/reference/*.ttl`` (empty if there are none)."""
    return _load_glob(_directory(directory) / "reference", "*.ttl")


def load_shapes(*, directory: Path | None = None) -> Graph:
    """The SHACL shapes: every ``ontology/*.shapes.ttl`` (empty if there are none)."""
    return _load_glob(_directory(directory), "*.shapes.ttl")


def check_files(*, directory: Path | None = None) -> list[Path]:
    """The quality checks: SPARQL SELECT queries ``ontology/checks/*-violation.rq``; each row is
    a violation."""
    folder = _directory(directory) / "checks"
    return sorted(folder.glob("*-violation.rq")) if folder.is_dir() else []


def ntriples_for_reasoner(graph: Graph) -> bytes:
    """``graph`` as N-Triples without its ``owl:imports``: what owlready2 can read (it cannot
    parse Turtle) without trying to download the modules, which ``graph`` already holds."""
    copy = _new_graph()
    copy += graph
    copy.remove((None, OWL.imports, None))
    return copy.serialize(format="nt", encoding="utf-8")


class TermKind(enum.Enum):
    """What an ontology term is declared as."""

    CLASS = "class"
    OBJECT_PROPERTY = "object property"
    DATATYPE_PROPERTY = "datatype property"
    ANNOTATION_PROPERTY = "annotation property"
    INDIVIDUAL = "individual"


_DECLARATIONS: tuple[tuple[URIRef, TermKind], ...] = (
    (OWL.Class, TermKind.CLASS),
    (RDFS.Class, TermKind.CLASS),
    (OWL.ObjectProperty, TermKind.OBJECT_PROPERTY),
    (OWL.DatatypeProperty, TermKind.DATATYPE_PROPERTY),
    (OWL.AnnotationProperty, TermKind.ANNOTATION_PROPERTY),
    (OWL.NamedIndividual, TermKind.INDIVIDUAL),
    (SKOS.Concept, TermKind.INDIVIDUAL),
    (SKOS.ConceptScheme, TermKind.INDIVIDUAL),
)


def _members(graph: Graph, node: Node) -> frozenset[URIRef]:
    """A named class or datatype, or the named members of an ``owl:unionOf``."""
    if isinstance(node, URIRef):
        return frozenset({node})
    union = graph.value(node, OWL.unionOf)
    if isinstance(node, BNode) and union is not None:
        return frozenset(m for m in Collection(graph, union) if isinstance(m, URIRef))
    return frozenset()


@dataclass(frozen=True)
class Vocabulary:
    """Which terms the ontology declares, and the ranges of its properties.

    Names are local names of ``aikg:`` (``"Firm"``), prefixed names with a prefix of
    :data:`kg.core.iris.PREFIXES` (``"dcterms:issued"``) or IRIs.
    """

    kinds: Mapping[URIRef, TermKind]
    ranges: Mapping[URIRef, frozenset[URIRef]]
    types: Mapping[URIRef, frozenset[URIRef]]

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        kinds: dict[URIRef, TermKind] = {}
        for declaration, kind in reversed(_DECLARATIONS):  # the first declaration wins
            for term in graph.subjects(RDF.type, declaration):
                if isinstance(term, URIRef):
                    kinds[term] = kind
        ranges: dict[URIRef, frozenset[URIRef]] = {}
        for term, kind in kinds.items():
            if kind in (TermKind.OBJECT_PROPERTY, TermKind.DATATYPE_PROPERTY):
                ranges[term] = cls._range(graph, term)
        types = {
            term: frozenset(t for t in graph.objects(term, RDF.type) if isinstance(t, URIRef))
            for term, kind in kinds.items()
            if kind is TermKind.INDIVIDUAL
        }
        return cls(MappingProxyType(kinds), MappingProxyType(ranges), MappingProxyType(types))

    @staticmethod
    def _range(graph: Graph, prop: URIRef) -> frozenset[URIRef]:
        """The declared range, else the nearest super-property's."""
        queue, seen = deque([prop]), {prop}
        while queue:
            current = queue.popleft()
            found = frozenset().union(
                *(_members(graph, r) for r in graph.objects(current, RDFS.range))
            )
            if found:
                return found
            for parent in graph.objects(current, RDFS.subPropertyOf):
                if isinstance(parent, URIRef) and parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return frozenset()

    @staticmethod
    def iri(name: str | URIRef) -> URIRef:
        """``Firm`` → ``aikg:Firm``; ``dcterms:issued`` → its IRI; an IRI stays as it is.

        >>> Vocabulary.iri("dcterms:issued")
        rdflib.term.URIRef('http://purl.org/dc/terms/issued')
        """
        if isinstance(name, URIRef) or "://" in name:
            return URIRef(name)
        prefix, sep, local = name.partition(":")
        if not sep:
            return URIRef(ONTOLOGY + name)
        if prefix not in PREFIXES:
            raise KeyError(f"unknown prefix {prefix!r} in {name!r}")
        return URIRef(PREFIXES[prefix] + local)

    def kind(self, name: str | URIRef) -> TermKind | None:
        """What the term is declared as, or None if the ontology does not declare it."""
        return self.kinds.get(self.iri(name))

    def is_class(self, name: str | URIRef) -> bool:
        return self.kind(name) is TermKind.CLASS

    def is_object_property(self, name: str | URIRef) -> bool:
        return self.kind(name) is TermKind.OBJECT_PROPERTY

    def is_datatype_property(self, name: str | URIRef) -> bool:
        return self.kind(name) is TermKind.DATATYPE_PROPERTY

    def is_individual(self, name: str | URIRef) -> bool:
        return self.kind(name) is TermKind.INDIVIDUAL

    def range(self, name: str | URIRef) -> frozenset[URIRef]:
        """A property's range: its class(es) or datatype(s), the members of a union flattened;
        empty when the range is unconstrained or the name is not a property.

        >>> sorted(Vocabulary.iri(r).split("#")[-1] for r in vocabulary().range("product"))
        ['Chip', 'ChipArchitecture']
        """
        return self.ranges.get(self.iri(name), frozenset())

    def is_date_valued(self, name: str | URIRef) -> bool:
        """True for a property whose range is some of xsd:date, xsd:gYearMonth, xsd:gYear."""
        found = self.range(name)
        return bool(found) and found <= DATE_TYPES

    @property
    def individuals(self) -> frozenset[URIRef]:
        """The individuals of the ``aikg:`` namespace (SKOS concepts and schemes)."""
        return frozenset(term for term in self.types if term.startswith(ONTOLOGY))

    def types_of(self, name: str | URIRef) -> frozenset[URIRef]:
        """The classes an individual is declared a member of."""
        return self.types.get(self.iri(name), frozenset())


@functools.cache
def _vocabulary(folder: Path) -> Vocabulary:
    return Vocabulary.from_graph(load_ontology(directory=folder))


def vocabulary(*, directory: Path | None = None) -> Vocabulary:
    """The :class:`Vocabulary` of the ontology (cached)."""
    return _vocabulary(_directory(directory))
