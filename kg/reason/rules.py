"""The rule-shaped part of the ontology, one article graph at a time (``ontology/rules/*.rq``).

What follows from one article's data alone (with the reference data and the ontology) is
written as SPARQL CONSTRUCT rules, one per file: the ``aikg:paysTo`` property chains with
their inverse and super-property, ``owl:inverseOf``, ``rdfs:subPropertyOf`` and the defined
classes ``aikg:AILab``, ``aikg:ChipVendor`` and ``aikg:CloudProvider``. They run on Oxigraph
with ``?g`` bound to one graph, so their cost follows that graph's size, and
``tests/test_materialise.py`` checks them against HermiT (``kg reason``) on the seed dataset.
The transitive closure of ``aikg:capitalFlowsTo`` is not a rule: the rules give the direct
flows; chains of flows are for property paths (``aikg:capitalFlowsTo+``) and ``kg reason``.

:func:`materialise` gives the rules' consequences of some graphs; :func:`supported` asks
whether a graph other than some excluded ones still entails a given triple, with the triple's
terms bound (``kg build --update`` uses both to maintain the inferred graph).

>>> sorted(rule.name for rule in load_rules())  # doctest: +NORMALIZE_WHITESPACE
['ai-lab', 'chip-vendor', 'cloud-provider', 'inverse-of', 'pays-to', 'sub-property-of']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import GRAPH_ONTOLOGY, GRAPH_REFERENCE, ONTOLOGY
from kg.core.paths import ontology_dir
from kg.store.embedded import Store, to_ox

__all__ = ["Rule", "Triple", "Work", "load_rules", "materialise", "rules_dir", "supported"]

Triple = tuple[URIRef, URIRef, URIRef]
_Term = URIRef | Variable

_CONSTRUCT = re.compile(r"^\s*CONSTRUCT\b", re.IGNORECASE | re.MULTILINE)
_WHERE = re.compile(r"^\s*WHERE\s*\{", re.IGNORECASE | re.MULTILINE)


@dataclass
class Work:
    """What an operation read from the store and wrote to it, in triples (quads, rows): the
    measure that ``kg build --update`` keeps proportional to the article."""

    read: int = 0
    written: int = 0
    queries: int = 0


def matched(
    store: Store,
    work: Work,
    s: Node | None,
    p: Node | None,
    o: Node | None,
    g: Node | None,
) -> Iterator[ox.Quad]:
    """The store's quads matching a pattern of rdflib terms (None: any), counted in ``work``."""
    pattern = [None if term is None else to_ox(term) for term in (s, p, o, g)]
    for quad in store.match(*pattern):  # type: ignore[arg-type]
        work.read += 1
        yield quad


@dataclass(frozen=True)
class Rule:
    """One rule file: its CONSTRUCT query, the same body as a SELECT (for support checks) and
    the template's triple patterns."""

    name: str
    path: Path
    construct: str
    select: str
    template: tuple[tuple[_Term, _Term, _Term], ...]

    def bindings(self, triple: Triple) -> Iterator[dict[str, Node]]:
        """The variable bindings under which a template pattern gives ``triple`` (none when
        this rule cannot produce it). A variable in predicate position stands for ``aikg:``
        properties only: the rules filter their results so."""
        for pattern in self.template:
            bound: dict[str, Node] = {}
            for term, value in zip(pattern, triple, strict=True):
                if isinstance(term, Variable):
                    if bound.setdefault(str(term), value) != value:
                        break
                elif term != value:
                    break
            else:
                predicate = pattern[1]
                if isinstance(predicate, Variable) and not str(triple[1]).startswith(ONTOLOGY):
                    continue
                yield bound


def rules_dir() -> Path:
    """``ontology/rules``: the packaged copy, else the checkout's."""
    return ontology_dir() / "rules"


def _parse(path: Path) -> Rule:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the rule: {exc}", file=path) from None
    construct = _CONSTRUCT.search(text)
    where = _WHERE.search(text)
    if construct is None or where is None or where.start() < construct.start():
        raise InputError("a rule is 'CONSTRUCT { ... }' then a line 'WHERE { ... }'", file=path)
    try:
        parsed = prepareQuery(text)
    except Exception as exc:  # pyparsing's errors carry the line
        line = getattr(exc, "lineno", None)
        raise InputError(f"not a SPARQL query: {exc}", file=path, line=line) from None
    template: list[tuple[_Term, _Term, _Term]] = []
    for s, p, o in parsed.algebra.get("template") or ():
        if not all(isinstance(t, URIRef | Variable) for t in (s, p, o)):
            line = text.count("\n", 0, construct.start()) + 1
            raise InputError("the template may hold IRIs and variables only", file=path, line=line)
        template.append((s, p, o))
    if not template:
        raise InputError("a rule must CONSTRUCT at least one triple", file=path)
    body = text[where.end() - 1 :]
    select = f"{text[: construct.start()]}\nSELECT * WHERE {body}"
    return Rule(path.stem, path, text, select, tuple(template))


@lru_cache(maxsize=4)
def _load(folder: Path) -> tuple[Rule, ...]:
    paths = sorted(folder.glob("*.rq"))
    if not paths:
        raise InputError("no rules (*.rq) here", file=folder)
    return tuple(_parse(path) for path in paths)


def load_rules(folder: Path | None = None) -> tuple[Rule, ...]:
    """The rules in ``folder`` (default :func:`rules_dir`), sorted by name."""
    return _load((folder if folder is not None else rules_dir()).resolve())


def _iri(term: object) -> URIRef | None:
    return URIRef(term.value) if isinstance(term, ox.NamedNode) else None


def materialise(
    store: Store,
    *,
    graphs: Iterable[URIRef],
    rules: Sequence[Rule] | None = None,
    work: Work | None = None,
) -> Graph:
    """What the rules infer from each of ``graphs`` (with the store's reference and ontology
    graphs), as one graph: only triples between IRIs, asserted ones included.

    Each rule runs once per graph with ``?g`` bound and the query's dataset restricted to that
    graph, the reference graph and the ontology graph. Pass the reference graph itself for
    what it entails alone.
    """
    chosen = rules if rules is not None else load_rules()
    out = Graph()
    support = [ox.NamedNode(str(GRAPH_REFERENCE)), ox.NamedNode(str(GRAPH_ONTOLOGY))]
    for name in graphs:
        node = ox.NamedNode(str(name))
        dataset: list[ox.NamedNode | ox.BlankNode] = [node, *(g for g in support if g != node)]
        for rule in chosen:
            result = store.query(
                rule.construct,
                substitutions={ox.Variable("g"): node},
                default_graph=[],
                named_graphs=dataset,
            )
            if not isinstance(result, ox.QueryTriples):
                raise InputError("a rule must be a CONSTRUCT query", file=rule.path)
            if work is not None:
                work.queries += 1
            for t in result:
                if work is not None:
                    work.read += 1
                s, p, o = _iri(t.subject), _iri(t.predicate), _iri(t.object)
                if s is not None and p is not None and o is not None:
                    out.add((s, p, o))
    return out


def supported(
    store: Store,
    triple: Triple,
    *,
    excluding: Collection[URIRef],
    rules: Sequence[Rule] | None = None,
    work: Work | None = None,
) -> bool:
    """Whether a graph of the store other than ``excluding`` (with the reference data) entails
    ``triple`` by a rule. The rule's body runs with the triple's terms bound, never pasted:
    the cost is that of the statements about those terms, not of the store."""
    skip = {ox.NamedNode(str(g)) for g in excluding}
    for rule in rules if rules is not None else load_rules():
        for bound in rule.bindings(triple):
            substitutions = _substitutions(bound)
            if work is not None:
                work.queries += 1
            solutions = store.query(rule.select, substitutions=substitutions)
            if not isinstance(solutions, ox.QuerySolutions):
                raise InputError("a rule's body must make a SELECT query", file=rule.path)
            for solution in solutions:
                if work is not None:
                    work.read += 1
                if solution["g"] not in skip:
                    return True
    return False


def _substitutions(
    bound: Mapping[str, Node],
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    out: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {}
    for name, value in bound.items():
        term = to_ox(value)
        if not isinstance(term, ox.NamedNode):
            raise TypeError(f"rules bind IRIs only, not {value!r}")
        out[ox.Variable(name)] = term
    return out
