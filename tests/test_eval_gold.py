"""`kg eval` against analyst gold (the dev set's ``*.gold.json``): the README's scoring rule on
the real gold files, with drafts the tests write themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg.cli import main
from kg.extract.eval.gold import evaluate_gold, load_gold, name_variants

NOKIA = "nvidia-nokia-zh"


def _header(devset: Path, name: str) -> dict[str, object]:
    gold = json.loads((devset / f"{name}.gold.json").read_text(encoding="utf-8"))
    return {
        "id": name,
        "file": f"{name}.txt",
        "publisher": "firm/unknown-publisher",
        "published": "2025-10",
        "precision": "month",
        "language": "zh-Hant",
        "sha256": gold["text_sha256"],
        "length": 1,
    }


def _draft(folder: Path, devset: Path, name: str, facts: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    record = {"article": _header(devset, name), "facts": facts}
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True))


def test_name_variants_follow_the_readme():
    assert name_variants("NVIDIA (輝達/Nvidia)") == {"nvidia", "輝達"}
    assert name_variants("Cerebras Systems Corp (Cerebras)") == {
        "cerebras systems corp",
        "cerebras systems",
        "cerebras",
    }
    assert name_variants("ＡＳＭＬ") == {"asml"}


def test_the_gold_is_read_as_the_readme_counts_it(devset_dir):
    articles = load_gold(devset_dir)
    index = json.loads((devset_dir / "index.json").read_text(encoding="utf-8"))
    assert len(articles) == len(index) == 16
    by_name = {a.name: a for a in articles}
    for row in index:
        article = by_name[row["short_name"]]
        assert len(article.scored_entities) == row["n_entities_scored"]
        assert article.deal_free == (not row["has_deal"])
    # deals with at least one gold firm, country or person as a party
    assert sum(len(a.deals) for a in articles) == 44


def test_entities_and_deals_are_matched_by_name_variants(tmp_path, devset_dir):
    pred = tmp_path / "pred"
    facts = [
        {"mentions": "firm/nvidia", "evidence": [[0, 2]]},
        {"mentions": "country/us", "evidence": [[0, 2]]},
        {"mentions": "firm/bloomberg", "evidence": [[0, 2]]},  # a news source: left out
        {"mentions": "firm/oracle", "evidence": [[0, 2]]},  # not in the gold: false
        {
            "id": "firm/nokia",
            "type": "Firm",
            "rdfs:label": {"en": "Nokia", "zh-Hant": "諾基亞"},
            "evidence": [[0, 2]],
        },
        {
            "type": "Investment",
            "investor": "firm/nvidia",
            "investee": "firm/nokia",
            "amount": {"value": 1_000_000_000, "currency": "USD"},
            "statusEntry": {"status": "Announced", "asOf": "2025-10"},
            "evidence": [[0, 2]],
        },
        {  # roles do not matter, parties do: NVIDIA and Nokia under any role
            "type": "Partnership",
            "participant": ["firm/nokia", "firm/nvidia"],
            "evidence": [[0, 2]],
        },
        {  # a second partnership of the same pair: the gold has no third one without T-Mobile
            "type": "Partnership",
            "participant": ["firm/nokia", "firm/nvidia"],
            "evidence": [[0, 2]],
        },
    ]
    _draft(pred, devset_dir, NOKIA, facts)
    result = evaluate_gold(devset_dir, pred)
    scores = result.articles[NOKIA]
    entities, deals = scores["entities"], scores["deals"]
    assert (entities.matched, entities.gold, entities.predicted) == (3, 8, 4)
    assert (deals.matched, deals.gold, deals.predicted) == (2, 4, 3)
    assert (scores["amounts"].matched, scores["amounts"].gold) == (1, 2)
    assert scores["statuses"].matched == 1
    assert result.misses[NOKIA]["false entities"] == ["firm/oracle"]
    assert NOKIA not in result.unmatched_gold and len(result.unmatched_gold) == 15
    assert result.languages[NOKIA] == "zh-Hant"


def test_kg_eval_prints_tables_and_json_per_language(tmp_path, devset_dir, capsys):
    pred = tmp_path / "pred"
    _draft(pred, devset_dir, NOKIA, [{"mentions": "firm/nvidia", "evidence": [[0, 2]]}])
    assert main(["eval", "--gold", str(devset_dir), "--pred", str(pred), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["languages"]) == {"en", "zh-Hans", "zh-Hant"}
    assert data["articles"][NOKIA]["entities"]["matched"] == 1
    assert data["deal_free"] == {"oracle-ai-selloff-en": 0, "taiex-ai-selloff-zh": 0}
    assert main(["eval", "--gold", str(devset_dir), "--pred", str(pred), "--explain"]) == 0
    table = capsys.readouterr().out
    assert "zh-Hant" in table and "missed deals" in table
    status = main(["eval", "--gold", str(devset_dir), "--pred", str(pred), "--min-f1", "0.5"])
    assert status == 1


def test_a_broken_gold_file_is_a_clear_error(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.gold.json").write_text('{"entities": [}', encoding="utf-8")
    (tmp_path / "pred").mkdir()
    (tmp_path / "pred" / "a.yaml").write_text("article: {id: a}\nfacts: []\n")
    assert main(["eval", "--gold", str(gold), "--pred", str(tmp_path / "pred")]) == 2
    err = capsys.readouterr().err
    assert "a.gold.json" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["taiex-ai-selloff-zh", "oracle-ai-selloff-en"])
def test_deal_free_articles_are_known(devset_dir, name):
    (article,) = [a for a in load_gold(devset_dir) if a.name == name]
    assert article.deal_free and not article.deals
