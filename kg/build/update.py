"""Adding or replacing one article in an existing store (``kg build --update RECORD.yaml``).

Only what depends on the article is touched, and the cost follows the article's size:

* its named graph: the record is mapped, validated alone with the reference data it uses (the
  store's reference triples reachable from the individuals it names; the shapes of ``kg
  validate``), and replaced; individuals are looked up one by one, never by scanning;
* the inferred graph, if the store has one: the rules of ``ontology/rules`` (kg.reason.rules)
  are run over the article's old graph (what may have to go) and its new graph (what comes);
  a triple the old graph entailed stays if another graph still entails it (each rule's body
  asked with the triple's terms bound). Replacing the graph and changing the inferred graph
  is one transaction. The inferred triples that ``kg reason`` wrote and no rule produces are
  left as they are;
* the linksets: firms the record declares or changes (their names or identifiers) are linked
  again, those firms only, against each register whose linkset names an input file that is at
  hand, and their links merged into that linkset graph.

:class:`UpdateSummary` says what was done, and counts the triples read and written
(:class:`kg.reason.rules.Work`): the measure kept proportional to the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from kg.core.namespaces import AIKG
from kg.core.errors import InputError, NonConformingError
from kg.core.iris import BASE, GRAPH_INFERRED, GRAPH_LINKSET, GRAPH_ONTOLOGY, GRAPH_REFERENCE, ONTOLOGY
from kg.records.mapper import Schema, map_record
from kg.reason.rules import Rule, Triple, Work, load_rules, materialise, supported
from kg.core.ontology import load_ontology
from kg.records.reader import declared_individuals, load_records
from kg.store.embedded import Store, from_ox, to_ox, to_ox_quad

__all__ = [
    "GraphValidator",
    "InferredChange",
    "UpdateSummary",
    "shacl_validator",
    "update_record",
]

#: checks one article graph (named) of a scratch store that holds it with the reference data it
#: uses and the ontology; raises :class:`kg.core.errors.NonConformingError` when it does not conform
GraphValidator = Callable[[Store, URIRef], None]

_CAPITAL_FLOWS_TO = AIKG.capitalFlowsTo
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
_THRESHOLDS = re.compile(r"accept ([0-9.]+), review ([0-9.]+)")


@dataclass(frozen=True)
class InferredChange:
    """What the update did to the inferred graph."""

    added: frozenset[Triple]
    removed: frozenset[Triple]

    @property
    def flows_changed(self) -> bool:
        return any(t[1] == _CAPITAL_FLOWS_TO for t in self.added | self.removed)


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did."""

    store: Path
    graph: URIRef
    before: int  # triples in the graph before (0: a new article)
    after: int
    #: None when no validation ran
    conforms: bool | None
    #: None when the store has no inferred graph
    inferred: InferredChange | None = None
    #: one line per linkset (or one saying the links are unchanged)
    links: list[str] = field(default_factory=list)
    work: Work = field(default_factory=Work)

    def lines(self) -> list[str]:
        verb = "replaced" if self.before else "added"
        out = [f"{verb} {self.graph} in {self.store}: {self.before} -> {self.after} triples"]
        if self.inferred is None:
            out.append("inferred: the store has no inferred graph ('kg reason' makes one)")
        else:
            change = self.inferred
            out.append(
                f"inferred: +{len(change.added)} -{len(change.removed)} triples in "
                f"{GRAPH_INFERRED} (the rules of ontology/rules)"
            )
            if change.flows_changed:
                out.append(
                    "note: direct aikg:capitalFlowsTo changed; chains of flows in the inferred "
                    "graph are those of the last 'kg reason' (queries: aikg:capitalFlowsTo+)"
                )
        out += self.links
        out.append(f"work: {self.work.read} triples read, {self.work.written} written")
        return out


class _InStore(Container[URIRef]):
    """Individuals known before mapping: a fixed set, then the store, asked one IRI at a time."""

    def __init__(self, store: Store, fixed: set[URIRef], work: Work) -> None:
        self._store = store
        self._fixed = fixed
        self._work = work

    def __contains__(self, item: object) -> bool:
        if item in self._fixed:
            return True
        if not isinstance(item, URIRef):
            return False
        node = ox.NamedNode(str(item))
        hit = next(self._store.match(node), None)
        self._work.read += 1
        return hit is not None


def _quads(
    store: Store, work: Work, s: Node | None, p: Node | None, o: Node | None, g: Node | None
) -> Iterator[ox.Quad]:
    """``quads_for_pattern`` with rdflib terms (bound values), counting what it reads."""
    pattern = [None if term is None else to_ox(term) for term in (s, p, o, g)]
    for quad in store.match(*pattern):  # type: ignore[arg-type]
        work.read += 1
        yield quad


def _reference_used(store: Store, article: Graph, work: Work | None = None) -> Graph:
    """The reference triples about the IRIs ``article`` names, and about the IRIs those name,
    and so on (a firm's country must be known to be a country): the article's neighbourhood in
    the reference data, not all of it."""
    tally = work if work is not None else Work()
    used = Graph()
    seen: set[URIRef] = set()
    todo = {n for t in article for n in (t[0], t[2]) if isinstance(n, URIRef)}
    while todo:
        found: set[URIRef] = set()
        for iri in todo - seen:
            seen.add(iri)
            for q in _quads(store, tally, iri, None, None, GRAPH_REFERENCE):
                triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                used.add(triple)
                if isinstance(triple[2], URIRef):
                    found.add(triple[2])
        todo = found - seen
    return used


def shacl_validator() -> GraphValidator:
    """The validation of ``kg validate`` (:func:`kg.validate.pyshacl_run.validate_store`) on the one graph:
    violations refused, warnings allowed."""
    from kg.validate.pyshacl_run import Severity, Shapes, validate_store

    shapes = Shapes.load()

    def validate(scratch: Store, name: URIRef) -> None:
        report = validate_store(scratch, graphs=[name], shapes=shapes)
        if not report.conforms:
            first = next(r for r in report.results if r.severity is Severity.VIOLATION)
            raise NonConformingError(f"{name} does not conform: {first.message()}")

    return validate


def _has_graph(store: Store, name: URIRef, work: Work) -> bool:
    work.read += 1
    return store.has_graph(name)


def _read_graph(store: Store, name: URIRef, work: Work) -> Graph:
    graph = Graph(identifier=name)
    for q in _quads(store, work, None, None, None, name):
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


# -- the inferred graph --------------------------------------------------------------------------


def _iri_triples(graph: Graph) -> set[Triple]:
    return {
        (s, p, o)
        for s, p, o in graph
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)
    }


def _scratch(name: URIRef, article: Graph, reference: Graph, store: Store, work: Work) -> Store:
    """An in-memory store with the new article graph, the reference data it reaches and the
    ontology: where the rules see the article as it will be, before the store changes."""
    scratch = Store.in_memory()
    quads = [to_ox_quad(s, p, o, name) for s, p, o in article]
    quads += [to_ox_quad(s, p, o, GRAPH_REFERENCE) for s, p, o in reference]
    quads += list(_quads(store, work, None, None, None, GRAPH_ONTOLOGY))
    scratch.add_quads(quads)
    return scratch


def _refresh_inferred(
    store: Store,
    name: URIRef,
    old: Graph,
    new: Graph,
    scratch: Store,
    work: Work,
) -> InferredChange:
    """Delete and rederive the rules' part of the inferred graph for one replaced article
    (``scratch``: the new article graph with the reference data it uses, see :func:`_scratch`)."""
    rules = load_rules()
    old_out = (
        _iri_triples(materialise(store, graphs=[name], rules=rules, work=work)) if old else set()
    )
    new_out = _iri_triples(materialise(scratch, graphs=[name], rules=rules, work=work))
    new_triples = _iri_triples(new)
    skip = (name, GRAPH_INFERRED)
    skip_nodes = {ox.NamedNode(str(g)) for g in skip}

    def inferred(t: Triple) -> bool:
        return next(_quads(store, work, *t, GRAPH_INFERRED), None) is not None

    def asserted_elsewhere(t: Triple) -> bool:
        return any(q.graph_name not in skip_nodes for q in _quads(store, work, *t, None))

    def entailed_elsewhere(t: Triple) -> bool:
        return supported(store, t, excluding=skip, rules=rules, work=work)

    added: set[Triple] = set()
    removed: set[Triple] = set()
    for t in sorted(new_out - new_triples):
        if not inferred(t) and not asserted_elsewhere(t):
            added.add(t)
    for t in sorted(old_out - new_out):
        if inferred(t) and not entailed_elsewhere(t):
            removed.add(t)
    # a triple the article now states is no longer inferred; one it stopped stating may be
    for t in sorted(new_triples):
        if _produced(t, rules) and inferred(t):
            removed.add(t)
    for t in sorted(_iri_triples(old) - new_triples):
        if not _produced(t, rules) or inferred(t) or asserted_elsewhere(t):
            continue
        if t in new_out or entailed_elsewhere(t):
            added.add(t)
    return InferredChange(frozenset(added), frozenset(removed))


def _produced(triple: Triple, rules: Iterable[Rule]) -> bool:
    return any(next(rule.bindings(triple), None) is not None for rule in rules)


def _apply(
    store: Store,
    name: URIRef,
    graph: Graph,
    change: InferredChange | None,
    work: Work,
) -> None:
    """The article graph replaced and the inferred graph changed, in one SPARQL UPDATE (one
    transaction: readers see the store before or after, never between)."""
    target = ox.NamedNode(str(name))
    parts = [f"DROP SILENT GRAPH {target}"]
    quads = [to_ox_quad(s, p, o, name) for s, p, o in graph]
    if quads:
        parts.append(f"INSERT DATA {{ {_graph_blocks(quads)} }}")
    work.written += len(quads)
    if change is not None:
        gone = [to_ox_quad(*t, GRAPH_INFERRED) for t in sorted(change.removed)]
        came = [to_ox_quad(*t, GRAPH_INFERRED) for t in sorted(change.added)]
        if gone:
            parts.append(f"DELETE DATA {{ {_graph_blocks(gone)} }}")
        if came:
            parts.append(f"INSERT DATA {{ {_graph_blocks(came)} }}")
        work.written += len(gone) + len(came)
    store.update(" ; ".join(parts))


def _graph_blocks(quads: list[ox.Quad]) -> str:
    graphs: dict[str, list[str]] = {}
    for q in quads:
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{ {' '.join(body)} }}" for g, body in graphs.items())


# -- the linksets --------------------------------------------------------------------------------


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
class _Register:
    """What a linkset's provenance says about the register it came from."""

    graph: URIRef
    source: str
    title: str  # the input's label: "SEC company_tickers.json: company_tickers.json"
    file: str | None  # the file name, None for an endpoint
    accept: float | None
    review: float | None


def _registers(store: Store, work: Work) -> list[_Register]:
    from kg.link.linkset import linkset_graph_iri
    from kg.link.pipeline import Source

    schema_url = URIRef("https://schema.org/url")
    found: list[_Register] = []
    for source in Source:
        graph = linkset_graph_iri(source)
        if not _has_graph(store, graph, work):
            continue
        activity = URIRef(f"{BASE}activity/link-{source.value}")
        source_node = URIRef(f"{activity}/input")
        title = next(
            (
                str(from_ox(q.object))
                for q in _quads(store, work, source_node, RDFS.label, None, graph)
            ),
            "",
        )
        endpoint = next(_quads(store, work, source_node, schema_url, None, graph), None)
        name = title.split(": ", 1)[1] if ": " in title and endpoint is None else None
        method = next(
            (
                str(from_ox(q.object))
                for q in _quads(store, work, activity, AIKG.method, None, graph)
            ),
            "",
        )
        numbers = _THRESHOLDS.search(method)
        accept = float(numbers[1]) if numbers else None
        review = float(numbers[2]) if numbers else None
        found.append(_Register(graph, source.value, title, name, accept, review))
    return found


def _refresh_links(store: Store, old: Graph, new: Graph, *, inputs: Path, work: Work) -> list[str]:
    firms = _changed_firms(store, old, new)
    if not firms:
        return ["links: unchanged (no firm declared or changed)"]
    registers = _registers(store, work)
    refs = ", ".join(f.removeprefix(BASE) for f in firms)
    if not registers:
        return [f"links: the store has no linkset ('kg link' makes one; it would link {refs})"]
    lines: list[str] = []
    for register in registers:
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


def _relink(store: Store, register: _Register, path: Path, firms: list[URIRef], work: Work) -> str:
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
    parts = []
    if gone:
        parts.append(f"DELETE DATA {{ {_graph_blocks(gone)} }}")
    if came:
        parts.append(f"INSERT DATA {{ {_graph_blocks(came)} }}")
    if parts:
        store.update(" ; ".join(parts))
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
                for q in _quads(store, work, None, predicate, value, None)
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
            quads.extend(_quads(store, work, firm, predicate, None, graph))
        for q in list(_quads(store, work, None, RDF.subject, firm, graph)):
            quads.extend(_quads(store, work, from_ox(q.subject), None, None, graph))
    return quads


# -- the update ----------------------------------------------------------------------------------


def update_record(
    record_file: Path,
    *,
    store_dir: Path,
    corpus_dir: Path | None = None,
    validate: GraphValidator | None = None,
    allow_invalid: bool = False,
    ontology: Graph | None = None,
    register_dir: Path | None = None,
) -> UpdateSummary:
    """Add or replace the article graph of ``record_file`` in the existing store, and refresh
    what depends on it: the inferred graph (if any) and the links of the firms it declares.

    ``register_dir`` is where the register files named by the linksets are looked for
    (default: the current folder, where 'kg link --input FILE' is usually run).
    """
    if not Path(store_dir).is_dir():
        raise InputError("no store here: run 'kg build' first", file=store_dir)
    records = load_records([Path(record_file)], corpus_dir=corpus_dir)
    schema = Schema.from_graph(ontology if ontology is not None else load_ontology())
    work = Work()
    with Store.open(Path(store_dir)) as store:
        if not _has_graph(store, GRAPH_ONTOLOGY, work):
            raise InputError("not a dataset built by 'kg build'", file=store_dir)
        fixed = set(schema.vocabulary.individuals)
        fixed |= {URIRef(iri) for iri in declared_individuals(records)}
        graph = map_record(records[0], schema=schema, known=_InStore(store, fixed, work))
        name = URIRef(str(graph.identifier))
        if name in (GRAPH_ONTOLOGY, GRAPH_REFERENCE, GRAPH_INFERRED, GRAPH_LINKSET):
            raise InputError(f"the record would replace {name}", file=record_file)
        reference = _reference_used(store, graph, work)
        conforms: bool | None = None
        with _scratch(name, graph, reference, store, work) as scratch:
            if validate is not None:
                try:
                    validate(scratch, name)
                    conforms = True
                except NonConformingError:
                    if not allow_invalid:
                        raise
                    conforms = False
            old = _read_graph(store, name, work)
            change = None
            if _has_graph(store, GRAPH_INFERRED, work):
                change = _refresh_inferred(store, name, old, graph, scratch, work)
        _apply(store, name, graph, change, work)
        work.written += len(old)  # the old graph's triples were deleted
        inputs = register_dir if register_dir is not None else Path.cwd()
        links = _refresh_links(store, old, graph, inputs=inputs, work=work)
        return UpdateSummary(
            Path(store_dir), name, len(old), len(graph), conforms, change, links, work
        )
