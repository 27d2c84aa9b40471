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
    assert timeline.count('class="entry ') == 3
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
    # the answer kg query writes: labels, and the IRIs beside them
    assert {r["status_iri"].rsplit("#", 1)[-1] for r in rows} >= {"LetterOfIntent", "Denied"}
    assert {"letter of intent", "denied"} <= {r["status"] for r in rows}
    answer = json.loads(get(with_text, downloads[1]).body)
    assert len(answer["rows"]) == len(rows) and answer["template"] == "deal-timeline"


def test_graph_shaped_template_results_come_with_their_picture(with_text) -> None:
    html, _ = page(with_text, "/templates/capital-cycles")
    assert "<svg" in html and "NVIDIA → OpenAI → Oracle → NVIDIA" in html
    assert "<!--" not in html[html.index("<svg") :]


def test_bad_parameters_are_shown_escaped(with_text) -> None:
    html, _ = page(with_text, '/templates/firm-profile?firm="><script>x</script>', status=400)
    assert "&lt;script&gt;" in html
    html, _ = page(with_text, "/templates/deal-timeline?firm=nvidia", status=400)
    assert "needs counterparty=VALUE" in html and "--param" not in html


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


# -- the home page's numbers, the deal summary box, statuses drawn apart ------------------------
def section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start : html.index("</section>", start)]


def test_home_has_the_numbers_that_matter(with_text) -> None:
    html, home = page(with_text, "/")
    numbers = re.findall(r'<span class="big">(\d+)</span> (\w+)', html)
    assert ("21", "deals") in numbers and ("2", "articles") in numbers
    assert ("1", "money") in numbers  # NVIDIA → OpenAI → Oracle → NVIDIA
    statuses = section(html, "by-status")
    assert re.search(r'<tr class="status-denied">.*?denied.*?"count">1<', statuses)
    assert re.search(r'<tr class="status-completed">.*?"count">7<', statuses)
    sizes = section(html, "by-size")
    assert re.search(r"US\$100 bn and more</th><td class=\"count\">3<", sizes)
    largest = section(html, "largest-deals")
    rows = re.findall(r'<tr class="deal ([^"]+)">(.*?)</tr>', largest, re.DOTALL)
    assert "/deal/oracle-openai-300b-compute" in rows[0][1]  # the largest first
    denied = next(row for cls, row in rows if f"/deal/{DEAL}" in row)
    assert "at most US$100 bn" in denied and "10 GW" in denied and "(2026-01)" in denied
    assert next(cls for cls, row in rows if f"/deal/{DEAL}" in row) == "status-denied"
    assert "large Chinese technology firms the article does not name" in largest
    assert "fact/55/buyer" not in html
    loops = section(html, "loops")
    chain = re.findall(r'<span class="hop"><a href="/firm/([a-z-]+)"', loops)
    assert chain == ["nvidia", "openai", "oracle", "nvidia"]
    articles = section(html, "articles")
    titles = re.findall(r'<a class="title" href="/article/([^"]+)">([^<]+)</a>', articles)
    assert [slug for slug, _ in titles] == [SECOND, FIRST]  # newest first, by title
    assert titles[0][1].startswith("The NVIDIA–OpenAI deal unwinds")
    assert "/firm/nvidia" in home.hrefs()


def test_home_in_traditional_chinese(with_text) -> None:
    html, home = page(with_text, "/?lang=zh-Hant")
    assert "交易最新狀態" in html and "遭否認" in html and "1,000億美元以上" in html
    assert "至多 1,000億美元" in html
    assert "輝達與 OpenAI 交易生變" in section(html, "articles")
    assert f"/deal/{DEAL}?lang=zh-Hant" in home.hrefs()


def test_deal_box_sums_up_the_deal(with_text) -> None:
    html, _ = page(with_text, f"/deal/{DEAL}")
    box = html[html.index('<section class="deal-box') : html.index("</section>")]
    assert box.startswith('<section class="deal-box status-denied"')
    assert 'investor</span> <a href="/firm/nvidia">NVIDIA</a>' in box
    assert 'investee</span> <a href="/firm/openai">OpenAI</a>' in box
    assert "at most US$100 bn" in box and ">10 GW<" in box
    assert re.search(r'class="status status-denied">denied <span class="when">\(2026-01\)', box)
    assert "2 articles" in box
    html, _ = page(with_text, f"/deal/{DEAL}?lang=zh-Hant")
    box = html[html.index('<section class="deal-box') : html.index("</section>")]
    assert "至多 1,000億美元" in box and "遭否認" in box and "2 篇文章" in box


def test_a_live_deal_and_a_withdrawn_one_are_styled_apart(with_text) -> None:
    html, _ = page(with_text, "/deal/oracle-openai-300b-compute")
    assert '<section class="deal-box status-definitiveagreement"' in html
    html, _ = page(with_text, "/deal/blue-owl-oracle-michigan-financing")
    assert '<section class="deal-box status-withdrawn"' in html and ">1 GW<" in html
    html, _ = page(with_text, "/firm/oracle")
    row = re.search(r'<tr class="(status-[a-z]+)"><td class="name"><a href="/deal/blue-owl', html)
    assert row and row.group(1) == "status-withdrawn"
    css = get(with_text, "/static/explorer.css").body.decode("utf-8")
    assert ".deal-box.status-denied, .deal-box.status-withdrawn" in css
    assert "line-through" in css


def test_deal_summaries_ignore_the_inferred_general_party(seed_store, tmp_path) -> None:
    """`kg reason` adds aikg:party beside each specific role in the inferred graph; a summary
    reads the article graphs only, so it is the same before and after reasoning."""
    import shutil

    import pyoxigraph as ox

    from kg.core.iris import GRAPH_INFERRED
    from kg.server.explorer import deals

    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    deal = f"https://w3id.org/aikg/id/deal/{DEAL}"
    with Store.open(copy) as opened:
        before = deals.summaries(opened)
        opened.add_quads(
            [
                ox.Quad(
                    ox.NamedNode(deal),
                    ox.NamedNode("https://w3id.org/aikg/ontology#party"),
                    ox.NamedNode(f"https://w3id.org/aikg/id/firm/{firm}"),
                    ox.NamedNode(str(GRAPH_INFERRED)),
                )
                for firm in ("nvidia", "openai")
            ]
        )
        after = deals.summaries(opened)
    assert after == before
    summary = next(s for s in after if str(s.deal) == deal)
    assert [str(role).rsplit("#", 1)[1] for role, _ in summary.parties] == ["investor", "investee"]


def test_article_page_highlights_facts_and_leaves_mentions_to_the_pointer(with_text) -> None:
    html, _ = page(with_text, f"/article/{FIRST}")
    assert "<h1>NVIDIA and OpenAI sign a 10 GW letter of intent" in html
    css = get(with_text, "/static/explorer.css").body.decode("utf-8")
    assert ".hl.mention { background: none; }" in css
    assert ".hl.mention.kind-firm:hover" in css
