"""(Longer than 500 lines on purpose: one compiler, one method per family of SHACL Core
constraint components; split, one translation would be scattered over several files.)

The fast validation path: the project's SHACL shapes compiled into SPARQL SELECT queries that
return the violating focus nodes, run by Oxigraph over every graph of the store at once.

pyshacl validates one rdflib graph at a time and pays a large fixed cost per call, so validating
10,000 article graphs one call each is slower than one pass over the union. Here each shape (and
each of its constraints) becomes one query over the whole store, answering, for every graph
``g`` at once, "which focus nodes of ``g`` violate it". Only when a query finds something does
pyshacl run, on the affected graphs alone, to write the detailed standard report.

The data graph of an article graph ``g`` is ``g`` plus the reference graph plus the ontology,
as ``kg validate`` validates it: each triple pattern ``s p o`` of a compiled query is
``{ GRAPH ?g { s p o } } UNION { s p o }`` with the query's default graph set to the reference
graph and the ontology (Oxigraph's ``default_graph`` option). A focus node belongs to ``g`` when
the triple that makes it a target (its ``rdf:type``, or the ``p`` of ``sh:targetSubjectsOf p``)
is in ``g``; ``?g`` also ranges over the reference graph, which so is validated on its own.

The compiler covers the SHACL Core subset the shapes use: targets (``targetClass``,
``targetSubjectsOf``, ``targetObjectsOf``, ``targetNode``), paths (predicate, inverse,
sequence, alternative), ``minCount``, ``maxCount``, ``datatype``, ``class``, ``nodeKind``,
``in``, ``hasValue``, ``pattern``, ``min/maxInclusive``, ``min/maxExclusive``,
``min/maxLength``, ``languageIn``, ``uniqueLang``, ``disjoint``, ``equals``, ``lessThan``,
``lessThanOrEquals``, ``node``, ``not``, ``and``, ``or``, ``qualifiedValueShape`` with
``qualifiedMin/MaxCount``, and SPARQL-based constraints (``sh:sparql`` with a SELECT over
``$this``, triple patterns rewritten as above), with severities. Anything else (``sh:closed``,
``sh:xone``, ``$PATH``, transitive paths, an unknown custom function ...) makes the compiler
report the shape as unsupported: :func:`check_store` then says which shapes pyshacl must
validate itself, so nothing is ever silently passed.

>>> from rdflib import Graph
>>> shapes = Graph().parse(format="turtle", data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...     sh:property [ sh:path ex:name ; sh:minCount 1 ] .
... ''')
>>> compiled = compile_shapes(shapes)
>>> [(c.component, c.severity.split("#")[1]) for c in compiled.checks]
[('MinCountConstraintComponent', 'Violation')]
>>> compiled.unsupported
[]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.core.terms import escape_string, nt
from kg.validate.sparql_constraints import Unsupported, filter_expression, rewrite_select

__all__ = [
    "Check",
    "CompiledShapes",
    "DefaultGraph",
    "Finding",
    "Unsupported",
    "compile_shapes",
]

_XSD = str(XSD)

#: lexical forms of the datatypes whose ill-formed literals pyshacl reports (others: any form)
_LEXICAL: dict[str, str] = {
    _XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    _XSD + "integer": r"^[+-]?[0-9]+$",
    _XSD + "int": r"^[+-]?[0-9]+$",
    _XSD + "nonNegativeInteger": r"^(\+?[0-9]+|-0+)$",
    _XSD + "positiveInteger": r"^\+?0*[1-9][0-9]*$",
    _XSD + "boolean": r"^(true|false|1|0)$",
    _XSD
    + "date": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    _XSD + "gYearMonth": r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    _XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    _XSD + "duration": r"^-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?"
    r"(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
#: parameters the compiler understands (with the shape-level ones); any other sh: term on a
#: shape makes it unsupported
_KNOWN = {
    *(SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode),
    *(SH.path, SH.property, SH.severity, SH.message, SH.name, SH.description, SH.order),
    *(SH.group, SH.defaultValue, SH.deactivated, SH.minCount, SH.maxCount, SH.datatype),
    *(SH["class"], SH.nodeKind, SH["in"], SH.hasValue, SH.pattern, SH.flags),
    *(SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive),
    *(SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.disjoint, SH.equals),
    *(SH.lessThan, SH.lessThanOrEquals, SH.node, SH["not"], SH["and"], SH["or"]),
    *(SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount),
    *(SH.qualifiedValueShapesDisjoint, SH.sparql),
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: its query returns ``?g ?this`` for each violation."""

    shape: Node
    component: str
    severity: URIRef
    query: str
    #: the top-level shape (the one with the target) the constraint belongs to
    top: Node | None = None


@dataclass(frozen=True)
class Finding:
    """A focus node of a graph that violates a shape's constraint."""

    graph: str
    focus: str
    shape: str
    component: str
    severity: str
    #: the top-level shape the constraint belongs to
    top: str = ""
    #: the focus node is an IRI (else a blank node or a literal)
    iri: bool = True


@dataclass(frozen=True)
class CompiledShapes:
    """The checks, and the top-level shapes that pyshacl must validate itself (with why)."""

    checks: list[Check]
    unsupported: list[tuple[Node, str]]


# -- SPARQL text of terms --------------------------------------------------------------------------
def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported(f"a blank node {node} where a constant is needed")
    return nt(node)


def _count(node: Node) -> int:
    """A count parameter (sh:minCount ...) as an int."""
    if not isinstance(node, Literal) or not isinstance(node.toPython(), int):
        raise Unsupported(f"the count {node!r} is not an integer")
    return int(node.toPython())


def _string(text: str) -> str:
    return f'"{escape_string(text)}"'


# -- the compiler ------------------------------------------------------------------------------
@dataclass
class _Compiler:
    shapes: Graph
    #: the predicates of the default graph (None: unknown); a triple pattern whose predicate is
    #: not among them can only match in ``?g``
    default_predicates: frozenset[str] | None = None
    #: class → its direct subclasses, from the default graph (None: read by the queries)
    hierarchy: dict[str, frozenset[str]] | None = None
    #: the classes the default graph's rdf:type triples name (None: unknown)
    default_types: frozenset[str] | None = None
    graph_var: str = "?g"
    counter: Iterator[int] = field(default_factory=itertools.count)
    declared: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.declared = self.prefixes()

    def subclasses(self, cls: Node) -> list[str]:
        """``cls`` and its subclasses (from :attr:`hierarchy`), as SPARQL terms."""
        found, todo = {str(cls)}, [str(cls)]
        children = self.hierarchy or {}
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return [f"<{c}>" for c in sorted(found)]

    def subclass_of(self, t: str, cls: Node) -> str:
        """A pattern or filter true when the class ``t`` (bound) is ``cls`` or a subclass."""
        if self.hierarchy is None:
            return f"{t} <{RDFS.subClassOf}>* {_term(cls)}"
        return f"FILTER ({t} IN ({', '.join(self.subclasses(cls))}))"

    def var(self, stem: str = "v") -> str:
        return f"?{stem}_{next(self.counter)}"

    def predicate_iri(self, p: str) -> str | None:
        """The IRI of a predicate written ``<iri>`` or ``prefix:local``; None for variables and
        path expressions."""
        if p.startswith("<") and p.endswith(">") and p.count("<") == 1:
            return p[1:-1]
        match = re.fullmatch(r"([A-Za-z][\w-]*)?:([\w-]*)", p)
        if match and (match.group(1) or "") in self.declared:
            return self.declared[match.group(1) or ""] + match.group(2)
        if p == "a":
            return str(RDF.type)
        return None

    def tp(self, s: str, p: str, o: str) -> str:
        """A triple of the data graph: in graph ``?g`` or in the default graph."""
        local = f"GRAPH {self.graph_var} {{ {s} {p} {o} }}"
        iri = self.predicate_iri(p)
        if iri is not None and not self.in_default(iri, self.default_predicates):
            return local
        return f"{{ {local} }} UNION {{ {s} {p} {o} }}"

    # -- paths --------------------------------------------------------------------------------
    def path(self, path: Node, s: str, o: str) -> str:
        if isinstance(path, URIRef):
            return self.tp(s, _term(path), o)
        if not isinstance(path, BNode):
            raise Unsupported(f"the path {path!r}")
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return self.path(inverse, o, s)
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            members = list(Collection(self.shapes, alternatives))
            return " UNION ".join(f"{{ {self.path(m, s, o)} }}" for m in members)
        if self.shapes.value(path, RDF.first) is not None:
            steps = list(Collection(self.shapes, path))
            ends = [s, *(self.var("p") for _ in steps[:-1]), o]
            return " ".join(self.path(step, ends[i], ends[i + 1]) for i, step in enumerate(steps))
        raise Unsupported("transitive or optional paths (zeroOrMore, oneOrMore, zeroOrOne)")

    # -- shapes -------------------------------------------------------------------------------
    def params(self, shape: Node) -> dict[URIRef, list[Node]]:
        found: dict[URIRef, list[Node]] = {}
        for p, o in self.shapes.predicate_objects(shape):
            if isinstance(p, URIRef) and str(p).startswith(str(SH)) and p != RDF.type:
                if p not in _KNOWN:
                    raise Unsupported(f"sh:{str(p)[len(str(SH)) :]}")
                found.setdefault(p, []).append(o)
        return found

    def one(self, params: dict[URIRef, list[Node]], key: URIRef) -> Node | None:
        values = params.get(key, [])
        if len(values) > 1:
            raise Unsupported(f"more than one sh:{str(key)[len(str(SH)) :]} on one shape")
        return values[0] if values else None

    def branches(
        self, shape: Node, focus: str, *, properties: bool = True, top: bool = False
    ) -> list[tuple[str, str]]:
        """(component, pattern) for each way ``focus`` can violate ``shape`` (with its property
        shapes unless ``properties`` is false). SPARQL constraints are compiled separately.
        ``top``: ``focus`` is bound by the flat patterns of a check (every focus node of the
        store, or every value of theirs), not inside ``EXISTS``, so counts are written as set
        operations (see :meth:`property_branches`)."""
        params = self.params(shape)
        if self.one(params, SH.deactivated) == Literal(True):
            return []
        path = self.one(params, SH.path)
        out: list[tuple[str, str]] = []
        if path is None:
            if SH.sparql in params and focus != "?this":
                raise Unsupported("sh:sparql in a shape used by another shape")
            out += self.value_branches(params, focus, top=top)
        else:
            out += self.property_branches(params, path, focus, top=top)
        if properties:
            for prop in params.get(SH.property, []):
                out += self.branches(prop, focus, top=top)
        return out

    def violates(self, shape: Node, focus: str) -> str:
        """A pattern that has a solution when ``focus`` does not conform to ``shape``."""
        found = self.branches(shape, focus)
        if not found:
            return "FILTER (false)"
        return " UNION ".join(f"{{ {pattern} }}" for _, pattern in found)

    def violation(self, shape: Node, focus: str) -> str:
        """An expression, true when ``focus`` does not conform to ``shape``: a plain filter
        when every constraint of the shape is one (no pattern to match), else ``EXISTS``."""
        found = self.branches(shape, focus)
        exprs = [filter_expression(pattern) for _, pattern in found]
        if all(e is not None for e in exprs):
            return "(" + (" || ".join(f"({e})" for e in exprs) or "false") + ")"
        return f"EXISTS {{ {' UNION '.join(f'{{ {p} }}' for _, p in found)} }}"

    def value_branches(
        self, params: dict[URIRef, list[Node]], v: str, *, top: bool = False
    ) -> list[tuple[str, str]]:
        """Constraints on one value node ``v`` (the focus of a node shape, or a value of a
        property shape); ``top`` as for :meth:`branches`."""
        out: list[tuple[str, str]] = []
        for cls in params.get(SH["class"], []):
            t = self.var("t")
            out.append(
                (
                    "ClassConstraintComponent",
                    f"FILTER NOT EXISTS {{ {self.tp(v, '<' + str(RDF.type) + '>', t)} "
                    f"{self.subclass_of(t, cls)} }}",
                )
            )
        for datatype in params.get(SH.datatype, []):
            out.append(("DatatypeConstraintComponent", f"FILTER (!({self.datatype(v, datatype)}))"))
        for kind in params.get(SH.nodeKind, []):
            if not isinstance(kind, URIRef) or kind not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind}")
            out.append(
                ("NodeKindConstraintComponent", f"FILTER (!{_NODE_KINDS[kind].format(v=v)})")
            )
        for members in params.get(SH["in"], []):
            items = list(Collection(self.shapes, members))
            test = " || ".join(f"sameTerm({v}, {_term(m)})" for m in items) or "false"
            out.append(("InConstraintComponent", f"FILTER (!({test}))"))
        flags = self.one(params, SH.flags)
        for pattern in params.get(SH.pattern, []):
            args = f"STR({v}), {_string(str(pattern))}"
            if flags is not None:
                args += f", {_string(str(flags))}"
            out.append(("PatternConstraintComponent", f"FILTER (isBlank({v}) || !REGEX({args}))"))
        for key, op in _COMPARISONS.items():
            for bound in params.get(key, []):
                component = f"{str(key)[len(str(SH)) :]}ConstraintComponent"
                component = component[0].upper() + component[1:]
                out.append((component, f"FILTER (!COALESCE({v} {op} {_term(bound)}, false))"))
        for key, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for bound in params.get(key, []):
                component = "MinLengthConstraintComponent"
                if key == SH.maxLength:
                    component = "MaxLengthConstraintComponent"
                test = f"!isBlank({v}) && STRLEN(STR({v})) {op} {_count(bound)}"
                out.append((component, f"FILTER (!COALESCE({test}, false))"))
        for languages in params.get(SH.languageIn, []):
            tags = [str(t) for t in Collection(self.shapes, languages)]
            test = " || ".join(f"LANGMATCHES(LANG({v}), {_string(t)})" for t in tags) or "false"
            out.append(("LanguageInConstraintComponent", f"FILTER (!COALESCE({test}, false))"))
        for node in params.get(SH.node, []):
            # one branch per way of violating the node shape: flat queries plan far better
            # than one EXISTS over a union of them
            for _, inner in self.branches(node, v, top=top):
                out.append(("NodeConstraintComponent", inner))
        for negated in params.get(SH["not"], []):
            out.append(("NotConstraintComponent", f"FILTER (!{self.violation(negated, v)})"))
        for members in params.get(SH["and"], []):
            parts = [self.violation(m, v) for m in Collection(self.shapes, members)]
            test = " || ".join(parts) or "false"
            out.append(("AndConstraintComponent", f"FILTER ({test})"))
        for members in params.get(SH["or"], []):
            parts = [self.violation(m, v) for m in Collection(self.shapes, members)]
            test = " && ".join(parts) or "true"
            out.append(("OrConstraintComponent", f"FILTER ({test})"))
        if SH.hasValue in params and SH.path not in params:
            for value in params[SH.hasValue]:
                out.append(
                    ("HasValueConstraintComponent", f"FILTER (!sameTerm({v}, {_term(value)}))")
                )
        return out

    def datatype(self, v: str, datatype: Node) -> str:
        if not isinstance(datatype, URIRef):
            raise Unsupported("sh:datatype that is not an IRI")
        test = f"isLiteral({v}) && DATATYPE({v}) = {_term(datatype)}"
        if str(datatype) in _LEXICAL:
            test += f" && REGEX(STR({v}), {_string(_LEXICAL[str(datatype)])})"
        return f"COALESCE({test}, false)"

    def distinct_values(self, path: Node, focus: str, n: int) -> str:
        """A pattern with a solution when ``focus`` has at least ``n`` distinct values."""
        if n > 4:
            raise Unsupported(f"counts above 4 ({n})")
        values = [self.var() for _ in range(n)]
        parts = [self.path(path, focus, v) for v in values]
        parts += [f"FILTER (!sameTerm({a}, {b}))" for a, b in itertools.combinations(values, 2)]
        return " ".join(parts)

    def local(self, path: Node) -> bool:
        """Whether every predicate of ``path`` is known to be absent from the default graph (its
        values are then in ``?g`` alone)."""
        if isinstance(path, URIRef):
            return not self.in_default(str(path), self.default_predicates)
        steps = [self.shapes.value(path, SH.inversePath)]
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            steps = list(Collection(self.shapes, alternatives))
        elif self.shapes.value(path, RDF.first) is not None:
            steps = list(Collection(self.shapes, path))
        return all(step is not None and self.local(step) for step in steps)

    def property_branches(
        self, params: dict[URIRef, list[Node]], path: Node, x: str, *, top: bool = False
    ) -> list[tuple[str, str]]:
        """The ways ``x`` can violate a property shape. With ``top`` (``x`` is bound by a
        check's flat patterns: every focus node of a top-level shape, or every value of
        theirs), a count is a set operation Oxigraph evaluates once and hash-joins, where a
        pattern in place is looked up once per focus node (the 75,000 annotations of 10,000
        articles: 2 to 3 times as long): too few values is ``MINUS`` the nodes that have
        enough, too many a grouped count of every node's values (when they are all in ``?g``)."""
        out: list[tuple[str, str]] = []
        if SH.sparql in params:
            raise Unsupported("sh:sparql on a property shape ($PATH)")
        g = self.graph_var
        for bound in params.get(SH.minCount, []):
            n = _count(bound)
            if n > 0 and top:
                enough = f"SELECT {g} {x} WHERE {{ {self.distinct_values(path, x, n)} }}"
                out.append(("MinCountConstraintComponent", f"MINUS {{ {enough} }}"))
            elif n > 0:
                out.append(
                    (
                        "MinCountConstraintComponent",
                        f"FILTER NOT EXISTS {{ {self.distinct_values(path, x, n)} }}",
                    )
                )
        for bound in params.get(SH.maxCount, []):
            n = _count(bound)
            if top and self.local(path):
                v = self.var()
                out.append(
                    (
                        "MaxCountConstraintComponent",
                        f"{{ SELECT {g} {x} WHERE {{ {self.path(path, x, v)} }} GROUP BY {g} {x} "
                        f"HAVING (COUNT(DISTINCT {v}) > {n}) }}",
                    )
                )
            else:
                out.append(("MaxCountConstraintComponent", self.distinct_values(path, x, n + 1)))
        per_value = {k: v for k, v in params.items() if k not in (SH.hasValue, SH.path)}
        v = self.var()
        for component, pattern in self.value_branches(per_value, v, top=top):
            out.append((component, f"{self.path(path, x, v)} {pattern}"))
        for value in params.get(SH.hasValue, []):
            out.append(
                (
                    "HasValueConstraintComponent",
                    f"FILTER NOT EXISTS {{ {self.path(path, x, _term(value))} }}",
                )
            )
        if self.one(params, SH.uniqueLang) == Literal(True):
            a, b = self.var(), self.var()
            out.append(
                (
                    "UniqueLangConstraintComponent",
                    f"{self.path(path, x, a)} {self.path(path, x, b)} "
                    f'FILTER (!sameTerm({a}, {b}) && LANG({a}) != "" '
                    f"&& LCASE(LANG({a})) = LCASE(LANG({b})))",
                )
            )
        for other in params.get(SH.disjoint, []):
            w = self.var()
            out.append(
                (
                    "DisjointConstraintComponent",
                    f"{self.path(path, x, w)} {self.tp(x, _term(other), w)}",
                )
            )
        for other in params.get(SH.equals, []):
            w = self.var()
            out.append(
                (
                    "EqualsConstraintComponent",
                    f"{{ {self.path(path, x, w)} "
                    f"FILTER NOT EXISTS {{ {self.tp(x, _term(other), w)} }} }}"
                    f" UNION {{ {self.tp(x, _term(other), w)} "
                    f"FILTER NOT EXISTS {{ {self.path(path, x, w)} }} }}",
                )
            )
        for key, op in _PAIRS.items():
            for other in params.get(key, []):
                w, u = self.var(), self.var()
                name = "LessThanConstraintComponent"
                if key == SH.lessThanOrEquals:
                    name = "LessThanOrEqualsConstraintComponent"
                out.append(
                    (
                        name,
                        f"{self.path(path, x, w)} {self.tp(x, _term(other), u)} "
                        f"FILTER (!COALESCE({w} {op} {u}, false))",
                    )
                )
        qualified = params.get(SH.qualifiedValueShape, [])
        if qualified:
            if self.one(params, SH.qualifiedValueShapesDisjoint) == Literal(True):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            (shape,) = qualified[:1]
            low = self.one(params, SH.qualifiedMinCount)
            high = self.one(params, SH.qualifiedMaxCount)
            # with ``top`` and the values in ``?g`` alone, as sets (:meth:`conforming_values`)
            g = self.graph_var
            sets = top and self.local(path) and (low is None or _count(low) <= 1)
            if sets:
                values, counted = self.conforming_values(path, x, shape)
            if low is not None and _count(low) > 0:
                few = (
                    f"MINUS {{ SELECT {g} {x} WHERE {{ {values} }} }}"
                    if sets
                    else f"FILTER NOT EXISTS {{ {self.conforming(path, x, shape, _count(low))} }}"
                )
                out.append(("QualifiedMinCountConstraintComponent", few))
            if high is not None:
                many = (
                    f"{{ SELECT {g} {x} WHERE {{ {values} }} GROUP BY {g} {x} "
                    f"HAVING (COUNT(DISTINCT {counted}) > {_count(high)}) }}"
                    if sets
                    else self.conforming(path, x, shape, _count(high) + 1)
                )
                out.append(("QualifiedMaxCountConstraintComponent", many))
        return out

    def conforming_values(self, path: Node, x: str, shape: Node) -> tuple[str, str]:
        """A pattern binding ``?g``, ``x`` and each of its values that conforms to ``shape``,
        and the variable of the value: the values of every node that violate ``shape`` are
        found once (each way of violating it a branch over the values of ``path``, itself
        ``top``) and taken away with ``MINUS``. For a ``top`` ``x`` whose ``path`` is in ``?g``
        alone; too few is then ``MINUS`` the nodes with a conforming value, too many a grouped
        count of them. Asked per node (``EXISTS`` a value, :meth:`conforming`), the
        conformance of each value was a lookup of its own: the 150,000 selectors of 10,000
        articles' evidence, about 110 µs each, twice."""
        g, value, other = self.graph_var, self.var("q"), self.var("q")
        ways = self.branches(shape, value, top=True)
        domain = self.path(path, other, value)
        violating = " UNION ".join(f"{{ {domain} {pattern} }}" for _, pattern in ways)
        values = self.path(path, x, value)
        if violating:
            values += f" MINUS {{ SELECT DISTINCT {g} {value} WHERE {{ {violating} }} }}"
        return values, value

    def conforming(self, path: Node, x: str, shape: Node, n: int) -> str:
        """At least ``n`` distinct values of ``x`` that conform to ``shape``."""
        if n > 4:
            raise Unsupported(f"qualified counts above 4 ({n})")
        values = [self.var() for _ in range(n)]
        # the values, then the cheap test that they differ, then the conformance of each: a
        # node with fewer than n values costs no conformance test (Oxigraph evaluates the
        # filters where they stand)
        parts = [self.path(path, x, v) for v in values]
        parts += [f"FILTER (!sameTerm({a}, {b}))" for a, b in itertools.combinations(values, 2)]
        parts += [f"FILTER (!{self.violation(shape, v)})" for v in values]
        return " ".join(parts)

    # -- SPARQL-based constraints ---------------------------------------------------------------
    def sparql_query(self, constraint: Node, focus: str) -> str | None:
        """The SELECT query of a SPARQL constraint rewritten for the data graph of ``?g``, with
        ``focus`` (the pattern binding ``?g ?this``) as the start of each WHERE group."""
        if self.shapes.value(constraint, SH.deactivated) == Literal(True):
            return None
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise Unsupported("a SPARQL constraint without sh:select")
        text = str(select)
        if "$PATH" in text or "$shapesGraph" in text or "$currentShape" in text:
            raise Unsupported("$PATH, $shapesGraph or $currentShape in a SPARQL constraint")
        return rewrite_select(text, compiler=self, focus=focus)

    def prefixes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for declaration in self.shapes.objects(None, SH.declare):
            prefix = self.shapes.value(declaration, SH.prefix)
            namespace = self.shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = str(namespace)
        return found

    # -- targets --------------------------------------------------------------------------------
    def in_default(self, iri: str, known: frozenset[str] | None) -> bool:
        """Whether the default graph may hold ``iri`` (always, when nothing is known)."""
        return known is None or iri in known

    def focus(self, shape: Node) -> str | None:
        """A subquery binding ``?g`` and ``?this`` to the shape's focus nodes, per graph: the
        targets of the graph's data graph (``?g`` plus the default graph) that are subjects of
        a triple of ``?g`` itself (borrowed reference data is never reported in ``?g``)."""
        g = self.graph_var
        subject = f"GRAPH {g} {{ ?this {self.var('fp')} {self.var('fo')} }}"
        rdf_type = f"<{RDF.type}>"
        parts = []
        for cls in self.shapes.objects(shape, SH.targetClass):
            t = self.var("t")
            if self.hierarchy is None:
                test = self.subclass_of(t, cls)
                parts.append(f"GRAPH {g} {{ ?this {rdf_type} {t} }} {test}")
                parts.append(f"?this {rdf_type} {t} . {test} {subject}")
                continue
            classes = self.subclasses(cls)
            values = f"VALUES {t} {{ {' '.join(classes)} }}"
            parts.append(f"{values} GRAPH {g} {{ ?this {rdf_type} {t} }}")
            if any(self.in_default(c[1:-1], self.default_types) for c in classes):
                parts.append(f"{values} ?this {rdf_type} {t} . {subject}")
        for prop in self.shapes.objects(shape, SH.targetSubjectsOf):
            o = self.var("o")
            parts.append(f"GRAPH {g} {{ ?this {_term(prop)} {o} }}")
            if self.in_default(str(prop), self.default_predicates):
                parts.append(f"?this {_term(prop)} {o} . {subject}")
        for prop in self.shapes.objects(shape, SH.targetObjectsOf):
            s = self.var("s")
            parts.append(f"GRAPH {g} {{ {s} {_term(prop)} ?this }} {subject}")
            if self.in_default(str(prop), self.default_predicates):
                parts.append(f"{s} {_term(prop)} ?this . {subject}")
        for node in self.shapes.objects(shape, SH.targetNode):
            parts.append(f"BIND ({_term(node)} AS ?this) {subject}")
        if not parts:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT {g} ?this WHERE {{ {union} }} }}"


# -- rewriting a SELECT query's triple patterns ------------------------------------------------


# -- compiling a shapes graph ------------------------------------------------------------------
def _prefix_header(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def _top_level(shapes: Graph) -> list[Node]:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    found = {s for t in targets for s in shapes.subjects(t, None)}
    return sorted(found, key=str)


def _outer_query(header: str, focus: str, pattern: str) -> str:
    return f"{header}SELECT DISTINCT ?g ?this WHERE {{ {focus} {pattern} }}"


def _severity(shapes: Graph, shape: Node) -> URIRef:
    return URIRef(str(shapes.value(shape, SH.severity) or SH.Violation))


def _compile_shape(shapes: Graph, shape: Node, context: DefaultGraph | None) -> list[Check]:
    compiler = _Compiler(
        shapes,
        context.predicates if context is not None else None,
        context.subclasses if context is not None else None,
        context.types if context is not None else None,
    )
    header = _prefix_header(compiler.prefixes())
    focus = compiler.focus(shape)
    if focus is None:
        return []
    severity = _severity(shapes, shape)
    checks = [
        Check(shape, component, severity, _outer_query(header, focus, pattern), shape)
        for component, pattern in compiler.branches(shape, "?this", properties=False, top=True)
    ]
    for constraint in shapes.objects(shape, SH.sparql):
        query = compiler.sparql_query(constraint, focus)
        if query is not None:
            checks.append(
                Check(shape, "SPARQLConstraintComponent", severity, header + query, shape)
            )
    for prop in shapes.objects(shape, SH.property):
        prop_severity = _severity(shapes, prop)
        for component, pattern in compiler.branches(prop, "?this", top=True):
            checks.append(
                Check(prop, component, prop_severity, _outer_query(header, focus, pattern), shape)
            )
    return checks


def compile_shapes(shapes: Graph, *, context: DefaultGraph | None = None) -> CompiledShapes:
    """Every top-level shape (one with a target) compiled into checks, or listed as unsupported.

    ``context`` (see :func:`read_default_graph`), what the graphs the checks will read as their
    default graph hold, makes the queries faster: a triple pattern whose predicate is not in
    them reads only ``?g``, and class hierarchies are spelt out. The checks are then valid for
    that default graph only (and assume article graphs state no rdfs:subClassOf of their own).
    """
    known = context
    checks: list[Check] = []
    unsupported: list[tuple[Node, str]] = []
    for shape in _top_level(shapes):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        try:
            checks += _compile_shape(shapes, shape, known)
        except Unsupported as exc:
            unsupported.append((shape, str(exc)))
    return CompiledShapes(checks, unsupported)


# -- what the checks will read as their default graph ----------------------------------------
@dataclass(frozen=True)
class DefaultGraph:
    """What the checks' default graph holds: its predicates and its class hierarchy."""

    predicates: frozenset[str]
    subclasses: dict[str, frozenset[str]]
    types: frozenset[str]
