"""The explorer's pages without a browser: the real store, the real templates, parsed HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.query.templates import load_catalogue
from kg.server.explorer import Request, Response, Site, app, handle, site
from kg.server.explorer.text import read_article_text
from kg.store.embedded import Store
from tests.browser import serve

FIRST = "tradingkey-2025-09-nvidia-openai"
SECOND = "unattributed-2026-02-nvidia-openai-reversal"
DEAL = "nvidia-openai-10gw"


class Page(HTMLParser):
    """The links, forms and texts of one page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.tags: list[str] = []
        self._open: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "a":
            found["text"] = ""
            self.links.append(found)
            self._open.append(found)
        if tag == "form":
            self.forms.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link["text"] += data

    def hrefs(self, cls: str | None = None) -> list[str]:
        return [
            a.get("href", "")
            for a in self.links
            if cls is None or cls in a.get("class", "").split()
        ]


@pytest.fixture(scope="module")
def store(seed_store: Path):
    with Store.open(seed_store, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def with_text(store, corpus_dir) -> Site:
    return site(store, corpus_dir)


@pytest.fixture(scope="module")
def without_text(store, tmp_path_factory) -> Site:
    return site(store, tmp_path_factory.mktemp("no-corpus"))


def get(s: Site, target: str) -> Response:
    return handle(s, Request.from_target(target))


def page(s: Site, target: str, status: int = 200) -> tuple[str, Page]:
    response = get(s, target)
    html = response.body.decode("utf-8")
    assert response.status == status, html[-500:]
    assert response.content_type.startswith("text/html")
    assert "<script" not in html  # the explorer needs no JavaScript
    return html, Page(html)


def test_home_links_firms_deals_and_articles(with_text) -> None:
    _, home = page(with_text, "/")
    hrefs = home.hrefs()
    assert {"/firm/nvidia", "/firm/oracle", f"/deal/{DEAL}", f"/article/{FIRST}"} <= set(hrefs)
    assert any(f["action"] == "/search" for f in home.forms)


def test_firm_page_has_registers_deals_metrics_and_money_flows(with_text) -> None:
    html, firm = page(with_text, "/firm/nvidia")
    hrefs = firm.hrefs("register")
    assert "https://www.wikidata.org/wiki/Q182477" in hrefs
    assert "https://search.gleif.org/#/record/549300S4KLFTLO7GSQ80" in hrefs
    assert "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0001045810" in hrefs
    assert f"/deal/{DEAL}" in firm.hrefs()
    assert "trailing P/E" in html and "50.62" in html
    assert "<svg" in html and 'id="node_firm_nvidia"' in html
    # the picture's nodes and edges link to explorer pages
    assert "/firm/oracle" in firm.hrefs() and 'xlink:href="/firm/oracle"' in html
    assert "at most US$100 bn" in html


def test_firm_page_in_traditional_chinese_keeps_the_language_in_links(with_text) -> None:
    html, firm = page(with_text, "/firm/nvidia?lang=zh-Hant")
    assert "<h1>輝達</h1>" in html and "甲骨文" in html
    assert "/deal/nvidia-openai-10gw?lang=zh-Hant" in firm.hrefs()
    assert "/firm/nvidia" in firm.hrefs()  # the switch back to English


@pytest.mark.parametrize("query", ["輝達", "辉达", "英偉達", "nvda", "Nvidia"])
def test_search_finds_a_firm_by_any_of_its_names(with_text, query) -> None:
    _, found = page(with_text, "/search?q=" + query)
    assert "/firm/nvidia" in found.hrefs()
    results = [a["href"] for a in found.links if a.get("href", "").startswith("/firm/")]
    assert results[0] == "/firm/nvidia"


def test_search_without_a_match_says_so(with_text) -> None:
    html, found = page(with_text, "/search?q=zzzqqq")
    assert not [h for h in found.hrefs() if h.startswith(("/firm/", "/node/"))]
    assert "Nothing has that name." in html


def test_article_page_highlights_every_span_from_the_corpus_text(with_text, store, corpus_dir):
    html, article = page(with_text, f"/article/{FIRST}")
    text = read_article_text(corpus_dir, "000_2866ef9cdc55d130.txt", sha256=None, length=None)
    assert text is None  # an unchecked text is never used
    deal_links = [a for a in article.links if a.get("href") == f"/deal/{DEAL}"]
    highlighted = [a for a in deal_links if "hl" in a.get("class", "").split()]
    assert highlighted, "the NVIDIA–OpenAI deal is highlighted in the text"
    assert all("fact" in a["class"].split() for a in highlighted)
    firm_marks = [a for a in article.links if "mention" in a.get("class", "").split()]
    assert any(a["href"] == "/firm/nvidia" for a in firm_marks)
    assert 'id="c13"' in html  # the deal's first span, for links from the deal page
    # the text shown is the article's text, unchanged; the deal's pieces are in it
    raw = (corpus_dir / "000_2866ef9cdc55d130.txt").read_bytes().decode("utf-8")
    body = html[html.index('<div class="text"') : html.index("</div>", html.index('class="text"'))]
    shown = unescape(re.sub(r"<[^>]*>", "", body[body.index(">") + 1 :]))
    assert shown == raw
    assert all(a["text"] and a["text"] in raw for a in highlighted)


def test_article_page_without_the_text_still_lists_the_facts(without_text) -> None:
    html, article = page(without_text, f"/article/{FIRST}")
    assert "The text in the corpus folder is not the one" in html
    assert not article.hrefs("hl")
    assert f"/deal/{DEAL}" in article.hrefs()
    assert "#c13" in article.hrefs("span")


def test_deal_page_has_the_timeline_across_both_articles(with_text) -> None:
    html, deal = page(with_text, f"/deal/{DEAL}")
    timeline = html[html.index('class="timeline"') : html.index("</ol>")]
    assert timeline.count('class="entry"') == 3
    for status in ("letter of intent", "stalled", "denied"):
        assert status in timeline
    assert f"/article/{FIRST}" in deal.hrefs("article")
    assert f"/article/{SECOND}" in deal.hrefs("article")
    assert f"/article/{FIRST}#c13" in deal.hrefs()
    assert timeline.count('class="evidence"') >= 3


def test_catalogue_has_a_form_per_template(with_text) -> None:
    _, catalogue = page(with_text, "/templates")
    actions = [f["action"] for f in catalogue.forms if f.get("class") == "template-form"]
    assert sorted(actions) == sorted(f"/templates/{name}" for name in load_catalogue())


def test_template_results_as_table_csv_and_json(with_text) -> None:
    target = "/templates/deal-timeline?firm=nvidia&counterparty=openai"
    html, result = page(with_text, target)
    assert html.count("<tr>") >= 1 + 6
    assert f"/deal/{DEAL}" in result.hrefs()
    assert "letter of intent" in html
    downloads = result.hrefs("download")
    assert len(downloads) == 2
    table = get(with_text, downloads[0])
    assert table.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.body.decode("utf-8"))))
    assert {r["status"].rsplit("#", 1)[-1] for r in rows} >= {"LetterOfIntent", "Denied"}
    answer = json.loads(get(with_text, downloads[1]).body)
    assert len(answer["results"]["bindings"]) == len(rows)


def test_graph_shaped_template_results_come_with_their_picture(with_text) -> None:
    html, _ = page(with_text, "/templates/capital-cycles")
    assert "<svg" in html and "NVIDIA → OpenAI → Oracle → NVIDIA" in html
    assert "<!--" not in html[html.index("<svg") :]


def test_bad_parameters_are_shown_escaped(with_text) -> None:
    html, _ = page(with_text, '/templates/firm-profile?firm="><script>x</script>', status=400)
    assert "&lt;script&gt;" in html
    html, _ = page(with_text, "/templates/deal-timeline?firm=nvidia", status=400)
    assert "needs --param counterparty" in html


def test_search_text_is_escaped(with_text) -> None:
    html, _ = page(with_text, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_pages_are_404_and_headers_forbid_scripts(with_text) -> None:
    page(with_text, "/firm/no-such-firm", status=404)
    page(with_text, "/firm/../../etc/passwd", status=404)
    page(with_text, "/templates/no-such-template", status=404)
    css = get(with_text, "/static/explorer.css")
    assert css.status == 200 and css.content_type.startswith("text/css")
    assert get(with_text, "/static/../__init__.py").status == 404
    headers = dict(get(with_text, "/").header_list())
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_generic_node_page(with_text) -> None:
    html, node = page(with_text, "/node/chip/h200")
    assert "H200" in html
    assert any(h.startswith("/article/") or h.startswith("/node/") for h in node.hrefs())


def test_wsgi_app_on_loopback(store, corpus_dir) -> None:
    import urllib.error
    import urllib.request

    with serve(app(store, corpus_dir)) as base:
        with urllib.request.urlopen(base + "/search?q=%E8%BC%9D%E9%81%94") as response:
            assert response.status == 200
            assert "/firm/nvidia" in response.read().decode("utf-8")
        request = urllib.request.Request(base + "/", data=b"x", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 405
