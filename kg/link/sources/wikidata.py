"""Wikidata: a SPARQL endpoint (through the project's HTTP client) or saved query-service JSON
results.

Results are SPARQL 1.1 JSON (``head.vars``, ``results.bindings[].var.{type, value,
xml:lang}``) with the variables of ``kg/link/sparql/wikidata-details.rq``: ``item`` (required),
``label``, ``alt``, ``lei``, ``cik``, ``exchange``, ``ticker``, ``mic``, ``country``, ``iso``.
Rows are grouped by item into one ``RegisterRecord`` each.

Politeness towards a public endpoint: a descriptive User-Agent, queries batched (several firms'
names, or many items, per request, sent with POST), and on HTTP 429 or 503 a pause of the
``Retry-After`` the server asks for (else a doubling back-off) before trying again.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef, Variable

from kg import __version__
from kg.core.errors import InputError
from kg.core.identifiers import IdKind, cik10, lei_is_valid, qid_iri
from kg.http.client import HttpClient, HttpFailure, RetryPolicy, with_retries
from kg.link.names import has_cjk, normalise, script_variants
from kg.link.records import Listing, RegisterRecord

__all__ = [
    "COUNTRY_CODE",
    "DEFAULT_USER_AGENT",
    "EXCHANGE_MIC",
    "WikidataClient",
    "candidate_items",
    "fill_values",
    "item_records",
    "name_variants",
    "parse_results",
    "read_results_file",
]

DEFAULT_USER_AGENT = f"aikg/{__version__} (kg link; https://w3id.org/aikg)"

#: MICs of exchanges whose Wikidata item may lack P7534
EXCHANGE_MIC: dict[str, str] = {
    "http://www.wikidata.org/entity/Q82059": "XNAS",
    "http://www.wikidata.org/entity/Q13677": "XNYS",
}
#: ISO codes of countries whose Wikidata item may come without P297
COUNTRY_CODE: dict[str, str] = {
    "http://www.wikidata.org/entity/Q30": "us",
    "http://www.wikidata.org/entity/Q17": "jp",
    "http://www.wikidata.org/entity/Q865": "tw",
    "http://www.wikidata.org/entity/Q884": "kr",
    "http://www.wikidata.org/entity/Q148": "cn",
    "http://www.wikidata.org/entity/Q145": "gb",
}
_CJK_LANGS = ("zh", "zh-hant", "zh-hans", "zh-tw", "zh-hk", "zh-cn", "ja")


def _value(binding: Mapping[str, Any], name: str) -> str | None:
    cell = binding.get(name)
    if not isinstance(cell, Mapping):
        return None
    value = cell.get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass
class _Item:
    row: int
    names: list[str] = field(default_factory=list)
    leis: set[str] = field(default_factory=set)
    ciks: set[str] = field(default_factory=set)
    listings: set[Listing] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)


def parse_results(data: object, *, source: str) -> list[RegisterRecord]:
    """SPARQL JSON results -> one record per Wikidata item (``source`` names the origin)."""
    if not isinstance(data, Mapping):
        raise InputError("not SPARQL JSON results: expected an object", file=source)
    head, results = data.get("head"), data.get("results")
    variables = head.get("vars") if isinstance(head, Mapping) else None
    bindings = results.get("bindings") if isinstance(results, Mapping) else None
    if not isinstance(variables, list) or not isinstance(bindings, list):
        raise InputError("not SPARQL JSON results: no head.vars or results.bindings", file=source)
    if "item" not in variables:
        raise InputError(f"the results have no ?item variable (vars: {variables})", file=source)
    items: dict[str, _Item] = {}
    for index, binding in enumerate(bindings):
        if not isinstance(binding, Mapping):
            raise InputError(f"result row {index} is not an object", file=source)
        raw_item = _value(binding, "item")
        if raw_item is None:
            raise InputError(f"result row {index} has no ?item", file=source)
        try:
            item = str(qid_iri(raw_item))
        except ValueError as exc:
            raise InputError(f"result row {index}: {exc}", file=source) from None
        entry = items.setdefault(item, _Item(row=index))
        for var in ("label", "alt"):
            name = _value(binding, var)
            if name and name not in entry.names:
                entry.names.append(name)
        lei = _value(binding, "lei")
        if lei and lei_is_valid(lei.upper()):
            entry.leis.add(lei.upper())
        cik = _value(binding, "cik")
        if cik:
            with contextlib.suppress(ValueError):  # a malformed CIK is no evidence
                entry.ciks.add(cik10(cik))
        ticker = _value(binding, "ticker")
        if ticker:
            exchange = _value(binding, "exchange") or ""
            mic = _value(binding, "mic") or EXCHANGE_MIC.get(exchange)
            entry.listings.add(Listing(ticker.upper(), mic.upper() if mic else None))
        iso = _value(binding, "iso")
        country = _value(binding, "country")
        code = iso.lower() if iso else COUNTRY_CODE.get(country or "")
        if code:
            entry.countries.add(code)
    records = []
    for item, entry in items.items():
        claims: dict[IdKind, frozenset[str]] = {}
        if entry.leis:
            claims[IdKind.LEI] = frozenset(entry.leis)
        if entry.ciks:
            claims[IdKind.CIK] = frozenset(entry.ciks)
        records.append(
            RegisterRecord(
                kind=IdKind.WIKIDATA,
                identifier=item,
                names=tuple(entry.names),
                row=entry.row,
                listings=tuple(sorted(entry.listings)),
                countries=frozenset(entry.countries),
                claims=claims,
            )
        )
    return records


def read_results_file(path: Path) -> list[RegisterRecord]:
    """Saved query-service results (JSON) -> records."""
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from exc
    except json.JSONDecodeError as exc:
        message = f"not valid JSON (truncated?): {exc.msg}"
        raise InputError(message, file=path, line=exc.lineno) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 JSON: {exc.reason}", file=path) from exc
    return parse_results(data, source=str(path))


def fill_values(template: str, values: Mapping[str, Sequence[URIRef | Literal]]) -> str:
    """Replace each ``#@values ?var`` line of ``template`` with a VALUES block of RDF terms,
    each written in its own escaped N-Triples form (never pasted raw)."""
    lines = []
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("#@values ?"):
            var = stripped.removeprefix("#@values ?").strip()
            terms = " ".join(term.n3() for term in values.get(var, ()))
            lines.append(f"VALUES {Variable(var).n3()} {{ {terms} }}")
        else:
            lines.append(line)
    return "\n".join(lines)


def name_variants(name: str) -> list[Literal]:
    """The literals a Wikidata label or alias equal to ``name`` may be: the name as written,
    in title, upper and lower case, without its legal form; CJK names in both scripts and
    under each Chinese and Japanese language tag."""
    if has_cjk(name):
        texts = set(script_variants(name))
        core = normalise(name, fold_script=False).squashed
        if core:
            texts |= script_variants(core)
        return [Literal(t, lang=lang) for t in sorted(texts) for lang in _CJK_LANGS]
    texts = {name, name.title(), name.upper(), name.lower()}
    core = normalise(name).key
    if core and core != name.lower():
        texts |= {core, core.title(), core.upper()}
    return [Literal(t, lang="en") for t in sorted(texts)]


@dataclass
class WikidataClient:
    """SPARQL SELECT queries to one endpoint, politely: a descriptive User-Agent, POST, and
    after 429 or 503 the ``Retry-After`` the server asks for (else a doubling back-off from one
    second), ``retries`` times at most (:mod:`kg.http.client`)."""

    endpoint: str
    user_agent: str = DEFAULT_USER_AGENT
    retries: int = 5
    timeout: int = 120
    max_wait: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0

    def select(self, query: str) -> Mapping[str, Any]:
        client = HttpClient(timeout=self.timeout, user_agent=self.user_agent)
        policy = RetryPolicy(tries=self.retries + 1, backoff=1.0, max_wait=self.max_wait)

        def ask() -> bytes:
            self.requests += 1
            return client.post_query(self.endpoint, query, accept="application/sparql-results+json")

        try:
            body = with_retries(ask, policy=policy, sleep=self.sleep)
        except HttpFailure as exc:
            raise InputError(str(exc)) from exc
        try:
            result = json.loads(body)
        except ValueError:
            result = None
        if not isinstance(result, Mapping):
            raise InputError("the endpoint did not answer with SPARQL JSON", file=self.endpoint)
        return result


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def candidate_items(
    client: WikidataClient,
    *,
    names: Iterable[Sequence[str]],
    leis: Iterable[str],
    ciks: Iterable[str],
    candidates_query: str,
    firms_per_query: int = 8,
) -> list[str]:
    """The items whose label or alias is one of a firm's names, or that carry a held LEI/CIK."""
    found: set[str] = set()
    groups = list(names)
    id_values: dict[str, list[URIRef | Literal]] = {
        "lei": [Literal(v) for v in sorted(set(leis))],
        "cik": sorted({Literal(v) for c in ciks for v in (c, c.lstrip("0"))}),
    }
    first = True
    for batch in _batches(groups, firms_per_query) if groups else iter([[]]):
        literals = sorted({lit for group in batch for name in group for lit in name_variants(name)})
        values: dict[str, Sequence[URIRef | Literal]] = {"name": literals}
        if first:
            values.update(id_values)
            first = False
        result = client.select(fill_values(candidates_query, values))
        for record in parse_results(result, source=client.endpoint):
            found.add(record.identifier)
    return sorted(found)


def item_records(
    client: WikidataClient,
    items: Sequence[str],
    *,
    details_query: str,
    items_per_query: int = 40,
) -> list[RegisterRecord]:
    """Labels, identifiers, listings and countries of ``items``, a batch per request."""
    records: list[RegisterRecord] = []
    for batch in _batches(list(items), items_per_query):
        query = fill_values(details_query, {"item": [URIRef(i) for i in batch]})
        records.extend(parse_results(client.select(query), source=client.endpoint))
    return records
