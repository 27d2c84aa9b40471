"""The Python API: a dataset opened by its store folder, and the verbs as functions.

Each function calls what the ``kg`` verb of the same name calls (``kg.build.dataset``,
``kg.validate.run``, ``kg.query``, ``kg.link.run``, ``kg.reason.run``, ``kg.store.export``,
``kg.extract.batch``): the same checks, the same errors (:class:`kg.core.errors.InputError`
for bad input, naming the file), the same store generations (each call opens the store for
its own work, so a :class:`Dataset` never holds it open between calls). docs/api.md shows
them at work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef

from kg.api.rows import Rows
from kg.core.atomic import write_texts_atomically
from kg.core.errors import InputError
from kg.core.iris import BASE, SLUG
from kg.core.paths import corpus_texts_dir, default_store, records_dir
from kg.query.answer import Answer, answer
from kg.store.embedded import SelectResult, Store

if TYPE_CHECKING:
    from kg.build.dataset import BuildSummary
    from kg.link.run import LinkRun
    from kg.reason.run import ReasoningReport
    from kg.validate.results import Report

__all__ = ["Dataset", "build", "extract", "open", "write_drafts"]

#: a parameter value: text, or anything whose str() is the text (a number, a date)
Value = str | int | float | dt.date


class Dataset:
    """The dataset in one store folder (made by ``kg build`` or :func:`build`)."""

    def __init__(self, path: Path, *, built: BuildSummary | None = None) -> None:
        self.path = Path(path)
        #: what :func:`build` made (None for a dataset opened with :func:`open`)
        self.built = built

    def __repr__(self) -> str:
        return f"kg.Dataset({str(self.path)!r})"

    # -- reading ----------------------------------------------------------------------------
    def query(
        self,
        name: str,
        params: Mapping[str, Value] | None = None,
        /,
        *,
        lang: str = "en",
        limit: int | None = None,
        **given: Value,
    ) -> Rows:
        """Run the template ``name`` (``kg queries`` lists them) with its parameters as keyword
        arguments (``firm="nvidia"``) or a mapping; the answer's IRIs shown as labels in
        ``lang`` (``en`` or ``zh-Hant``), at most ``limit`` rows."""
        from kg.query.run import StoreSource

        values = {
            k: v if isinstance(v, str) else str(v) for k, v in {**(params or {}), **given}.items()
        }
        with Store.open(self.path, read_only=True) as store:
            return Rows(answer(StoreSource(store), name, values, lang=lang, limit=limit))

    def templates(self) -> Rows:
        """The query templates: name, form, parameters (``*`` marks a required one), summary."""
        from kg.query.templates import load_catalogue

        columns = ["name", "form", "parameters", "summary"]
        rows = [
            {
                "name": t.name,
                "form": t.form,
                "parameters": ", ".join(p.name + ("*" if p.required else "") for p in t.parameters),
                "summary": t.summary,
            }
            for t in load_catalogue().values()
        ]
        result = SelectResult(columns, [{c: Literal(r[c]) for c in columns} for r in rows])
        listing = Answer(
            "templates", columns, {c: c for c in columns}, rows, [{} for _ in rows], result
        )
        return Rows(listing)

    def graphs(self) -> list[str]:
        """The IRIs of the store's named graphs."""
        with Store.open(self.path, read_only=True) as store:
            return [str(g) for g in store.graph_names()]

    def graph(self, article: str) -> Graph:
        """An article's graph (or any named graph) as an rdflib Graph: the article's slug
        (``tradingkey-2025-09-nvidia-openai``), ``article/slug``, ``article:slug`` or an IRI."""
        iri = _graph_iri(article)
        with Store.open(self.path, read_only=True) as store:
            if not store.has_graph(iri):
                articles = sorted(
                    str(g)[len(BASE) + len("article/") :]
                    for g in store.graph_names()
                    if str(g).startswith(BASE + "article/")
                )
                raise InputError(
                    f"no graph <{iri}> in the store (articles: {', '.join(articles) or 'none'})",
                    file=self.path,
                )
            return store.graph(iri)

    # -- checking and adding ------------------------------------------------------------------
    def validate(self) -> Report:
        """SHACL validation of every graph, as ``kg validate`` does it: a
        :class:`kg.validate.results.Report` (``conforms``, ``counts()``, ``results``);
        ``kg.validate.render`` writes it as text, JSON or Turtle."""
        from kg.validate.run import validate_store

        with Store.open(self.path, read_only=True) as store:
            return validate_store(store)

    def link(
        self,
        source: str,
        path: Path | str | None = None,
        *,
        endpoint: str | None = None,
        relationships: Path | str | None = None,
        output: Path | str | None = None,
        review: Path | str | None = None,
        accept: float = 0.9,
        review_band: float = 0.7,
        replace: bool = False,
        wait: float | None = None,
    ) -> LinkRun:
        """Link the store's firms to a register, as ``kg link`` does: ``source`` ``sec``,
        ``sec-exchange``, ``gleif`` or ``wikidata``, read from ``path`` (or ``endpoint``); the
        linkset replaces that register's graph in the store (or goes to ``output``)."""
        from kg.link.match import Thresholds
        from kg.link.run import link_store

        try:
            thresholds = Thresholds(accept=accept, review=review_band)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        return link_store(
            self.path,
            source,
            path=_path(path),
            endpoint=endpoint,
            relationships=_path(relationships),
            thresholds=thresholds,
            output=_path(output),
            review=_path(review),
            replace=replace,
            wait=wait,
        )

    def reason(
        self, *, reasoner: str = "hermit", write: bool = True, wait: float | None = None
    ) -> ReasoningReport:
        """OWL reasoning over the ontology, the reference data and the store (``kg reason``,
        about 30 s): the report; with ``write``, the inferred triples replace the store's
        inferred graph. Needs the ``reason`` extra."""
        from kg.core.extras import require

        require("reason", what="Dataset.reason()")
        from kg.reason.run import reason_store

        return reason_store(self.path, reasoner=reasoner, write=write, wait=wait).report

    def export(self, path: Path | str, *, format: str | None = None) -> Path:
        """Write the dataset to ``path`` (``kg export -o``): the format from ``format``
        (turtle, trig, nquads, ntriples, jsonld, or ttl, nq, nt) or else the extension."""
        from kg.store.export import export_to_file
        from kg.store.formats import EXPORT_FORMATS, RdfFormat

        path = Path(path)
        fmt = RdfFormat.parse(format) if format is not None else RdfFormat.for_path(path)
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"cannot export as {fmt.value}", file=path)
        with Store.open(self.path, read_only=True) as store:
            export_to_file(store, path, fmt=fmt)
        return path


def _path(value: Path | str | None) -> Path | None:
    return Path(value) if value is not None else None


def _graph_iri(name: str) -> URIRef:
    if "://" in name:
        return URIRef(name)
    for prefix in ("article/", "article:"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if name.startswith("graph/") or name.startswith("graph:"):
        return URIRef(BASE + "graph/" + name[len("graph/") :])
    if not SLUG.fullmatch(name):
        raise InputError(f"{name!r}: expected an article's slug, article/slug or an IRI")
    return URIRef(BASE + "article/" + name)


def open(store: Path | str | None = None) -> Dataset:
    """The dataset in the store folder ``store`` (default: ``$KG_STORE`` or ``build/store``);
    an :class:`InputError` if there is no store there."""
    path = Path(store) if store is not None else default_store()
    with Store.open(path, read_only=True):
        pass  # there is a store, and it opens
    return Dataset(path)


def build(
    *,
    records: Path | str | None = None,
    store: Path | str | None = None,
    corpus: Path | str | None = None,
    reference: Iterable[Path | str] = (),
    allow_invalid: bool = False,
    wait: float | None = None,
) -> Dataset:
    """Build the dataset from the fact records in ``records`` (default: the project's) into
    ``store`` (default: ``$KG_STORE`` or ``build/store``), validated before it replaces the old
    one, as ``kg build`` does; ``corpus`` is the folder of article texts (checked by SHA-256,
    their quotes attached; default ``$KG_CORPUS``). The new dataset, with ``built`` saying what
    it holds."""
    from kg.build.dataset import build_dataset
    from kg.validate.run import check_store

    path = Path(store) if store is not None else default_store()
    summary = build_dataset(
        records_dir=Path(records) if records is not None else records_dir(),
        store_dir=path,
        corpus_dir=Path(corpus) if corpus is not None else corpus_texts_dir(),
        reference_files=[Path(r) for r in reference],
        validate=check_store,
        allow_invalid=allow_invalid,
        wait=wait,
    )
    return Dataset(path, built=summary)


def extract(
    paths: Path | str | Sequence[Path | str],
    *,
    out: Path | str | None = None,
    published: str | dt.date | None = None,
    publisher: str | None = None,
    encoding: str | None = None,
    jobs: int | None = None,
    max_chars: int | None = None,
) -> dict[Path, dict[str, Any]]:
    """Draft fact records from article texts (files or folders), as ``kg extract`` does:
    every input checked first, the articles on ``jobs`` processes (default: every core); with
    ``out``, the drafts written there (one YAML record per input, all or none). Returns each
    input file's draft record."""
    from kg.extract.batch import (
        MAX_CHARS,
        Job,
        check_inputs,
        default_jobs,
        extract_all,
        input_files,
    )
    from kg.extract.figures.dates import Published

    limit = MAX_CHARS if max_chars is None else max_chars
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs {jobs}: at least 1")
    if limit < 1:
        raise InputError(f"--max-chars {limit}: at least 1")
    folder = Path(out) if out is not None else None
    if folder is not None and folder.exists() and not folder.is_dir():
        raise InputError("--out must be a folder", file=folder)
    date = published.isoformat() if isinstance(published, dt.date) else published
    # no date given: each article's own dateline or byline (kg.extract.figures.dates)
    when = Published.parse(date) if date is not None else None
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files = input_files([Path(p) for p in given])
    check_inputs(files, max_chars=limit, encoding=encoding)
    job = Job(published=when, publisher=publisher, encoding=encoding)
    records = extract_all(files, job, jobs=jobs or default_jobs())
    drafts = dict(zip(files, records, strict=True))
    if folder is not None:
        write_drafts(drafts, folder)
    return drafts


def write_drafts(drafts: Mapping[Path, dict[str, Any]], out: Path) -> list[Path]:
    """Write each input's draft record as ``out/<stem>.yaml``, all or none."""
    from kg.extract.records_out import record_text

    texts = {}
    for path, record in drafts.items():
        comment = (
            f"Draft fact record for {path.name}, made by {record['article']['extractor']}.\n"
            "Review every fact (confidence and method say how sure each rule was)."
        )
        texts[out / f"{path.stem}.yaml"] = record_text(record, comment=comment)
    write_texts_atomically(texts)
    return list(texts)
