"""The explorer's pages: one function per kind of page, each gathering data and filling a
Jinja2 template from ``kg/server/explorer/templates/`` (autoescaped: every value from the data is
escaped; only SVG drawn by ``kg.query.pictures`` and highlighted text built by ``explorer.text`` are
marked safe)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.iris import BASE, ONTOLOGY
from kg.core.namespaces import AIKG
from kg.query.amounts import bound_words, money, parse_decimal
from kg.query.answer import Answer, answer, build_answer, prepare, unnamed_labels
from kg.query.pictures import PictureFormat, drawable, picture
from kg.query.results import Format, graph_rows
from kg.query.run import StoreSource, run_template
from kg.query.templates import Template, load_catalogue
from kg.server.explorer import data, deals
from kg.server.explorer.links import LANGUAGES, Links, register_url
from kg.server.explorer.text import Span, highlight, kind_of, read_article_text
from kg.server.explorer.web import Request, Response
from kg.store.embedded import SelectResult, Store

__all__ = ["Site", "article", "catalogue", "deal", "firm", "home", "node", "search", "template"]

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Site:
    """What every page needs: the store, the corpus folder (if any) and the page templates."""

    store: Store
    corpus_dir: Path | None
    env: Environment
    #: the most rows a template page shows (``kg serve --max-rows``; None: all)
    row_limit: int | None = None

    @classmethod
    def create(cls, store: Store, corpus_dir: Path | None) -> Site:
        env = Environment(
            loader=PackageLoader("kg.server.explorer", "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["money"] = _money
        env.filters["status_key"] = deals.status_key
        env.globals["figure_text"] = _figure_text
        env.globals["bound_words"] = bound_words
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
    figure = parse_decimal(value)
    if figure is None:
        return str(value or "")
    return money(figure, str(currency) if currency is not None else None, lang=lang)


def _figure_text(figure: deals.Figure | None, lang: str) -> str:
    """A deal's amount or capacity for a page (``at most US$100 bn``, ``10 GW``)."""
    if figure is None:
        return ""
    return deals.figure_text(figure, lang=lang)


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
    try:
        svg = picture(
            template,
            result,
            bindings,
            source=StoreSource(site.store),
            fmt=PictureFormat.SVG,
            lang=links.lang,
            href=links.href,
        )
    except InputError as exc:  # Graphviz or the CJK font missing: the page, without a picture
        return Markup('<p class="empty picture-missing">{}</p>').format(str(exc))
    return _inline_svg(svg)


def _download(answered: Answer, wanted: str) -> Response:
    """A template's answer as a CSV or JSON file (labels, readable figures, IRIs beside), the
    rows ``kg query`` and ``/api`` write; a graph-shaped one as JSON-LD."""
    fmt = Format.CSV if wanted == "csv" else Format.JSON
    kind = "text/csv" if wanted == "csv" else "application/json"
    if not isinstance(answered.result, SelectResult):
        fmt, kind = Format.SPARQL_JSON, "application/ld+json"
    headers = {"Content-Disposition": f'attachment; filename="{answered.template}.{wanted}"'}
    if answered.truncated:
        headers["X-Result-Truncated"] = "true"
    body = answered.text(fmt).encode("utf-8")
    return Response(200, body, f"{kind}; charset=utf-8", headers)


def _run(
    site: Site, name: str, params: Mapping[str, str]
) -> tuple[Template, SelectResult, dict[str, Node]]:
    source = StoreSource(site.store)
    template, bindings = prepare(source, name, params)
    result = run_template(template, bindings, source=source)
    if not isinstance(result, SelectResult):
        raise InputError(f"{name} is not a SELECT template")
    return template, result, bindings


def _cut(result: SelectResult | Graph, limit: int | None) -> bool:
    """Cut ``result`` to ``limit`` rows (or triples) in place; whether it was longer."""
    if limit is None:
        return False
    if isinstance(result, SelectResult):
        if len(result.rows) <= limit:
            return False
        del result.rows[limit:]
        return True
    if len(result) <= limit:
        return False
    for triple in list(result)[limit:]:
        result.remove(triple)
    return True


def _terms(rows: Iterable[Mapping[str, Node]]) -> set[Node]:
    return {t for row in rows for t in row.values() if isinstance(t, URIRef)}


def not_found(site: Site, request: Request, what: str) -> Response:
    return site.page("error.html", request, links_for(request), status=404, message=what)


# -- home and search ---------------------------------------------------------------------------


def _with_titles(links: Links, infos: Iterable[data.ArticleInfo]) -> None:
    """Show articles by their titles (in the page's language when the record gives one)."""
    for info in infos:
        if info.titles:
            links.labels[info.node] = {**links.labels.get(info.node, {}), **info.titles}


def _name_unnamed(site: Site, links: Links, parties: Iterable[URIRef]) -> None:
    """A party the article does not name (a node inside the article's graph) is shown by the
    record's description of it, else by its role (:func:`kg.query.answer.unnamed_labels`)."""
    links.labels.update(unnamed_labels(StoreSource(site.store), parties))


def _size_label(low: Decimal | None, high: Decimal | None, lang: str) -> str:
    """The name of a size bucket: ``US$10 bn to US$100 bn``, ``100億至1,000億美元`` ..."""
    zh = lang != "en"
    if low is None:
        return "沒有美元金額" if zh else "no amount in US$"
    if high is None:
        return f"{_usd(low, lang)}以上" if zh else f"{_usd(low, lang)} and more"
    if low == 0:
        return f"未達{_usd(high, lang)}" if zh else f"under {_usd(high, lang)}"
    if zh:
        return f"{_usd(low, lang).removesuffix('美元')}至{_usd(high, lang)}"
    return f"{_usd(low, lang)} to {_usd(high, lang)}"


def _usd(value: Decimal, lang: str) -> str:
    return money(value, "USD", lang=lang)


#: how many of each list the home page shows
_HOME_DEALS, _HOME_LOOPS, _HOME_ARTICLES, _HOME_FIRMS = 8, 5, 10, 24


def home(site: Site, request: Request) -> Response:
    """The numbers that matter: deals by latest status and by size, the largest deals, the
    largest money loops, the newest articles and the firms with most deals."""
    links = links_for(request)
    summaries = deals.summaries(site.store)
    by_deal = {s.deal: s for s in summaries}
    _, cycles, _ = _run(site, "capital-cycles", {})
    loops = deals.loops(cycles.rows, by_deal)
    infos = data.articles(site.store)
    reported: dict[URIRef, int] = {}
    firms: dict[URIRef, set[URIRef]] = {}
    for summary in summaries:
        for article_iri in summary.articles:
            reported[article_iri] = reported.get(article_iri, 0) + 1
        for _, party in summary.parties:
            firms.setdefault(party, set()).add(summary.deal)
    buckets = deals.size_buckets(summaries)
    uppers: list[Decimal | None] = [None, *deals.SIZES[:-1]]
    sizes = [
        (_size_label(low, uppers[i] if low is not None else None, links.lang), found)
        for i, (low, found) in enumerate(buckets)
    ]
    wanted: set[Node] = {*firms, *(i.publisher for i in infos if i.publisher)}
    for summary in summaries:
        wanted |= summary.terms()
    links.labels = data.labels(site.store, wanted)
    _with_titles(links, infos)
    _name_unnamed(site, links, firms)
    named = {f: d for f, d in firms.items() if kind_of(f) != "article"}
    top_firms = sorted(named.items(), key=lambda f: (-len(f[1]), links.label(f[0]).casefold()))
    return site.page(
        "home.html",
        request,
        links,
        deals=summaries,
        statuses=deals.status_counts(summaries),
        sizes=sizes,
        largest=[s for s in summaries if s.usd is not None][:_HOME_DEALS],
        loops=loops[:_HOME_LOOPS],
        loop_count=len(loops),
        articles=infos[:_HOME_ARTICLES],
        article_count=len(infos),
        reported=reported,
        firms=[(f, len(d)) for f, d in top_firms[:_HOME_FIRMS]],
        firm_count=len(named),
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
    template, dealt, bindings = _run(site, "deals-of-firm", {"firm": str(iri)})
    links.labels = data.labels(site.store, _terms(profile.rows) | _terms(dealt.rows) | {iri})
    _name_unnamed(site, links, (t for t in _terms(dealt.rows) if isinstance(t, URIRef)))
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
    flows = _template_picture(site, template, dealt, bindings, links)
    return site.page(
        "firm.html",
        request,
        links,
        iri=iri,
        names=names,
        identifiers=identifiers,
        deals=dealt.rows,
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
    """A deal: its summary box (parties, latest amount and capacity, latest status), the
    timeline of its status across articles with the evidence, and what each article says."""
    links = links_for(request)
    iri = URIRef(f"{BASE}deal/{slug}")
    said = data.statements(site.store, iri)
    if not said:
        return not_found(site, request, f"no deal '{slug}' in the dataset")
    found = deals.summaries(site.store, iri)
    summary = found[0] if found else None
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
        {iri, *_terms(status_rows), *reports, *(summary.terms() if summary else ())},
    )
    _with_titles(links, (info for a in reports for info in data.articles(site.store, a)))
    if summary is not None:
        _name_unnamed(site, links, (party for _, party in summary.parties))
    return site.page(
        "deal.html",
        request,
        links,
        iri=iri,
        summary=summary,
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
    hidden = {AIKG.mentions, _RDF_TYPE, URIRef(_DCTERMS + "title")}  # the title is the heading
    metadata = [s for s in said if s.predicate not in hidden]
    links.labels = data.labels(
        site.store,
        bodies
        | set(types.values())
        | {s.value for s in metadata}
        | {s.predicate for s in metadata},
    )
    _with_titles(links, data.articles(site.store, iri))

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
    limit = site.row_limit + 1 if site.row_limit is not None else None
    source = StoreSource(site.store, cap=limit)
    try:
        if wanted in ("csv", "json"):  # a download: the answer kg query and /api write
            answered = answer(source, name, given, lang=links.lang, limit=site.row_limit)
            return _download(answered, wanted)
        chosen, bindings = prepare(source, name, given)
        result = run_template(chosen, bindings, source=source)
        truncated = _cut(result, site.row_limit)
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
    table = result if isinstance(result, SelectResult) else graph_rows(result)
    links.labels = data.labels(site.store, _terms(table.rows))
    answered = build_answer(chosen, result, source=source, lang=links.lang)
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
        answer=answered,
        href=lambda iri: links.href(URIRef(iri)),
        picture=drawn,
        downloads=downloads,
        truncated=site.row_limit if truncated else None,
    )
