"""The links of the firms one article declares or changes, made again (``kg build --update``).

Those firms only are linked again, against each register whose linkset names an input file
that is at hand, with the thresholds the linkset's run stated (``aikg:acceptThreshold``,
``aikg:reviewThreshold``), and their links merged into that linkset graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from kg.core.iris import BASE, GRAPH_LINKSET
from kg.core.namespaces import AIKG
from kg.core.terms import from_ox, to_ox_quad
from kg.reason.rules import Work, matched
from kg.store.embedded import Store

__all__ = ["Register", "refresh_links", "registers"]

#: what a firm is known by to the linker: a change in these in the record means linking again
_FIRM_NAMES = frozenset(
    {
        RDFS.label,
        SKOS.altLabel,
        AIKG.lei,
        AIKG.cik,
        AIKG.ticker,
        SKOS.exactMatch,
        AIKG.headquarteredIn,
    }
)
#: the statements a linkset makes about a firm
_LINK_PREDICATES = (
    AIKG.lei,
    AIKG.cik,
    AIKG.ticker,
    AIKG.subsidiaryOf,
    SKOS.exactMatch,
)
#: identifiers one firm only may hold
_UNIQUE = (AIKG.lei, AIKG.cik, SKOS.exactMatch)


def _named_firms(graph: Graph, classes: set[URIRef]) -> dict[URIRef, frozenset[tuple[Node, Node]]]:
    """The firms ``graph`` types, with the names and identifiers it gives each."""
    out: dict[URIRef, frozenset[tuple[Node, Node]]] = {}
    for firm, cls in graph.subject_objects(RDF.type):
        if isinstance(firm, URIRef) and cls in classes:
            out[firm] = frozenset(
                (p, o) for p, o in graph.predicate_objects(firm) if p in _FIRM_NAMES
            )
    return out


def _changed_firms(store: Store, old: Graph, new: Graph) -> list[URIRef]:
    from kg.link.firms import firm_classes

    classes = firm_classes(store)
    before = _named_firms(old, classes)
    after = _named_firms(new, classes)
    return sorted(f for f, names in after.items() if names and names != before.get(f, frozenset()))


@dataclass(frozen=True)
class Register:
    """What a linkset's provenance says about the register it came from."""

    graph: URIRef
    source: str
    title: str  # the input's label: "SEC company_tickers.json: company_tickers.json"
    file: str | None  # the file name, None for an endpoint
    accept: float | None
    review: float | None


def registers(store: Store, work: Work) -> list[Register]:
    from kg.link.linkset import linkset_graph_iri
    from kg.link.pipeline import Source

    schema_url = URIRef("https://schema.org/url")
    found: list[Register] = []
    for source in Source:
        graph = linkset_graph_iri(source)
        work.read += 1
        if not store.has_graph(graph):
            continue
        activity = URIRef(f"{BASE}activity/link-{source.value}")
        source_node = URIRef(f"{activity}/input")
        title = next(
            (
                str(from_ox(q.object))
                for q in matched(store, work, source_node, RDFS.label, None, graph)
            ),
            "",
        )
        endpoint = next(matched(store, work, source_node, schema_url, None, graph), None)
        name = title.split(": ", 1)[1] if ": " in title and endpoint is None else None
        accept = _decimal(store, work, activity, AIKG.acceptThreshold, graph)
        review = _decimal(store, work, activity, AIKG.reviewThreshold, graph)
        found.append(Register(graph, source.value, title, name, accept, review))
    return found


def _decimal(
    store: Store, work: Work, node: URIRef, predicate: URIRef, graph: URIRef
) -> float | None:
    """The number a typed literal states (``node predicate n`` in ``graph``), if any."""
    for quad in matched(store, work, node, predicate, None, graph):
        value = from_ox(quad.object)
        if isinstance(value, Literal) and isinstance(value.toPython(), Decimal | int | float):
            return float(value.toPython())
    return None


def refresh_links(store: Store, old: Graph, new: Graph, *, inputs: Path, work: Work) -> list[str]:
    firms = _changed_firms(store, old, new)
    if not firms:
        return ["links: unchanged (no firm declared or changed)"]
    found = registers(store, work)
    refs = ", ".join(f.removeprefix(BASE) for f in firms)
    if not found:
        return [f"links: the store has no linkset ('kg link' makes one; it would link {refs})"]
    lines: list[str] = []
    for register in found:
        from kg.link.linkset import input_location
        from kg.link.pipeline import Source

        recorded = input_location(store, Source(register.source))
        if recorded is not None and recorded.is_file():
            path: Path | None = recorded  # where the linkset says its register file is
        else:
            path = inputs / register.file if register.file is not None else None
        if path is None or not path.is_file():
            where = (
                f"{register.file} is not in {inputs}"
                if register.file is not None
                else f"it came from an endpoint ({register.title})"
            )
            lines.append(
                f"links: {register.source}: {where}; re-run 'kg link --source {register.source}' "
                f"to link {refs}"
            )
            continue
        lines.append(_relink(store, register, path, firms, work))
    return lines


def _relink(store: Store, register: Register, path: Path, firms: list[URIRef], work: Work) -> str:
    """Link ``firms`` against one register file and merge the links into its linkset graph."""
    from kg.link.firms import read_firms
    from kg.link.linkset import linkset_graph
    from kg.link.match import Thresholds, Verdict
    from kg.link.pipeline import LinkResult, Source, link_gleif, link_sec, link_wikidata

    source = Source(register.source)
    thresholds = (
        Thresholds(accept=register.accept, review=register.review)
        if register.accept is not None and register.review is not None
        else Thresholds()
    )
    profiles = read_firms(store, ignore_graphs={register.graph, GRAPH_LINKSET}, only=firms)
    result: LinkResult
    if source is Source.GLEIF:
        result = link_gleif(profiles, path, thresholds=thresholds)
    elif source is Source.WIKIDATA:
        result = link_wikidata(profiles, path=path, thresholds=thresholds)
    else:
        exchange = source is Source.SEC_EXCHANGE
        result = link_sec(profiles, path, exchange=exchange, thresholds=thresholds)
    graph = linkset_graph(result)
    activity = URIRef(f"{BASE}activity/link-{source.value}")
    agents = set(graph.subjects(RDF.type, PROV.SoftwareAgent))
    provenance = {activity, URIRef(f"{activity}/input"), *agents}
    notes: list[str] = []
    refused = _refused(store, graph, set(firms), work, notes)
    relinked = [f for f in firms if f not in refused]
    reified = {s for s, f in graph.subject_objects(RDF.subject) if f in refused}
    came = [
        to_ox_quad(s, p, o, register.graph)
        for s, p, o in graph
        if s not in provenance and s not in reified and not (s in refused and p in _LINK_PREDICATES)
    ]
    gone = _links_of(store, register.graph, relinked, work)
    store.change(delete=gone, insert=came)
    work.written += len(gone) + len(came)
    linked = sorted(d.firm.ref for d in result.decisions if d.is_link and d.firm.iri in relinked)
    review = result.count(Verdict.REVIEW)
    text = (
        f"links: {register.source}: {len(firms)} firm(s) linked again from {path.name}: "
        f"{len(linked)} linked ({', '.join(linked) or 'none'}), {review} to review; "
        f"{register.graph} updated"
    )
    return "; ".join([text, *notes])


def _refused(
    store: Store, graph: Graph, firms: set[URIRef], work: Work, notes: list[str]
) -> set[URIRef]:
    """Firms the run would give an identifier that another firm holds (in any graph): their
    links are left as they were, and a note says why."""
    refused: set[URIRef] = set()
    for predicate in _UNIQUE:
        for firm, value in graph.subject_objects(predicate):
            if not isinstance(firm, URIRef) or firm not in firms:
                continue
            holders = {
                from_ox(q.subject)
                for q in matched(store, work, None, predicate, value, None)
                if from_ox(q.subject) != firm
            }
            if holders:
                refused.add(firm)
                names = ", ".join(sorted(str(h).removeprefix(BASE) for h in holders))
                notes.append(
                    f"{firm.removeprefix(BASE)} not linked: {value} already belongs to {names}"
                )
    return refused


def _links_of(store: Store, graph: URIRef, firms: list[URIRef], work: Work) -> list[ox.Quad]:
    """The linkset's statements about ``firms``: their links and the reified statements."""
    quads: list[ox.Quad] = []
    for firm in firms:
        for predicate in _LINK_PREDICATES:
            quads.extend(matched(store, work, firm, predicate, None, graph))
        for q in list(matched(store, work, None, RDF.subject, firm, graph)):
            quads.extend(matched(store, work, from_ox(q.subject), None, None, graph))
    return quads
