"""Every answer is the same before and after reasoning: templates, pictures, explorer pages.

`kg reason` (and `kg build --update`'s rules) write the inferred graph: the general
``aikg:party`` beside each specific role, the inverse roles, ``aikg:paysTo`` and
``aikg:capitalFlowsTo``, inferred classes. The templates, the picture queries and the explorer's
queries read what the articles, the reference data and the linkset state, never that graph, so
that a deal is not listed once per role it is inferred to have.

Two stores stand for "after": the seed store after `kg reason` with HermiT (``java``), and the
seed store whose inferred graph holds what the per-article rules infer plus a copy of every
stated triple (no Java needed; the worst case: any template that read the inferred graph would
see its rows twice, or under another source graph).
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.core.iris import GRAPH_INFERRED, GRAPH_LINKSET, GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.core.terms import to_ox
from kg.query.params import bind
from kg.query.pictures import CHART_TEMPLATES, GRAPH_TEMPLATES, PictureFormat, picture
from kg.query.run import StoreSource, run_template
from kg.query.templates import load_catalogue
from kg.reason.rules import materialise
from kg.server.explorer import Request, handle, site
from kg.store.embedded import SelectResult, Store
from tests.test_query_manifest import CASES, comparable

#: each template with the parameters of each of its manifest cases (on the seed store)
RUNS = sorted(
    {(case.query.stem, tuple(sorted(case.params.items()))) for case in CASES},
)
AFTER = ["inflated", pytest.param("reasoned", marks=pytest.mark.java)]


def _run_id(run: tuple[str, tuple[tuple[str, str], ...]]) -> str:
    name, params = run
    return "-".join([name, *(f"{k}={v}" for k, v in params)])


@pytest.fixture(scope="module")
def before(seed_store: Path) -> Iterator[Store]:
    with Store.open(seed_store, read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def inflated_seed_store(tmp_path_factory: pytest.TempPathFactory, seed_store: Path) -> Path:
    """The seed store whose inferred graph holds the rules' inferences and a copy of every
    triple of the article, reference and linkset graphs."""
    path = tmp_path_factory.mktemp("inflated") / "store"
    shutil.copytree(seed_store, path)
    inferred = ox.NamedNode(str(GRAPH_INFERRED))
    with Store.open(path) as store:
        stated = [g for g in store.graph_names() if g not in (GRAPH_ONTOLOGY, GRAPH_INFERRED)]
        assert GRAPH_REFERENCE in stated and len(stated) > 2
        articles = [g for g in stated if g not in (GRAPH_REFERENCE, GRAPH_LINKSET)]
        ruled = materialise(store, graphs=[*articles, GRAPH_REFERENCE])
        copies = [
            ox.Quad(q.subject, q.predicate, q.object, inferred)
            for g in stated
            for q in store.quads(g)
        ]
        rules = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), inferred) for s, p, o in ruled]
        store.add_quads([*copies, *rules])
    return path


@pytest.fixture(scope="module")
def after(request: pytest.FixtureRequest) -> Iterator[Store]:
    path: Path = request.getfixturevalue(f"{request.param}_seed_store")
    with Store.open(path, read_only=True) as store:
        inferred = len(store.graph(GRAPH_INFERRED))
        assert inferred > 100, "nothing inferred: the test would prove nothing"
        yield store


def _answer(store: Store, name: str, params: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    template = load_catalogue()[name]
    source = StoreSource(store)
    result = run_template(template, bind(template, params, knows=source.knows), source=source)
    if isinstance(result, Graph):
        return ["s", "p", "o"], sorted([t.n3() for t in triple] for triple in result)
    return comparable(result, quotes=True)


def _diff(want: list[str], got: list[str]) -> str:
    lines = difflib.unified_diff(want, got, "before", "after", lineterm="", n=1)
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("after", AFTER, indirect=True)
@pytest.mark.parametrize("run", RUNS, ids=[_run_id(r) for r in RUNS])
def test_every_template_answers_the_same_after_reasoning(
    run: tuple[str, tuple[tuple[str, str], ...]], before: Store, after: Store
) -> None:
    name, params = run
    columns, rows = _answer(before, name, dict(params))
    got_columns, got_rows = _answer(after, name, dict(params))
    assert got_columns == columns
    flat, got_flat = ["\t".join(r) for r in rows], ["\t".join(r) for r in got_rows]
    assert got_flat == flat, f"{_run_id(run)} differs after reasoning:\n{_diff(flat, got_flat)}"


def test_every_template_is_run() -> None:
    assert {name for name, _ in RUNS} == set(load_catalogue())


PICTURED = [r for r in RUNS if r[0] in GRAPH_TEMPLATES | CHART_TEMPLATES]


def _picture(store: Store, name: str, params: dict[str, str], lang: str) -> str:
    template = load_catalogue()[name]
    source = StoreSource(store)
    bindings = bind(template, params, knows=source.knows)
    result = source.run(template, bindings)
    assert isinstance(result, SelectResult)
    fmt = PictureFormat.SVG if name in CHART_TEMPLATES else PictureFormat.DOT
    return picture(template, result, bindings, source=source, fmt=fmt, lang=lang)


@pytest.mark.parametrize("after", AFTER, indirect=True)
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize("run", PICTURED, ids=[_run_id(r) for r in PICTURED])
def test_every_picture_is_the_same_after_reasoning(
    run: tuple[str, tuple[tuple[str, str], ...]], lang: str, before: Store, after: Store
) -> None:
    name, params = run
    drawn = _picture(before, name, dict(params), lang)
    again = _picture(after, name, dict(params), lang)
    change = _diff(drawn.splitlines(), again.splitlines())
    assert again == drawn, f"{_run_id(run)} ({lang}):\n{change}"


def test_the_pictures_cover_every_drawable_template() -> None:
    assert {name for name, _ in PICTURED} == GRAPH_TEMPLATES | CHART_TEMPLATES


# -- the explorer: every page its home page leads to ---------------------------------------------


class _Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith(("/static/", "//")):
            self.hrefs.append(href.partition("#")[0])


def _crawl(store: Store, corpus: Path, starts: list[str], limit: int = 3000) -> dict[str, bytes]:
    """Every page reachable from ``starts`` by the explorer's own links: path → body."""
    explorer = site(store, corpus)
    seen: dict[str, bytes] = {}
    todo = list(starts)
    while todo and len(seen) < limit:
        target = todo.pop()
        if target in seen:
            continue
        response = handle(explorer, Request.from_target(target))
        seen[target] = response.body
        if response.content_type.startswith("text/html"):
            todo.extend(h for h in _Links(response.body.decode("utf-8")).hrefs if h not in seen)
    return seen


STARTS = ["/", "/?lang=zh-Hant", "/templates", "/search?q=nvidia", "/search?q=%E8%BC%9D"]


@pytest.fixture(scope="module")
def before_pages(before: Store, corpus_dir: Path) -> dict[str, bytes]:
    """The explorer's pages on the store before reasoning, crawled once for both "after"s."""
    return _crawl(before, corpus_dir, STARTS)


@pytest.mark.parametrize("after", AFTER, indirect=True)
def test_every_explorer_page_is_the_same_after_reasoning(
    before_pages: dict[str, bytes], after: Store, corpus_dir: Path
) -> None:
    pages = before_pages
    again = _crawl(after, corpus_dir, STARTS)
    for kind in ("/firm/", "/deal/", "/article/", "/node/", "/templates/"):
        assert sum(p.startswith(kind) for p in pages) >= 2, f"the crawl found no {kind} pages"
    assert sorted(again) == sorted(pages), "the explorer links to other pages after reasoning"
    changed = [p for p in pages if again[p] != pages[p]]
    if changed:
        first = changed[0]
        text = _diff(pages[first].decode().splitlines(), again[first].decode().splitlines())
        pytest.fail(f"{len(changed)} of {len(pages)} pages differ, e.g. {first}:\n{text}")
