"""Generates ``kg/core/namespaces.py`` (the ``AIKG`` rdflib namespace) from the ontology.

``python -m kg.core.codegen`` rewrites the file; with ``--check`` it exits 1, changing
nothing, when the file is out of date with the ontology.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.core.atomic import write_text_atomically
from kg.core.iris import ONTOLOGY
from kg.core.ontology import TermKind, Vocabulary, load_ontology

__all__ = ["NAMESPACES_FILE", "main", "render"]

#: the generated module
NAMESPACES_FILE = Path(__file__).resolve().with_name("namespaces.py")

_MAX_LINE = 100
_SECTIONS: tuple[tuple[str, frozenset[TermKind]], ...] = (
    ("classes", frozenset({TermKind.CLASS})),
    (
        "properties",
        frozenset(
            {TermKind.OBJECT_PROPERTY, TermKind.DATATYPE_PROPERTY, TermKind.ANNOTATION_PROPERTY}
        ),
    ),
    ("individuals (SKOS concepts and concept schemes)", frozenset({TermKind.INDIVIDUAL})),
)

_HEADER = '''\
"""The terms of the aikg ontology as an rdflib namespace.

Generated from ``ontology/`` by ``python -m kg.core.codegen``: do not edit by hand. A misspelt term
is an error:

>>> AIKG.Firm
rdflib.term.URIRef('https://w3id.org/aikg/ontology#Firm')
>>> AIKG.Frim
Traceback (most recent call last):
...
AttributeError: term 'Frim' not in namespace 'https://w3id.org/aikg/ontology#'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["AIKG"]


class AIKG(DefinedNamespace):
    """The aikg ontology, ``https://w3id.org/aikg/ontology#``."""

    _fail = True
    _NS = Namespace("{namespace}")
'''


def _english_label(graph: Graph, term: URIRef) -> str:
    labels = sorted(
        str(label)
        for label in graph.objects(term, RDFS.label)
        if isinstance(label, Literal) and (label.language or "").lower() == "en"
    )
    return " ".join(labels[0].split()) if labels else ""


def _attribute(name: str, label: str) -> str:
    line = f"    {name}: URIRef"
    if label:
        line += f"  # {label}"
    if len(line) > _MAX_LINE:
        line = line[: _MAX_LINE - 3] + "..."
    return line


def render(graph: Graph) -> str:
    """The source of ``kg/namespaces.py`` for the ontology ``graph``."""
    vocab = Vocabulary.from_graph(graph)
    lines = [_HEADER.replace("{namespace}", ONTOLOGY)]
    for title, kinds in _SECTIONS:
        names = sorted(
            term.removeprefix(ONTOLOGY)
            for term, kind in vocab.kinds.items()
            if kind in kinds and term.startswith(ONTOLOGY)
        )
        if not names:
            continue
        lines.append(f"\n    # {title}\n")
        lines.extend(
            _attribute(name, _english_label(graph, URIRef(ONTOLOGY + name))) + "\n"
            for name in names
            if name.isidentifier()
        )
    return "".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the namespace module; with ``--check``, return 1 if it is out of date."""
    parser = argparse.ArgumentParser(prog="python -m kg.core.codegen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the file is out of date"
    )
    parser.add_argument(
        "--output", type=Path, default=NAMESPACES_FILE, help="the file to write or check"
    )
    args = parser.parse_args(argv)
    text = render(load_ontology())
    current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"{args.output} is out of date with the ontology: run python -m kg.core.codegen")
        return 1
    write_text_atomically(args.output, text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
