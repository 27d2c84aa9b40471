"""The explorer's pages: one function per kind of page, each gathering data and filling a
Jinja2 template from ``kg/server/explorer/templates/`` (autoescaped: every value from the data is
escaped; only SVG drawn by ``kg.query.pictures`` and highlighted text built by ``explorer.text`` are
marked safe)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE, ONTOLOGY
from kg.core.namespaces import AIKG
from kg.query.params import bind
from kg.query.pictures import PictureFormat, drawable, picture
from kg.query.pictures.amounts import money
from kg.query.results import Format, graph_rows, render
from kg.query.run import StoreSource, run_template
from kg.query.templates import Template, load_catalogue
from kg.server.explorer import data
from kg.server.explorer.links import LANGUAGES, Links, register_url
from kg.server.explorer.text import Span, highlight, kind_of, read_article_text
from kg.server.explorer.web import Request, Response
from kg.store.embedded import SelectResult, Store

__all__ = ["Site", "article", "catalogue", "deal", "firm", "home", "node", "search", "template"]

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ROLES = frozenset(
    {"party", "investor", "investee", "buyer", "supplier", "lender", "borrower"}
    | {"licensor", "licensee", "participant"}
)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Site:
    """What every page needs: the store, the corpus folder (if any) and the page templates."""

    store: Store
    corpus_dir: Path | None
    env: Environment

    @classmethod
    def create(cls, store: Store, corpus_dir: Path | None) -> Site:
        env = Environment(
            loader=PackageLoader("kg.server.explorer", "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["money"] = _money
        return cls(store=store, corpus_dir=corpus_dir, env=env)

    def page(
        self, name: str, request: Request, links: Links, *, status: int = 200, **context: object
    ) -> Response:
        params = {k: v[0] for k, v in request.query.items() if v}
        body = self.env.get_template(name).render(
            links=links,
            lang=links.lang,
            languages=links.other_languages(request.path, params),
            path=request.path,
            **context,
        )
        return Response(status, body.encode("utf-8"))


def _money(value: Node | None, currency: Node | None, lang: str) -> str:
    """A deal's amount written short (``US$100 bn``, ``1,000億美元``)."""
    try:
        figure = Decimal(str(value))
    except InvalidOperation:
        return str(value or "")
    return money(figure, str(currency) if currency is not None else None, lang=lang)


def links_for(request: Request) -> Links:
    lang = request.param("lang", "en")
    return Links(lang=lang if lang in LANGUAGES else "en")


def _inline_svg(svg: str) -> Markup:
    """An SVG document as markup to put inside a page: no XML prolog, no comments."""
    start = svg.find("<svg")
    return Markup(_COMMENTS.sub("", svg[start:] if start >= 0 else ""))


def _template_picture(
    site: Site, template: Template, result: SelectResult, bindings: Mapping[str, Node], links: Links
) -> Markup | None:
    if not drawable(template.name):
        return None
    svg = picture(
        template,
        result,
        bindings,
        source=StoreSource(site.store),
        fmt=PictureFormat.SVG,
        lang=links.lang,
        href=links.href,
    )
    return _inline_svg(svg)


def _run(
    site: Site, name: str, params: Mapping[str, str]
) -> tuple[Template, SelectResult, dict[str, Node]]:
    template = load_catalogue()[name]
    source = StoreSource(site.store)
    bindings = bind(template, params, knows=source.knows)
    result = run_template(template, bindings, source=source)
    if not isinstance(result, SelectResult):
        raise InputError(f"{name} is not a SELECT template")
    return template, result, bindings


def _terms(rows: Iterable[Mapping[str, Node]]) -> set[Node]:
    return {t for row in rows for t in row.values() if isinstance(t, URIRef)}


def not_found(site: Site, request: Request, what: str) -> Response:
    return site.page("error.html", request, links_for(request), status=404, message=what)


# -- home and search ---------------------------------------------------------------------------


def home(site: Site, request: Request) -> Response:
    links = links_for(request)
    found = data.index(site.store)
    links.labels = data.labels(site.store, (n for items in found.values() for n, _ in items))
    firms = sorted(found.get("firm", []), key=lambda item: links.label(item[0]).casefold())
    return site.page(
        "home.html",
        request,
        links,
        firms=[n for n, _ in firms],
        deals=[n for n, _ in found.get("deal", [])],
        articles=found.get("article", []),
    )


def search(site: Site, request: Request) -> Response:
    links = links_for(request)
    text = request.param("q")[:200]
    hits = data.search(site.store, text) if text else []
    links.labels = data.labels(site.store, (h.node for h in hits))
    return site.page("search.html", request, links, q=text, hits=hits, kind_of=kind_of)


# -- firms ---------------------------------------------------------------------------------------


def firm(site: Site, request: Request, slug: str) -> Response:
    links = links_for(request)
    iri = URIRef(f"{BASE}firm/{slug}")
    if not data.statements(site.store, iri):
        return not_found(site, request, f"no firm '{slug}' in the dataset")
    _, profile, _ = _run(site, "firm-profile", {"firm": str(iri)})
    template, deals, bindings = _run(site, "deals-of-firm", {"firm": str(iri)})
    links.labels = data.labels(site.store, _terms(profile.rows) | _terms(deals.rows) | {iri})
    names = [r for r in profile.rows if str(r.get("aspect")) == "name"]
    identifiers = []
    for row in profile.rows:
        if str(row.get("aspect")) != "identifier":
            continue
        prop = str(row.get("property", ""))
        value = str(row.get("value", ""))
        kind = {"lei": "lei", "cik": "cik", "exactMatch": "wikidata"}.get(prop.rsplit("#", 1)[-1])
        register = register_url(kind, value) if kind else None
        identifiers.append((row, register))
    metrics = [r for r in profile.rows if str(r.get("aspect")) == "metric"]
    relations = [r for r in profile.rows if str(r.get("aspect")) in ("relation", "related")]
    flows = _template_picture(site, template, deals, bindings, links)
    return site.page(
        "firm.html",
        request,
        links,
        iri=iri,
        names=names,
        identifiers=identifiers,
        deals=deals.rows,
        metrics=metrics,
        relations=relations,
        picture=flows,
    )


# -- deals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    article: URIRef
    start: int
    end: int
    quote: str | None


def _quote(site: Site, article_iri: URIRef, start: int, end: int) -> str | None:
    text = _article_text(site, article_iri)
    return text[start:end] if text is not None and 0 <= start < end <= len(text) else None


def deal(site: Site, request: Request, slug: str) -> Response:
    links = links_for(request)
    iri = URIRef(f"{BASE}deal/{slug}")
    said = data.statements(site.store, iri)
    if not said:
        return not_found(site, request, f"no deal '{slug}' in the dataset")
    kinds = sorted({s.value for s in said if s.predicate == _RDF_TYPE}, key=str)
    parties = sorted(
        {
            (s.predicate, s.value)
            for s in said
            if str(s.predicate).startswith(ONTOLOGY) and str(s.predicate)[len(ONTOLOGY) :] in _ROLES
        },
        key=lambda pv: (str(pv[0]), str(pv[1])),
    )
    descriptions = [s for s in said if s.predicate == AIKG.description]
    status_rows = data.rows(site.store, "deal-status", iri)
    _, evidence_rows, _ = _run(site, "evidence", {"fact": str(iri)})
    evidence: dict[URIRef, list[Evidence]] = {}
    for row in evidence_rows.rows:
        article_iri, start, end = row.get("article"), row.get("start"), row.get("end")
        if not (isinstance(article_iri, URIRef) and start is not None and end is not None):
            continue
        first, last = int(str(start)), int(str(end))
        quote = str(row["quote"]) if "quote" in row else _quote(site, article_iri, first, last)
        evidence.setdefault(article_iri, []).append(Evidence(article_iri, first, last, quote))
    reports = sorted({s.graph for s in said if str(s.graph).startswith(BASE + "article/")}, key=str)
    links.labels = data.labels(
        site.store,
        {iri, *kinds, *(p for pv in parties for p in pv), *_terms(status_rows), *reports},
    )
    return site.page(
        "deal.html",
        request,
        links,
        iri=iri,
        kinds=kinds,
        parties=parties,
        descriptions=descriptions,
        timeline=status_rows,
        evidence=evidence,
        reports=reports,
    )


# -- articles ------------------------------------------------------------------------------------


def _article_text(site: Site, iri: URIRef) -> str | None:
    said = {s.predicate: s.value for s in data.statements(site.store, iri) if s.graph == iri}
    file_name = said.get(AIKG.sourceFile)
    sha = said.get(AIKG.sha256)
    length = said.get(AIKG.length)
    return read_article_text(
        site.corpus_dir,
        str(file_name) if file_name is not None else None,
        sha256=str(sha) if sha is not None else None,
        length=int(str(length)) if isinstance(length, Literal) else None,
    )


def article(site: Site, request: Request, slug: str) -> Response:
    links = links_for(request)
    iri = URIRef(f"{BASE}article/{slug}")
    said = [s for s in data.statements(site.store, iri) if s.graph == iri]
    if not said:
        return not_found(site, request, f"no article '{slug}' in the dataset")
    notes = data.article_annotations(site.store, iri)
    bodies = {a.body for a in notes}
    types: dict[URIRef, Node] = {}
    for body in bodies:
        for s in data.statements(site.store, body):
            if s.predicate == _RDF_TYPE and str(s.value).startswith(ONTOLOGY):
                types.setdefault(body, s.value)
    metadata = [s for s in said if s.predicate != AIKG.mentions and s.predicate != _RDF_TYPE]
    links.labels = data.labels(
        site.store,
        bodies
        | set(types.values())
        | {s.value for s in metadata}
        | {s.predicate for s in metadata},
    )

    def title(body: URIRef, describing: bool) -> str:
        name = links.label(body)
        kind = types.get(body)
        return f"{links.label(kind)}: {name}" if describing and kind is not None else name

    text = _article_text(site, iri)
    marked = None
    if text is not None:
        spans = [
            Span(
                a.start,
                a.end,
                a.body,
                a.describing,
                links.href(a.body),
                title(a.body, a.describing),
            )
            for a in notes
        ]
        marked = highlight(text, spans)
    facts: dict[URIRef, list[data.Annotation]] = {}
    mentions: dict[URIRef, list[data.Annotation]] = {}
    for a in notes:
        (facts if a.describing else mentions).setdefault(a.body, []).append(a)
    language = next(
        (str(s.value) for s in said if s.predicate == URIRef(_DCTERMS + "language")), ""
    )
    return site.page(
        "article.html",
        request,
        links,
        iri=iri,
        metadata=metadata,
        text=marked,
        text_lang=language,
        facts=facts,
        mentions=mentions,
        types=types,
        kind_of=kind_of,
        has_corpus=site.corpus_dir is not None,
    )


# -- any other individual -------------------------------------------------------------------


def node(site: Site, request: Request, kind: str, slug: str) -> Response:
    links = links_for(request)
    iri = URIRef(f"{BASE}{kind}/{slug}")
    said = data.statements(site.store, iri)
    pointing = data.incoming(site.store, iri)
    if not said and not pointing:
        return not_found(site, request, f"no {kind} '{slug}' in the dataset")
    links.labels = data.labels(
        site.store,
        {iri}
        | {s.predicate for s in said + pointing}
        | {s.value for s in said + pointing}
        | {s.graph for s in said + pointing},
    )
    return site.page("node.html", request, links, iri=iri, kind=kind, said=said, pointing=pointing)


# -- the template catalogue -----------------------------------------------------------------


def catalogue(site: Site, request: Request) -> Response:
    links = links_for(request)
    return site.page("templates.html", request, links, templates=list(load_catalogue().values()))


def template(site: Site, request: Request, name: str) -> Response:
    links = links_for(request)
    templates = load_catalogue()
    chosen = templates.get(name)
    if chosen is None:
        return not_found(site, request, f"no template '{name}'")
    values = {p.name: request.param(p.name) for p in chosen.parameters}
    given = {k: v for k, v in values.items() if v}
    wanted = request.param("format", "html")
    try:
        source = StoreSource(site.store)
        bindings = bind(chosen, given, knows=source.knows)
        result = run_template(chosen, bindings, source=source)
    except InputError as exc:
        return site.page(
            "template.html",
            request,
            links,
            status=400,
            template=chosen,
            values=values,
            error=str(exc),
            result=None,
            picture=None,
            downloads=[],
        )
    if wanted in ("csv", "json"):
        fmt = Format.CSV if wanted == "csv" else Format.JSON
        text = render(result, fmt)
        kind = "text/csv" if wanted == "csv" else "application/sparql-results+json"
        if not isinstance(result, SelectResult):
            kind = "application/ld+json"
        disposition = f'attachment; filename="{chosen.name}.{wanted}"'
        return Response(
            200,
            text.encode("utf-8"),
            f"{kind}; charset=utf-8",
            {"Content-Disposition": disposition},
        )
    table = result if isinstance(result, SelectResult) else graph_rows(result)
    links.labels = data.labels(site.store, _terms(table.rows))
    drawn = (
        _template_picture(site, chosen, table, bindings, links)
        if isinstance(result, SelectResult) and table.rows
        else None
    )
    downloads = [
        (fmt, links.url(f"/templates/{chosen.name}", {**given, "format": fmt}))
        for fmt in ("csv", "json")
    ]
    return site.page(
        "template.html",
        request,
        links,
        template=chosen,
        values=values,
        error=None,
        result=table,
        picture=drawn,
        downloads=downloads,
    )
