"""The limits of the templates whose full answer is too wide for a large store, on generated data.

``claims`` without a speaker lists the claims in the latest news, ``funding-round`` without a
round the rounds in the latest news, ``conflicting-reports`` without a node the latest reports,
``capital-cycles`` at most 100 cycles (the shortest first) and
``exposure`` each dependant at its shortest distance. The seed
dataset is too small to reach them, so each case here builds a store that does, and runs the
template on the embedded store (values substituted) and on a real Oxigraph server (values in a
VALUES block), which must agree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg.build.derived import derive_all
from kg.query.params import bind
from kg.query.run import EndpointSource, StoreSource, run_template
from kg.query.templates import load_catalogue
from kg.store.embedded import SelectResult, Store
from tests.servers import OxigraphServer, oxigraph_server
from tests.test_query_manifest import comparable, put_graphs

ID = "https://w3id.org/aikg/id/"
PREFIXES = """
@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix firm: <https://w3id.org/aikg/id/firm/> .
@prefix person: <https://w3id.org/aikg/id/person/> .
@prefix claim: <https://w3id.org/aikg/id/claim/> .
@prefix deal: <https://w3id.org/aikg/id/deal/> .
@prefix article: <https://w3id.org/aikg/id/article/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def _day(i: int) -> str:
    """The ``i``-th day from 2020-01-01 in months of 28 days: an ``xsd:date``'s text."""
    month, day = divmod(i, 28)
    return f"{2020 + month // 12}-{month % 12 + 1:02d}-{day + 1:02d}"


def _claims() -> str:
    """205 dated claims of three speakers, each in an article of its own one day after the last
    one's (from 2020-01-01), and one claim in an undated article; the latest article also quotes
    an old claim, the oldest a claim dated later than every article."""
    lines = [PREFIXES]
    for i in range(205):
        speaker = ("person:ada", "person:bo", "person:cy")[i % 3]
        lines.append(f'article:c{i:03d} {{ article:c{i:03d} dcterms:issued "{_day(i)}"^^xsd:date .')
        lines.append(
            f"  claim:c{i:03d} a aikg:Claim ; aikg:attributedTo {speaker} ;"
            f' aikg:about firm:f{i % 7} ; aikg:asOf "{_day(i)}"^^xsd:date ;'
            f' aikg:statement "statement {i}"@en . }}'
        )
    lines.append(
        "article:undated { claim:undated a aikg:Claim ; aikg:attributedTo person:ada ;"
        ' aikg:statement "x"@en . }'
    )
    for article, claim, day in (("c204", "old", "2019-01-01"), ("c000", "late", "2030-01-01")):
        lines.append(
            f"article:{article} {{ claim:{claim} a aikg:Claim ; aikg:attributedTo person:bo ;"
            f' aikg:asOf "{day}"^^xsd:date ; aikg:statement "{claim}"@en . }}'
        )
    return "\n".join(lines)


def _rounds() -> str:
    """110 funding rounds, each reported by an article of its own one day after the last one's
    (from 2020-01-01), with a target, an investor and an investee; round r000 reported again in
    the latest article; r007 with a participant's investment; one round in an undated article."""
    lines = [PREFIXES]
    for i in range(110):
        lines.append(f'article:a{i:03d} {{ article:a{i:03d} dcterms:issued "{_day(i)}"^^xsd:date .')
        lines.append(f"  deal:r{i:03d} a aikg:FundingRound ; aikg:investee firm:f{i % 5} ;")
        lines.append(f"    aikg:investor firm:v{i % 3} ; aikg:amount <{ID}amount/a{i:03d}> .")
        lines.append(f'  <{ID}amount/a{i:03d}> aikg:value {i + 1} ; aikg:currency "USD" . }}')
    lines.append('article:late { article:late dcterms:issued "2021-12-31"^^xsd:date .')
    lines.append("  deal:r000 a aikg:FundingRound ; aikg:investor firm:late . }")
    lines.append("article:part { deal:r007part aikg:partOf deal:r007 ; aikg:investor firm:p . }")
    lines.append("article:undated { deal:undated a aikg:FundingRound ; aikg:investor firm:u . }")
    return "\n".join(lines)


def _conflicts() -> str:
    """60 deals, each given a different amount by two articles one day apart (a000 and a001 on
    d00, ... from 2020-01-01), d00 a third amount by an undated article; firm f0 invests in the
    deals d00, d05, d10 ..."""
    lines = [PREFIXES]
    for i in range(120):
        deal, node = f"deal:d{i // 2:02d}", f"<{ID}amount/a{i:03d}>"
        lines.append(f"article:a{i:03d} {{ article:a{i:03d} a aikg:Article ;")
        lines.append(f'    dcterms:issued "{_day(i)}"^^xsd:date .')
        lines.append(f"  {deal} a aikg:Investment ; aikg:investor firm:f{i // 2 % 5} ;")
        lines.append(f"    aikg:amount {node} .")
        lines.append(f'  {node} aikg:value {i + 1} ; aikg:currency "USD" . }}')
    lines.append("article:undated { article:undated a aikg:Article .")
    lines.append(f"  deal:d00 aikg:amount <{ID}amount/u> .")
    lines.append(f'  <{ID}amount/u> aikg:value 999 ; aikg:currency "USD" . }}')
    return "\n".join(lines)


def _cycles() -> str:
    """120 pairs of firms investing in each other (cycles of two) and one cycle of three."""
    lines = [PREFIXES, "article:cycles {"]
    for i in range(120):
        a, b = f"firm:a{i:03d}", f"firm:b{i:03d}"
        lines.append(f"  deal:ab{i:03d} a aikg:Investment ; aikg:investor {a} ;")
        lines.append(f"    aikg:investee {b} .")
        lines.append(f"  deal:ba{i:03d} a aikg:SupplyAgreement ; aikg:buyer {b} ;")
        lines.append(f"    aikg:supplier {a} .")
    lines.append("  deal:x1 a aikg:Financing ; aikg:borrower firm:x1 ; aikg:lender firm:x2 .")
    lines.append("  deal:x2 a aikg:Investment ; aikg:investor firm:x2 ; aikg:investee firm:x3 .")
    lines.append("  deal:x3 a aikg:Investment ; aikg:investor firm:x3 ; aikg:investee firm:x1 .")
    lines.append("}")
    return "\n".join(lines)


def _exposure() -> str:
    """payer pays a and b; a pays b (b stays at depth 1) and c; c pays d; b pays d and e."""
    flows = [
        ("payer", "a"),
        ("payer", "b"),
        ("a", "b"),
        ("a", "c"),
        ("c", "d"),
        ("b", "d"),
        ("b", "e"),
    ]
    lines = [PREFIXES, "article:exposure {"]
    for n, (x, y) in enumerate(flows):
        lines.append(f"  deal:e{n} a aikg:Investment ; aikg:investor firm:{x} ;")
        lines.append(f"    aikg:investee firm:{y} .")
    lines.append("}")
    return "\n".join(lines)


def _few_cycles() -> str:
    """Three cycles of two and one of three: fewer than the limit."""
    lines = [PREFIXES, "article:few {"]
    for i in range(3):
        a, b = f"firm:a{i}", f"firm:b{i}"
        lines.append(f"  deal:ab{i} a aikg:Investment ; aikg:investor {a} ; aikg:investee {b} .")
        lines.append(f"  deal:ba{i} a aikg:Investment ; aikg:investor {b} ; aikg:investee {a} .")
    lines.append("  deal:x1 a aikg:Financing ; aikg:borrower firm:x1 ; aikg:lender firm:x2 .")
    lines.append("  deal:x2 a aikg:Investment ; aikg:investor firm:x2 ; aikg:investee firm:x3 .")
    lines.append("  deal:x3 a aikg:Investment ; aikg:investor firm:x3 ; aikg:investee firm:x1 .")
    lines.append("}")
    return "\n".join(lines)


DATA = {
    "claims": _claims,
    "rounds": _rounds,
    "conflicts": _conflicts,
    "cycles": _cycles,
    "few": _few_cycles,
    "exposure": _exposure,
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    root = tmp_path_factory.mktemp("defaults")
    opened: dict[str, Store] = {}
    for name, make in DATA.items():
        store = Store.open(root / name)
        store.oxigraph.load(input=make().encode("utf-8"), format=ox.RdfFormat.TRIG)
        derive_all(store)  # what kg load does after loading
        opened[name] = store
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture(scope="module")
def servers(
    stores: dict[str, Store], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, OxigraphServer]]:
    root = tmp_path_factory.mktemp("defaults-servers")
    with contextlib.ExitStack() as stack:
        running: dict[str, OxigraphServer] = {}
        for name, store in stores.items():
            server = stack.enter_context(oxigraph_server(root / name))
            put_graphs(store, server)
            running[name] = server
        yield running


def _both(
    data: str,
    template: str,
    params: dict[str, str],
    stores: dict[str, Store],
    servers: dict[str, OxigraphServer],
) -> list[dict[str, str]]:
    """The rows on the embedded store, checked equal (in order) to the server's."""
    local = StoreSource(stores[data])
    remote = EndpointSource(servers[data].query, timeout=60)
    t = load_catalogue()[template]
    here = run_template(t, bind(t, params, knows=local.knows), source=local)
    there = run_template(t, bind(t, params, knows=remote.knows), source=remote)
    assert isinstance(here, SelectResult) and isinstance(there, SelectResult)
    assert comparable(there) == comparable(here), f"{template} {params}: server and store differ"
    return [{k: str(v) for k, v in row.items()} for row in here.rows]


@pytest.mark.server
def test_claims_without_a_speaker_are_those_in_the_latest_news(stores, servers) -> None:
    rows = _both("claims", "claims", {}, stores, servers)
    claims = {r["claim"].rsplit("/", 1)[1] for r in rows}
    # the 200 latest claims are those of the articles c006 to c204 (which quotes two): the claims
    # of the six oldest articles and of the undated one are left out; the old claim the latest
    # article quotes is in the news, the late one of the oldest article is not
    assert claims == {f"c{i:03d}" for i in range(6, 205)} | {"old"}
    # in the template's order: speaker, then date
    assert [r["speaker"] for r in rows] == sorted(r["speaker"] for r in rows)


@pytest.mark.server
def test_a_speakers_claims_are_all_of_theirs(stores, servers) -> None:
    rows = _both("claims", "claims", {"speaker": "person/ada"}, stores, servers)
    claims = {r["claim"].rsplit("/", 1)[1] for r in rows}
    assert claims == {f"c{i:03d}" for i in range(0, 205, 3)} | {"undated"}
    assert {r["speaker"] for r in rows} == {ID + "person/ada"}


@pytest.mark.server
def test_funding_rounds_without_a_round_are_those_in_the_latest_news(stores, servers) -> None:
    rows = _both("rounds", "funding-round", {}, stores, servers)
    rounds = {r["round"].rsplit("/", 1)[1] for r in rows}
    # the 100 latest reports: r000's second one and those of r011 to r109; the ten before and
    # the undated round are left out
    assert rounds == {"r000"} | {f"r{i:03d}" for i in range(11, 110)}
    r000 = [r for r in rows if r["round"].endswith("/r000")]
    assert {(r.get("participant", "").rsplit("/", 1)[-1], r.get("amount")) for r in r000} == {
        ("", "1"),  # its target
        ("v0", None),
        ("late", None),  # the investor the latest article adds
    }
    assert [r["round"] for r in rows] == sorted(r["round"] for r in rows)


@pytest.mark.server
@pytest.mark.parametrize("round_", ["r007", "undated"])
def test_a_named_round_is_listed_in_full(stores, servers, round_: str) -> None:
    rows = _both("rounds", "funding-round", {"round": f"deal/{round_}"}, stores, servers)
    found = {(r.get("participant", "").rsplit("/", 1)[-1], r.get("amount")) for r in rows}
    if round_ == "r007":  # its target, its investor, and a participant's part of it
        assert found == {("", "8"), ("v1", None), ("p", None)}
        assert {r["investee"] for r in rows} == {ID + "firm/f2"}
    else:
        assert found == {("u", None)}


@pytest.mark.server
def test_conflicting_reports_without_a_node_are_the_latest_100(stores, servers) -> None:
    rows = _both("conflicts", "conflicting-reports", {}, stores, servers)
    # the reports of the articles a020 to a119: the twenty before and the undated one left out
    assert sorted(r["article"].rsplit("/", 1)[1] for r in rows) == [
        f"a{i:03d}" for i in range(20, 120)
    ]
    assert {r["report"] for r in rows} == {f"{i + 1} USD" for i in range(20, 120)}
    assert [r["subject"] for r in rows] == sorted(r["subject"] for r in rows)


@pytest.mark.server
@pytest.mark.parametrize("about", ["deal/d00", "firm/f0"])
def test_the_reports_about_a_node_are_all_of_them(stores, servers, about: str) -> None:
    rows = _both("conflicts", "conflicting-reports", {"about": about}, stores, servers)
    found = {(r["subject"].rsplit("/", 1)[1], r["report"]) for r in rows}
    deals = [0] if about == "deal/d00" else range(0, 60, 5)
    assert found == {(f"d{d:02d}", f"{2 * d + k} USD") for d in deals for k in (1, 2)} | {
        ("d00", "999 USD")
    }


@pytest.mark.server
@pytest.mark.parametrize("max_length", ["2", "3", "5"])
def test_capital_cycles_lists_the_100_shortest(stores, servers, max_length: str) -> None:
    rows = _both("cycles", "capital-cycles", {"max_length": max_length}, stores, servers)
    cycles = {r["cycle"] for r in rows}
    assert len(cycles) == 100
    assert {r["length"] for r in rows} == {"2"}  # 120 cycles of two come before the one of three
    assert sorted(cycles)[0] == "a000 → b000 → a000" and "a099 → b099 → a099" in cycles
    assert "a100 → b100 → a100" not in cycles
    assert len(rows) == 200  # two steps a cycle, one deal a step


@pytest.mark.server
def test_capital_cycles_below_the_limit_has_every_cycle(stores, servers) -> None:
    rows = _both("few", "capital-cycles", {}, stores, servers)
    assert sorted({(r["length"], r["cycle"]) for r in rows}) == [
        ("2", "a0 → b0 → a0"),
        ("2", "a1 → b1 → a1"),
        ("2", "a2 → b2 → a2"),
        ("3", "x1 → x2 → x3 → x1"),
    ]
    assert _both("few", "capital-cycles", {"max_length": "2"}, stores, servers) == rows[:6]


@pytest.mark.server
def test_exposure_lists_each_dependant_at_its_shortest_distance(stores, servers) -> None:
    rows = _both("exposure", "exposure", {"firm": "payer"}, stores, servers)
    found = [(r["depth"], r["path"]) for r in rows]
    assert found == [
        ("1", "payer → a"),
        ("1", "payer → b"),
        ("2", "payer → a → c"),
        ("2", "payer → b → d"),
        ("2", "payer → b → e"),
    ]
    assert {r["deal"].rsplit("/", 1)[1] for r in rows} == {"e0", "e1", "e3", "e5", "e6"}
