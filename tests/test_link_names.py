"""Name normalisation and scoring of the known traps (real names, no store needed)."""

from __future__ import annotations

import pytest

from kg.core.identifiers import cik10, lei_is_valid, listing_slug, qid_iri
from kg.link.names import normalise, quick_keys, similarity


@pytest.mark.parametrize(
    ("name", "core", "forms"),
    [
        ("NVIDIA CORP", "nvidia", {"corp"}),
        ("Nvidia Corporation", "nvidia", {"corp"}),
        ("Amazon.com, Inc.", "amazon com", {"inc"}),
        ("AMAZON COM INC", "amazon com", {"inc"}),
        ("Anthropic PBC", "anthropic", {"pbc"}),
        ("Seaport Global Securities LLC", "seaport global securities", {"llc"}),
        (
            "Taiwan Semiconductor Manufacturing Co., Ltd.",
            "taiwan semiconductor manufacturing",
            {"co", "ltd"},
        ),
        ("Siemens Aktiengesellschaft AG", "siemens aktiengesellschaft", {"ag"}),
        ("Beispiel Technik GmbH", "beispiel technik", {"gmbh"}),
        ("Exemplo Participações S.A.", "exemplo participações", {"sa"}),
        ("Esempio Industrie S.p.A.", "esempio industrie", {"spa"}),
        ("Voorbeeld Holding N.V.", "voorbeeld holding", {"nv"}),
        ("Przyklad sp. z o.o.", "przyklad", {"spzoo"}),
        ("Morgan Stanley & Co. LLC", "morgan stanley and co", {"llc"}),
        ("The Goldman Sachs Group, Inc.", "goldman sachs group", {"inc"}),
        ("QUALCOMM INC/DE", "qualcomm", {"inc"}),
        ("台灣積體電路製造股份有限公司", "台湾积体电路制造", {"gufen"}),
        ("甲骨文公司", "甲骨文", {"gongsi"}),
        ("ソフトバンクグループ株式会社", "ソフトバンクグループ", {"kk"}),
        ("삼성전자주식회사", "삼성전자", {"kk"}),
    ],
)
def test_normalise_strips_legal_forms_in_many_languages(name, core, forms):
    normal = normalise(name)
    assert normal.key == core
    assert normal.forms == forms


def test_a_lone_legal_word_is_kept_as_the_name():
    assert normalise("Company").key == "company"


@pytest.mark.parametrize(
    ("ours", "theirs", "low", "high"),
    [
        ("NVIDIA", "NVIDIA CORP", 1.0, 1.0),
        ("台積電", "台积电", 1.0, 1.0),  # scripts folded
        ("CoreWeave", "Core Weave Inc", 0.97, 0.97),
        ("Meta Platforms", "Meta Materials Inc.", 0.0, 0.6),
        ("Seaport Global Securities", "Seaport Entertainment Group Inc.", 0.0, 0.4),
        ("NVIDIA", "NVIDIA INTERNATIONAL HOLDINGS INC.", 0.0, 0.6),
        ("Morgan Stanley", "MORGAN STANLEY & CO. LLC", 0.0, 0.69),
    ],
)
def test_similarity_of_known_pairs(ours, theirs, low, high):
    assert low <= similarity(normalise(ours), normalise(theirs)) <= high


def test_blue_owl_inc_and_corp_share_a_core_but_not_a_legal_form():
    inc, corp = normalise("Blue Owl Capital Inc."), normalise("Blue Owl Capital Corp")
    assert inc.key == corp.key
    assert inc.forms.isdisjoint(corp.forms)


def test_quick_keys_are_among_the_firm_side_keys():
    for name in ["The NVIDIA Corporation", "J.P. Morgan Securities plc", "株式会社ソフトバンク"]:
        assert quick_keys(name)
    assert quick_keys("J.P. Morgan")[1] == quick_keys("JPMORGAN CHASE & CO")[1]


def test_identifier_checks():
    assert lei_is_valid("549300S4KLFTLO7GSQ80")
    assert not lei_is_valid("549300S4KLFTLO7GSQ8O")  # letter O for the last zero
    assert not lei_is_valid("549300s4klftlo7gsq80")
    assert cik10("2488") == "0000002488"
    with pytest.raises(ValueError):
        cik10("12345678901")
    assert listing_slug("GOOGL", "XNAS") == "xnas-googl"
    assert str(qid_iri("Q182477")) == "http://www.wikidata.org/entity/Q182477"
    with pytest.raises(ValueError):
        qid_iri("P1278")
