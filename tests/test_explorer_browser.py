"""The explorer in a real headless Chromium, served by `kg serve` on loopback: open pages,
follow links, submit forms, check what is shown; screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser import chromium, chromium_paths, screenshot
from tests.servers import in_thread

pytestmark = pytest.mark.skipif(
    chromium_paths() is None, reason="chromium and chromedriver are not installed"
)

FIRST = "tradingkey-2025-09-nvidia-openai"
SECOND = "unattributed-2026-02-nvidia-openai-reversal"


@pytest.fixture(scope="module")
def base_url(seed_store: Path, corpus_dir: Path):
    """`kg serve` itself (its server, one query worker) on loopback, explorer mounted."""
    from kg.server.serve import make_server

    with in_thread(make_server(seed_store, port=0, workers=1, corpus_dir=corpus_dir)) as server:
        yield server.url


def test_kg_serve_still_answers_api_clients_with_json(base_url) -> None:
    request = urllib.request.Request(base_url + "/", headers={"Accept": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["sparql"] == "/sparql"


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def wait_for_path(driver, path: str) -> None:
    """Wait until the browser has navigated to ``path`` (a page load, not a timing check)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: urlparse(d.current_url).path == path)


def by_css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def test_article_text_highlights_the_deal_and_leads_to_its_timeline(base_url, browser) -> None:
    browser.get(f"{base_url}/article/{FIRST}")
    text = by_css(browser, "div.text")
    assert len(text) == 1 and len(text[0].text) > 2000
    marks = by_css(browser, 'div.text a.hl.fact[href="/deal/nvidia-openai-10gw"]')
    assert marks and all(m.is_displayed() for m in marks)
    colour = marks[0].value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # it is highlighted
    assert by_css(browser, 'div.text a.hl.mention[href="/firm/nvidia"]')
    screenshot(browser, "explorer-article")

    marks[0].click()
    wait_for_path(browser, "/deal/nvidia-openai-10gw")
    entries = by_css(browser, "ol.timeline li.entry")
    assert [e.find_element("css selector", ".status").text for e in entries] == [
        "letter of intent",
        "stalled",
        "denied",
    ]
    articles = {a.get_attribute("href").rsplit("/", 1)[-1] for a in by_css(browser, "a.article")}
    assert articles == {FIRST, SECOND}
    assert all(e.find_elements("css selector", "blockquote.evidence") for e in entries)
    screenshot(browser, "explorer-deal")


def test_search_box_finds_nvidia_by_its_chinese_name(base_url, browser) -> None:
    browser.get(base_url + "/")
    box = by_css(browser, "form.search input[name=q]")[0]
    box.send_keys("輝達")
    box.submit()
    wait_for_path(browser, "/search")
    first = by_css(browser, "tr.hit a")[0]
    assert first.text == "NVIDIA"
    first.click()
    wait_for_path(browser, "/firm/nvidia")
    assert by_css(browser, "h1")[0].text == "NVIDIA"
    picture = by_css(browser, "figure.picture svg")
    assert picture and picture[0].size["width"] > 300
    registers = {a.get_attribute("href") for a in by_css(browser, "a.register")}
    assert "https://www.wikidata.org/wiki/Q182477" in registers
    screenshot(browser, "explorer-firm")
    by_css(browser, "header .langs a")[0].click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(lambda d: "lang=zh-Hant" in d.current_url)
    assert by_css(browser, "h1")[0].text == "輝達"
    screenshot(browser, "explorer-firm-zh-Hant")


def test_template_form_runs_and_shows_a_table(base_url, browser) -> None:
    browser.get(base_url + "/templates")
    form = by_css(browser, "#t-deal-timeline form")[0]
    form.find_element("css selector", "input[name=firm]").send_keys("nvidia")
    form.find_element("css selector", "input[name=counterparty]").send_keys("openai")
    form.find_element("css selector", "button").click()
    wait_for_path(browser, "/templates/deal-timeline")
    cells = [td.text for td in by_css(browser, "table.results tbody td")]
    assert "letter of intent" in cells and "denied" in cells
    downloads = [a.text for a in by_css(browser, "a.download")]
    assert downloads == ["CSV", "JSON"]
    screenshot(browser, "explorer-template")


def test_capital_cycles_picture_links_to_firm_pages(base_url, browser) -> None:
    browser.get(base_url + "/templates/capital-cycles")
    nodes = by_css(browser, "figure.picture svg g.node")
    assert {n.text for n in nodes} == {"NVIDIA", "OpenAI", "Oracle"}
    screenshot(browser, "explorer-capital-cycles")
    link = by_css(browser, "figure.picture svg g#node_firm_oracle a")[0]
    assert link.get_attribute("xlink:href") == "/firm/oracle"
    link.click()
    wait_for_path(browser, "/firm/oracle")
    assert by_css(browser, "h1")[0].text == "Oracle"
