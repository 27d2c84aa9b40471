"""One ``kg link`` run on a store: read its firms, match them to a register (a file or, for
Wikidata, an endpoint), and replace the register's linkset graph in the store, or write it to
a file; a register that looks cut short is refused (the store's linkset kept) unless
``replace``. ``kg link`` and the Python API (``kg.open(...).link(...)``) both call
:func:`link_store`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg.core.errors import InputError
from kg.core.iris import GRAPH_LINKSET
from kg.link.firms import read_firms
from kg.link.linkset import (
    input_node,
    linkset_graph,
    linkset_graph_iri,
    write_graph_file,
    write_review,
)
from kg.link.match import Thresholds
from kg.link.pipeline import LinkResult, Source, link_gleif, link_sec, link_wikidata
from kg.link.shrink import Run, of_graph, refusal
from kg.store.embedded import Store

__all__ = ["LinkRun", "link_store"]


@dataclass(frozen=True)
class LinkRun:
    """What one run decided (``result``), the linkset graph it made, and where it went: the
    graph's IRI in the store, or the file it was written to."""

    result: LinkResult
    graph: Graph
    target: str
    graph_iri: URIRef | None


def _link(
    store: Store,
    source: Source,
    *,
    path: Path | None,
    endpoint: str | None,
    relationships: Path | None,
    thresholds: Thresholds,
    user_agent: str | None,
    progress: Callable[[int], None] | None,
    where: Path,
) -> LinkResult:
    firms = read_firms(store, ignore_graphs={linkset_graph_iri(source), GRAPH_LINKSET})
    if not firms:
        raise InputError("the store holds no firms: run 'kg build' first", file=where)
    if source is Source.WIKIDATA:
        return link_wikidata(
            firms, path=path, endpoint=endpoint, thresholds=thresholds, user_agent=user_agent
        )
    if endpoint is not None or path is None:
        raise InputError(f"--source {source.value} reads a file: use --input FILE")
    if source is Source.GLEIF:
        return link_gleif(
            firms, path, relationships=relationships, thresholds=thresholds, progress=progress
        )
    return link_sec(firms, path, exchange=source is Source.SEC_EXCHANGE, thresholds=thresholds)


def _refuse_a_shrunken_register(
    store: Store, result: LinkResult, graph: Graph, *, given: Path | str | None
) -> None:
    """An :class:`InputError` (the store untouched) if the register looks cut short."""
    source = result.info.source
    iri = linkset_graph_iri(source)
    node = input_node(source)
    last = of_graph(store.graph(iri), node) if store.has_graph(iri) else Run(None, 0)
    why = refusal(of_graph(graph, node), last, source=source.value)
    if why is not None:
        raise InputError(
            f"{why}; the linkset <{iri}> is kept as it was (--replace replaces it anyway)",
            file=given,
        )


def link_store(
    store_dir: Path,
    source: Source | str,
    *,
    path: Path | None = None,
    endpoint: str | None = None,
    relationships: Path | None = None,
    thresholds: Thresholds | None = None,
    user_agent: str | None = None,
    output: Path | None = None,
    review: Path | None = None,
    replace: bool = False,
    wait: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> LinkRun:
    """Link the firms of the store at ``store_dir`` to ``source`` read from ``path`` (or, for
    Wikidata, ``endpoint``); the linkset replaces the source's graph in the store, or goes to
    ``output``; ``review`` gets the lines a person should look at (CSV). ``progress`` is told
    the rows read so far (GLEIF)."""
    source = Source(source)
    thresholds = thresholds or Thresholds()
    if relationships is not None and source is not Source.GLEIF:
        raise InputError("--relationships goes with --source gleif")
    store_dir = Path(store_dir)
    if not store_dir.is_dir():
        raise InputError("no store here: run 'kg build' first", file=store_dir)
    writes = output is None
    with Store.open(store_dir, read_only=not writes, wait=wait) as store:
        result = _link(
            store,
            source,
            path=path,
            endpoint=endpoint,
            relationships=relationships,
            thresholds=thresholds,
            user_agent=user_agent,
            progress=progress,
            where=store_dir,
        )
        graph = linkset_graph(result)
        if writes and not replace:
            _refuse_a_shrunken_register(
                store, result, graph, given=path if path is not None else endpoint
            )
        if review is not None:
            write_review(result, review)
        if output is not None:
            write_graph_file(graph, output)
            return LinkRun(result, graph, str(output), None)
        iri = linkset_graph_iri(result.info.source)
        store.replace_graph(iri, graph)
    return LinkRun(result, graph, f"graph <{iri}> in {store_dir}", iri)
