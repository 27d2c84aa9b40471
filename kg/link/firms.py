"""The store's firms as the linker sees them: names, country, listings, identifiers held."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kg.core.identifiers import WIKIDATA_ENTITY, IdKind
from kg.core.iris import BASE
from kg.core.namespaces import AIKG
from kg.core.paths import ontology_dir
from kg.link.names import looks_like_ticker
from kg.link.records import Listing
from kg.store.embedded import Store

__all__ = ["FirmProfile", "firm_classes", "read_firms", "sparql_text"]

AIKG_FIRM = AIKG.Firm
_LEI = AIKG.lei
_CIK = AIKG.cik
_TICKER = AIKG.ticker
_HQ = AIKG.headquarteredIn
_COUNTRY = BASE + "country/"


def sparql_text(name: str) -> str:
    """The text of the packaged query ``kg/link/sparql/<name>.rq``."""
    return resources.files("kg.link").joinpath(f"sparql/{name}.rq").read_text("utf-8")


@dataclass(frozen=True)
class FirmProfile:
    """One firm: every name it goes by, its countries, listings and the identifiers it holds.

    ``symbols`` are the ticker symbols of its listings plus alternative labels written like
    tickers (``NVDA``), so a firm whose identifiers were stripped still has its tickers.
    """

    iri: URIRef
    names: tuple[str, ...]
    countries: frozenset[str] = frozenset()
    listings: frozenset[Listing] = frozenset()
    symbols: frozenset[str] = frozenset()
    existing: Mapping[IdKind, frozenset[str]] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """``firm/nvidia``: the IRI below the individuals' base, for messages."""
        text = str(self.iri)
        return text[len(BASE) :] if text.startswith(BASE) else text

    @property
    def slug(self) -> str:
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]

    def held(self, kind: IdKind) -> frozenset[str]:
        return self.existing.get(kind, frozenset())


def _ontology_subclasses() -> set[URIRef]:
    """Subclasses of aikg:Firm declared in the project's ontology files (for a store without
    the ontology graph)."""
    folder = ontology_dir()
    found: set[URIRef] = set()
    if not folder.is_dir():
        return found
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        if path.name.endswith(".shapes.ttl"):
            continue
        try:
            graph.parse(path, format="turtle")
        except Exception:  # a module being edited must not stop linking
            continue
    for cls in graph.transitive_subjects(RDFS.subClassOf, AIKG_FIRM):
        if isinstance(cls, URIRef):
            found.add(cls)
    return found


def firm_classes(store: Store) -> set[URIRef]:
    """aikg:Firm and every subclass of it known to the store or the project's ontology."""
    classes = {AIKG_FIRM, *_ontology_subclasses()}
    for row in store.select(sparql_text("firm-classes")).rows:
        cls = row.get("class")
        if isinstance(cls, URIRef):
            classes.add(cls)
    return classes


def read_firms(
    store: Store, *, ignore_graphs: Iterable[URIRef] = (), only: Iterable[URIRef] | None = None
) -> list[FirmProfile]:
    """The store's firms, sorted by IRI; statements in ``ignore_graphs`` are not read. With
    ``only``, just those firms, each looked up by its IRI (``kg build --update``)."""
    ignored = set(ignore_graphs)
    lookups: list[dict[str, URIRef]] = (
        [{}] if only is None else [{"firm": iri} for iri in sorted(set(only))]
    )
    names: dict[URIRef, set[str]] = defaultdict(set)
    countries: dict[URIRef, set[str]] = defaultdict(set)
    listings: dict[URIRef, set[Listing]] = defaultdict(set)
    symbols: dict[URIRef, set[str]] = defaultdict(set)
    held: dict[URIRef, dict[IdKind, set[str]]] = defaultdict(lambda: defaultdict(set))
    query = sparql_text("firm-facts")
    for cls in sorted(firm_classes(store)):
        rows = (
            row
            for lookup in lookups
            for row in store.select(query, bindings={"class": cls, **lookup}).rows
        )
        for row in rows:
            firm = row.get("firm")
            if not isinstance(firm, URIRef):
                continue
            names.setdefault(firm, set())
            graph, prop, obj = row.get("g"), row.get("p"), row.get("o")
            if graph in ignored or prop is None or obj is None:
                continue
            if prop in (RDFS.label, SKOS.altLabel) and isinstance(obj, Literal):
                names[firm].add(str(obj))
                if prop == SKOS.altLabel and looks_like_ticker(str(obj)):
                    symbols[firm].add(str(obj))
            elif prop == _LEI:
                held[firm][IdKind.LEI].add(str(obj).strip())
            elif prop == _CIK:
                held[firm][IdKind.CIK].add(str(obj).strip())
            elif prop == SKOS.exactMatch and str(obj).startswith(WIKIDATA_ENTITY):
                held[firm][IdKind.WIKIDATA].add(str(obj))
            elif prop == _HQ and str(obj).startswith(_COUNTRY):
                countries[firm].add(str(obj)[len(_COUNTRY) :].lower())
            elif prop == _TICKER:
                symbol, mic = row.get("symbol"), row.get("mic")
                if symbol is not None:
                    listings[firm].add(Listing(str(symbol), str(mic) if mic is not None else None))
                    symbols[firm].add(str(symbol))
    return [
        FirmProfile(
            iri=firm,
            names=tuple(sorted(names[firm])),
            countries=frozenset(countries[firm]),
            listings=frozenset(listings[firm]),
            symbols=frozenset(symbols[firm]),
            existing={kind: frozenset(values) for kind, values in held[firm].items()},
        )
        for firm in sorted(names)
    ]
