"""Minting the dataset's IRIs: ``https://w3id.org/aikg/id/<kind>/<slug>``, graphs, prefixes."""

from __future__ import annotations

import re

from rdflib import URIRef

__all__ = [
    "BASE",
    "DERIVED_GRAPHS",
    "GRAPH_CONFLICTS",
    "GRAPH_FLOWS",
    "GRAPH_INFERRED",
    "GRAPH_LINKSET",
    "GRAPH_ONTOLOGY",
    "GRAPH_REFERENCE",
    "ONTOLOGY",
    "PREFIXES",
    "SLUG",
    "article_iri",
    "individual",
    "parse_ref",
]

ONTOLOGY = "https://w3id.org/aikg/ontology#"
BASE = "https://w3id.org/aikg/id/"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KIND = re.compile(r"[a-z]+")

GRAPH_ONTOLOGY = URIRef(BASE + "graph/ontology")
GRAPH_REFERENCE = URIRef(BASE + "graph/reference")
GRAPH_LINKSET = URIRef(BASE + "graph/linkset")
GRAPH_INFERRED = URIRef(BASE + "graph/inferred")
#: derived by kg build from the article graphs: pairs of articles that disagree
GRAPH_CONFLICTS = URIRef(BASE + "graph/conflicts")
#: derived by kg build from the article graphs: who pays whom, under which deals
GRAPH_FLOWS = URIRef(BASE + "graph/flows")
#: the graphs kg build derives from the article graphs (kg.build.derived): not validated, not
#: reasoned over, never replaced by a record
DERIVED_GRAPHS = frozenset({GRAPH_CONFLICTS, GRAPH_FLOWS})

#: the prefixes used in exports, queries and messages
PREFIXES: dict[str, str] = {
    "aikg": ONTOLOGY,
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "unit": "http://qudt.org/vocab/unit/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "firm": BASE + "firm/",
    "person": BASE + "person/",
    "chip": BASE + "chip/",
    "architecture": BASE + "architecture/",
    "datacenter": BASE + "datacenter/",
    "country": BASE + "country/",
    "deal": BASE + "deal/",
    "article": BASE + "article/",
    "region": BASE + "region/",
    "model": BASE + "model/",
    "event": BASE + "event/",
    "agency": BASE + "agency/",
    "listing": BASE + "listing/",
    "claim": BASE + "claim/",
    "metric": BASE + "metric/",
    "index": BASE + "index/",
    "market": BASE + "market/",
    "conflict": BASE + "conflict/",
}


def individual(kind: str, slug: str) -> URIRef:
    """The IRI of an individual.

    >>> individual("firm", "nvidia")
    rdflib.term.URIRef('https://w3id.org/aikg/id/firm/nvidia')
    >>> individual("firm", "NVIDIA")
    Traceback (most recent call last):
    ...
    ValueError: slug 'NVIDIA' is not lower-case ASCII words joined by hyphens
    """
    if not _KIND.fullmatch(kind):
        raise ValueError(f"kind {kind!r} is not a lower-case word")
    if not SLUG.fullmatch(slug):
        raise ValueError(f"slug {slug!r} is not lower-case ASCII words joined by hyphens")
    return URIRef(f"{BASE}{kind}/{slug}")


def article_iri(article_id: str) -> URIRef:
    """The article's IRI, which is also the IRI of its named graph."""
    return individual("article", article_id)


def parse_ref(ref: str) -> URIRef:
    """``kind/slug`` as written in records and parameters → the individual's IRI.

    >>> parse_ref("chip/h200")
    rdflib.term.URIRef('https://w3id.org/aikg/id/chip/h200')
    """
    kind, sep, slug = ref.partition("/")
    if not sep:
        raise ValueError(f"{ref!r} is not of the form kind/slug")
    return individual(kind, slug)
