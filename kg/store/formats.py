"""RDF formats by name or file extension, and reading any common RDF file as quads.

>>> RdfFormat.for_path(Path("out/kg.trig"))
<RdfFormat.TRIG: 'trig'>
>>> RdfFormat.parse("jsonld").extension
'.jsonld'
"""

from __future__ import annotations

import enum
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError

__all__ = ["EXPORT_FORMATS", "RdfFormat", "read_quads"]


class RdfFormat(enum.Enum):
    """The RDF formats the project reads and writes, by the names the CLI uses; each is one of
    pyoxigraph's formats (:attr:`oxigraph`), which knows their extensions and media types."""

    TURTLE = "turtle"
    TRIG = "trig"
    NQUADS = "nquads"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @property
    def oxigraph(self) -> ox.RdfFormat:
        return _OXIGRAPH[self]

    @property
    def extension(self) -> str:
        return "." + self.oxigraph.file_extension

    @property
    def media_type(self) -> str:
        return self.oxigraph.media_type

    @property
    def has_graphs(self) -> bool:
        """Whether the format names graphs (TriG, N-Quads, JSON-LD)."""
        return bool(self.oxigraph.supports_datasets)

    @classmethod
    def of(cls, fmt: ox.RdfFormat) -> RdfFormat | None:
        return next((f for f, o in _OXIGRAPH.items() if o == fmt), None)

    @classmethod
    def parse(cls, name: str) -> RdfFormat:
        """A format from its name (``turtle``, ``ttl``, ``nq`` ...)."""
        key = name.strip().lower().lstrip(".")
        for fmt in cls:
            if key == fmt.value:
                return fmt
        found = cls._by_extension(key)
        if found is None:
            known = ", ".join(f.value for f in cls)
            raise InputError(f"unknown RDF format {name!r} (known: {known})")
        return found

    @classmethod
    def _by_extension(cls, extension: str) -> RdfFormat | None:
        key = extension.lower().lstrip(".")
        found = ox.RdfFormat.from_extension(key) or _MORE_EXTENSIONS.get(key)
        return cls.of(found) if found is not None else None

    @classmethod
    def for_path(cls, path: Path) -> RdfFormat:
        """A format from a file's extension; ``InputError`` naming the file if there is none."""
        found = cls._by_extension(Path(path).suffix)
        if found is None:
            raise InputError(
                "cannot tell the RDF format from the extension "
                "(.ttl .trig .nq .nt .jsonld .rdf .owl)",
                file=path,
            )
        return found

    @classmethod
    def for_media_type(cls, media_type: str) -> RdfFormat | None:
        found = ox.RdfFormat.from_media_type(media_type)
        return cls.of(found) if found is not None else None


_OXIGRAPH: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
}
#: extensions in use that pyoxigraph does not know
_MORE_EXTENSIONS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "owl": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

#: the formats ``kg export`` writes
EXPORT_FORMATS = (
    RdfFormat.TURTLE,
    RdfFormat.TRIG,
    RdfFormat.NQUADS,
    RdfFormat.NTRIPLES,
    RdfFormat.JSONLD,
)


def read_quads(
    path: Path, *, default_graph: ox.NamedNode, fmt: RdfFormat | None = None
) -> list[ox.Quad]:
    """Every statement of an RDF file as quads; triples (and a quad file's default graph) go to
    ``default_graph``. A syntax error is an ``InputError`` naming the file and line."""
    path = Path(path)
    fmt = fmt or RdfFormat.for_path(path)
    try:
        parsed = list(
            ox.parse(
                path=str(path),
                format=fmt.oxigraph,
                base_iri=path.resolve().as_uri(),
                rename_blank_nodes=True,  # two files' _:b0 are two different nodes
            )
        )
    except SyntaxError as exc:
        raise InputError(
            f"{fmt.value} syntax error: {exc.msg}", file=path, line=exc.lineno
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from exc
    except ValueError as exc:
        raise InputError(f"cannot read as {fmt.value}: {exc}", file=path) from exc
    return [
        q
        if isinstance(q.graph_name, ox.NamedNode | ox.BlankNode)
        else ox.Quad(q.subject, q.predicate, q.object, default_graph)
        for q in parsed
    ]
