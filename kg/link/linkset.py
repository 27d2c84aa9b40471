"""A run's result as RDF (the linkset graph, with PROV-O), as a review file, as explanations.

Each link is a plain triple on the firm (``aikg:lei``, ``aikg:cik``, ``aikg:ticker``,
``skos:exactMatch``, ``aikg:subsidiaryOf``) plus a reified statement with an IRI,
``https://w3id.org/aikg/id/link/<source>/<firm-slug>/<what>``: an ``rdf:Statement`` and
``prov:Entity`` that says which run made it (``prov:wasGeneratedBy``), from what
(``prov:wasDerivedFrom`` the register file or endpoint, with its ``dcterms:issued`` date and,
for a file, its full path as a ``file:`` IRI in ``prov:atLocation``), how
(``sssom:mapping_justification``, a SEMAPV term, and ``rdfs:comment`` listing every feature)
and how sure (``sssom:confidence``). The ontology's ``aikg:confidence`` and ``aikg:sourceFile``
are kept for article evidence (their domains are ``oa:Annotation`` and ``aikg:Article``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg import __version__
from kg.core.atomic import write_bytes_atomically
from kg.core.identifiers import IdKind, listing_slug
from kg.core.iris import BASE, PREFIXES
from kg.core.namespaces import AIKG
from kg.core.terms import to_ox_quad
from kg.link.firms import FirmProfile
from kg.link.match import Candidate, Verdict
from kg.link.pipeline import LinkResult, Source
from kg.store.embedded import Store
from kg.store.formats import RdfFormat

__all__ = [
    "explain_lines",
    "input_location",
    "linkset_graph",
    "linkset_graph_iri",
    "write_graph_file",
    "write_review",
]

SCHEMA = Namespace("https://schema.org/")
#: Simple Standard for Sharing Ontological Mappings, and its justification vocabulary
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")

_TITLES = {
    Source.SEC: "SEC company_tickers.json",
    Source.SEC_EXCHANGE: "SEC company_tickers_exchange.json",
    Source.GLEIF: "GLEIF Level 1 golden copy",
    Source.WIKIDATA: "Wikidata",
}


def linkset_graph_iri(source: Source) -> URIRef:
    """``https://w3id.org/aikg/id/graph/linkset-<source>``: one graph per register, replaced
    whole by each run of that register, so runs of different registers never undo each other."""
    return URIRef(f"{BASE}graph/linkset-{source.value}")


def _activity(source: Source) -> URIRef:
    return URIRef(f"{BASE}activity/link-{source.value}")


def _link_iri(source: Source, firm: FirmProfile, what: str) -> URIRef:
    return URIRef(f"{BASE}link/{source.value}/{firm.slug}/{what}")


def _justification(candidate: Candidate | None) -> URIRef:
    """SEMAPV: a name-based match is lexical; the rest is the register's own cross-reference."""
    if candidate is None:
        return SEMAPV.DatabaseCrossReference
    return SEMAPV.LexicalMatching


def _evidence(candidate: Candidate) -> str:
    return candidate.summary()


def _annotate(
    graph: Graph,
    node: URIRef,
    triple: tuple[URIRef, URIRef, URIRef | Literal],
    result: LinkResult,
    *,
    justification: URIRef,
    confidence: float,
    comment: str,
) -> None:
    source = result.info.source
    subject, predicate, obj = triple
    graph.add(triple)
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasGeneratedBy, _activity(source)))
    graph.add((node, PROV.wasDerivedFrom, URIRef(f"{_activity(source)}/input")))
    graph.add((node, SSSOM.mapping_justification, justification))
    graph.add((node, SSSOM.confidence, Literal(Decimal(f"{confidence:.4f}"), datatype=XSD.decimal)))
    graph.add((node, RDFS.comment, Literal(comment, lang="en")))


def input_location(store: Store, source: Source) -> Path | None:
    """The register file a linkset in ``store`` was made from, as its provenance records it
    (``prov:atLocation`` of the run's input, a ``file:`` IRI); None for an endpoint, an older
    linkset without it, or no linkset of ``source``."""
    quads = store.match(
        ox.NamedNode(f"{_activity(source)}/input"),
        ox.NamedNode(str(PROV.atLocation)),
        None,
        ox.NamedNode(str(linkset_graph_iri(source))),
    )
    for quad in quads:
        location = quad.object
        if isinstance(location, ox.NamedNode) and location.value.startswith("file:"):
            return Path(url2pathname(urlsplit(location.value).path))
    return None


def _provenance(graph: Graph, result: LinkResult, ended: dt.datetime) -> None:
    info = result.info
    activity = _activity(info.source)
    source_node = URIRef(f"{activity}/input")
    agent = URIRef(f"{BASE}agent/aikg-link-{__version__.replace('.', '-')}")
    th = result.thresholds
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"kg link --source {info.source.value}", lang="en")))
    graph.add((activity, PROV.used, source_node))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((activity, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    graph.add(
        (activity, AIKG.method, Literal(f"linked by score: accept {th.accept}, review {th.review}"))
    )
    graph.add((activity, AIKG.acceptThreshold, Literal(Decimal(str(th.accept)))))
    graph.add((activity, AIKG.reviewThreshold, Literal(Decimal(str(th.review)))))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"aikg {__version__} (kg link)", lang="en")))
    graph.add((source_node, RDF.type, PROV.Entity))
    graph.add(
        (source_node, RDFS.label, Literal(f"{_TITLES[info.source]}: {info.location}", lang="en"))
    )
    graph.add((source_node, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    if info.is_endpoint:
        graph.add((source_node, SCHEMA.url, URIRef(info.location)))
    elif info.path is not None:
        # the file's full path next to its name, so `kg build --update` finds it from any folder
        graph.add((source_node, PROV.atLocation, URIRef(info.path.as_uri())))


def linkset_graph(result: LinkResult, *, ended: dt.datetime | None = None) -> Graph:
    """The run's linkset: links, listings, parent companies, and their provenance."""
    source = result.info.source
    graph = Graph(identifier=linkset_graph_iri(source))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("listing", BASE + "listing/")
    _provenance(graph, result, ended or dt.datetime.now(dt.UTC).replace(microsecond=0))
    for d in result.decisions:
        if not d.is_link or d.candidate is None:
            continue
        c = d.candidate
        value: URIRef | Literal
        if result.kind is IdKind.WIKIDATA:
            predicate, value = SKOS.exactMatch, URIRef(c.identifier)
        elif result.kind is IdKind.LEI:
            predicate, value = AIKG.lei, Literal(c.identifier)
        else:
            predicate, value = AIKG.cik, Literal(c.identifier)
        _annotate(
            graph,
            _link_iri(source, d.firm, str(result.kind)),
            (d.firm.iri, predicate, value),
            result,
            justification=_justification(c),
            confidence=c.score,
            comment=f"{d.verdict.value}: {d.reason}. {_evidence(c)}",
        )
    for link in result.listings:
        mic = link.listing.mic or ""
        slug = listing_slug(link.listing.symbol, mic)
        node = URIRef(f"{BASE}listing/{slug}")
        graph.add((node, RDF.type, AIKG.Listing))
        graph.add((node, AIKG.symbol, Literal(link.listing.symbol)))
        graph.add((node, AIKG.mic, Literal(mic)))
        label = f"{link.listing.symbol} ({mic})"
        graph.add((node, RDFS.label, Literal(label, lang="en")))
        _annotate(
            graph,
            _link_iri(source, link.firm, f"ticker-{slug}"),
            (link.firm.iri, AIKG.ticker, node),
            result,
            justification=_justification(None),
            confidence=link.candidate.score,
            comment=f"ticker of {link.candidate.record.kind} {link.candidate.identifier}",
        )
    for sub in result.subsidiaries:
        _annotate(
            graph,
            _link_iri(source, sub.child, f"subsidiary-of-{sub.parent.slug}"),
            (sub.child.iri, AIKG.subsidiaryOf, sub.parent.iri),
            result,
            justification=_justification(None),
            confidence=1.0,
            comment=(
                f"GLEIF Level 2 line {sub.line}: {sub.child_lei} IS_DIRECTLY_CONSOLIDATED_BY "
                f"{sub.parent_lei}"
            ),
        )
    return graph


def write_graph_file(graph: Graph, path: Path, *, fmt: RdfFormat | None = None) -> None:
    """Write the linkset to ``path`` (format from the extension unless ``fmt``), atomically; a
    format that names graphs puts the triples in the linkset's graph."""
    fmt = fmt or RdfFormat.for_path(Path(path))
    name = URIRef(str(graph.identifier))
    quads = [to_ox_quad(s, p, o, name) for s, p, o in graph]
    statements = quads if fmt.has_graphs else [q.triple for q in quads]
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p}
    data = ox.serialize(statements, format=fmt.oxigraph, prefixes=prefixes) or b""
    write_bytes_atomically(path, data)


_REVIEW_COLUMNS = (
    "firm",
    "verdict",
    "kind",
    "identifier",
    "register_name",
    "row",
    "score",
    "reason",
    "features",
)


def _review_rows(result: LinkResult) -> Iterator[tuple[str, ...]]:
    band = result.thresholds.review
    for d in result.decisions:
        if d.verdict not in (Verdict.REVIEW, Verdict.CONFLICT):
            continue
        shown = [d.candidate] if d.candidate is not None else []
        if d.verdict is Verdict.REVIEW:
            shown += [c for c in d.considered if c is not d.candidate and c.score >= band]
        if not shown:
            yield (d.firm.ref, d.verdict.value, str(result.kind), "", "", "", "", d.reason, "")
        for c in shown:
            yield (
                d.firm.ref,
                d.verdict.value,
                str(result.kind),
                c.identifier,
                c.record.display_name,
                str(c.record.row),
                f"{c.score:.2f}",
                d.reason,
                "; ".join(str(f) for f in c.features),
            )
    for note in result.notes:
        firm, _, reason = note.partition(": ")
        yield (firm, Verdict.CONFLICT.value, "ticker", "", "", "", "", reason, "")


def write_review(result: LinkResult, path: Path) -> int:
    """The lines a person should look at (review band, ambiguities, conflicts), as CSV.

    Returns the number of lines written after the header.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_REVIEW_COLUMNS)
    count = 0
    for row in _review_rows(result):
        writer.writerow(row)
        count += 1
    write_bytes_atomically(path, buffer.getvalue().encode("utf-8"))
    return count


def explain_lines(result: LinkResult, *, top: int = 3) -> Iterator[str]:
    """Why each decision was made: the verdict, then the best candidates with their features."""
    for d in result.decisions:
        chosen = f" {result.kind} {d.candidate.identifier}" if d.candidate is not None else ""
        yield f"{d.firm.ref}: {d.verdict.value}{chosen} -- {d.reason}"
        for c in d.considered[:top]:
            yield f"    {c.summary()}"
    for sub in result.subsidiaries:
        yield f"{sub.child.ref}: subsidiary of {sub.parent.ref} (GLEIF Level 2 line {sub.line})"
    yield from result.notes
