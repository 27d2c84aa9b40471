"""How the explorer names and links things: explorer URLs for our individuals, register URLs for
external identifiers, labels in the page's language.

>>> links = Links(lang="zh-Hant", labels={})
>>> links.href(URIRef("https://w3id.org/aikg/id/firm/nvidia"))
'/firm/nvidia?lang=zh-Hant'
>>> links.href(URIRef("https://w3id.org/aikg/id/chip/h200"))
'/node/chip/h200?lang=zh-Hant'
>>> register_url("cik", "0001045810")
'https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0001045810'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from rdflib import URIRef
from rdflib.term import Node

from kg.core.iris import BASE, SLUG
from kg.query.results import display
from kg.query.run import Labels

__all__ = ["LANGUAGES", "Links", "register_url"]

#: the languages of labels a page can show
LANGUAGES = ("en", "zh-Hant")

_PAGES = {"firm", "deal", "article"}
_WIKIDATA = "http://www.wikidata.org/entity/"


def register_url(kind: str, value: str) -> str | None:
    """The public register page of an identifier (``lei``, ``cik``, ``wikidata``), if any."""
    if kind == "lei" and value.isalnum() and len(value) == 20:
        return f"https://search.gleif.org/#/record/{value}"
    if kind == "cik" and value.isdigit():
        return f"https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={value}"
    if kind == "wikidata" and value.startswith(_WIKIDATA):
        qid = value[len(_WIKIDATA) :]
        if qid[:1] == "Q" and qid[1:].isdigit():
            return f"https://www.wikidata.org/wiki/{qid}"
    return None


@dataclass
class Links:
    """Links and labels for one page, in its language."""

    lang: str = "en"
    labels: Labels = field(default_factory=dict)

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """``path`` with ``params`` and the page's language as a query string."""
        query = {k: v for k, v in (params or {}).items() if v}
        if self.lang != "en":
            query["lang"] = self.lang
        return path + ("?" + urlencode(query) if query else "")

    def path_of(self, iri: Node | None) -> str | None:
        """The explorer path of one of our individuals, without the language."""
        if not isinstance(iri, URIRef) or not str(iri).startswith(BASE):
            return None
        parts = str(iri)[len(BASE) :].split("/")
        if len(parts) != 2 or not SLUG.fullmatch(parts[1]) or not parts[0].isalpha():
            return None
        kind, slug = parts
        if kind in _PAGES:
            return f"/{kind}/{slug}"
        return f"/node/{kind}/{quote(slug)}"

    def href(self, iri: Node | None) -> str | None:
        """The explorer page of ``iri`` (with the language), or a register page, or None."""
        path = self.path_of(iri)
        if path is not None:
            return self.url(path)
        if isinstance(iri, URIRef):
            return register_url("wikidata", str(iri))
        return None

    def label(self, term: Node | None) -> str:
        """How ``term`` is shown: its label in the page's language, else a short name."""
        return display(term, labels=self.labels, lang=self.lang)

    def other_languages(self, path: str, params: Mapping[str, str]) -> list[tuple[str, str]]:
        """(language, URL of this page in it) for each other language."""
        out = []
        for lang in LANGUAGES:
            if lang != self.lang:
                query = {k: v for k, v in params.items() if v and k != "lang"}
                if lang != "en":
                    query["lang"] = lang
                out.append((lang, path + ("?" + urlencode(query) if query else "")))
        return out
