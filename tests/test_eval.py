"""`kg eval`: how facts are matched, the scores, the table and JSON, the exit status."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kg.cli import main
from kg.extract.evaluate import evaluate_dirs

HEADER = {
    "id": "a",
    "file": "a.txt",
    "publisher": "firm/tradingkey",
    "published": "2025-09",
    "precision": "month",
    "language": "en",
    "sha256": "0" * 64,
    "length": 100,
}


def _write(folder: Path, facts: list[dict], **header: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "a.yaml"
    path.write_text(yaml.safe_dump({"article": {**HEADER, **header}, "facts": facts}))
    return path


GOLD = [
    {"mentions": "firm/nvidia", "evidence": [[0, 6]]},
    {"mentions": "firm/openai", "evidence": [[10, 16]]},
    {"mentions": "firm/oracle", "evidence": [[20, 26]]},
    {
        "id": "deal/x",
        "type": "Investment",
        "investor": "firm/nvidia",
        "investee": "firm/openai",
        "amount": {"value": 100_000_000_000, "currency": "USD", "bound": "AtMost"},
        "date": "2025-09-22",
        "statusEntry": {"status": "LetterOfIntent", "asOf": "2025-09-22"},
        "evidence": [[0, 30]],
    },
    {
        "type": "ComputeContract",
        "buyer": "firm/openai",
        "supplier": "firm/oracle",
        "statusEntry": [{"status": "Rumoured", "asOf": "2025-09"}],
        "evidence": [[30, 60]],
    },
    {
        "type": "MetricObservation",
        "metricOf": "firm/oracle",
        "metric": "DebtToEquity",
        "quantity": {"value": 427, "unit": "unit:PERCENT"},
        "evidence": [[60, 70]],
    },
]


def test_matching_ignores_ids_and_order_but_not_roles(tmp_path):
    _write(tmp_path / "gold", GOLD)
    pred = [
        {"mentions": "firm/oracle", "evidence": [[20, 26]]},
        {"mentions": "firm/nvidia", "evidence": [[1, 5]]},
        {"mentions": "firm/amd", "evidence": [[40, 43]]},
        {  # roles swapped: the same parties, not the same deal
            "type": "ComputeContract",
            "buyer": "firm/oracle",
            "supplier": "firm/openai",
            "evidence": [[30, 60]],
        },
        {  # a different id, the same deal; amount within 1 %
            "id": "deal/other",
            "type": "Investment",
            "investee": "firm/openai",
            "investor": "firm/nvidia",
            "amount": {"value": 100_500_000_000, "currency": "USD"},
            "date": "2025-09",
            "statusEntry": {"status": "LetterOfIntent", "asOf": "2025-09"},
            "confidence": 0.7,
            "method": "investment",
            "evidence": [[0, 30]],
        },
        {
            "type": "MetricObservation",
            "metricOf": "firm/oracle",
            "metric": "DebtToEquity",
            "quantity": {"value": 427.0, "unit": "unit:PERCENT"},
            "evidence": [[60, 70]],
        },
    ]
    _write(tmp_path / "pred", pred, id="draft-id", file="renamed.txt")
    result = evaluate_dirs(tmp_path / "gold", tmp_path / "pred")
    total = result.total
    assert (total["mentions"].matched, total["mentions"].gold, total["mentions"].predicted) == (
        2,
        3,
        3,
    )
    assert (total["deals"].matched, total["deals"].gold, total["deals"].predicted) == (1, 2, 2)
    assert total["deal-parties"].matched == 2
    assert total["deals:Investment"].f1 == 1.0
    assert total["deals:ComputeContract"].f1 == 0.0
    assert (total["amounts"].matched, total["amounts"].gold) == (1, 1)
    assert (total["dates"].matched, total["dates"].gold, total["dates"].predicted) == (0, 1, 1)
    assert (total["statuses"].matched, total["statuses"].gold, total["statuses"].predicted) == (
        1,
        2,
        1,
    )
    assert total["metrics"].f1 == 1.0
    assert round(total["mentions"].f1, 4) == round(2 / 3, 4)


def test_a_deal_declared_in_another_gold_record_keeps_its_type_and_roles(tmp_path):
    gold = tmp_path / "gold"
    _write(gold, GOLD)
    (gold / "b.yaml").write_text(
        yaml.safe_dump(
            {
                "article": {**HEADER, "id": "b", "file": "b.txt", "sha256": "1" * 64},
                "facts": [
                    {
                        "id": "deal/x",
                        "statusEntry": {"status": "Denied", "asOf": "2026-01"},
                        "evidence": [[0, 5]],
                    }
                ],
            }
        )
    )
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "b.yaml").write_text(
        yaml.safe_dump(
            {
                "article": {**HEADER, "id": "b2", "file": "b.txt", "sha256": "1" * 64},
                "facts": [
                    {
                        "type": "Investment",
                        "investor": "firm/nvidia",
                        "investee": "firm/openai",
                        "statusEntry": {"status": "Denied", "asOf": "2026-01"},
                        "evidence": [[0, 5]],
                    }
                ],
            }
        )
    )
    result = evaluate_dirs(gold, pred)
    assert result.articles["b.yaml"]["deals"].f1 == 1.0
    assert result.articles["b.yaml"]["statuses"].f1 == 1.0
    assert result.unmatched_gold == ["a.yaml"]
    assert result.articles["a.yaml"]["deals"].recall == 0.0


def test_cli_table_json_and_threshold(tmp_path, capsys):
    _write(tmp_path / "gold", GOLD)
    _write(tmp_path / "pred", GOLD[:3] + GOLD[4:5])
    args = ["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path / "pred")]
    assert main(args) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["kind", "gold", "pred", "match", "P", "R", "F1"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["mentions"]["f1"] == 1.0
    assert data["total"]["deals"] == {
        "matched": 1,
        "gold": 2,
        "predicted": 1,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
    }
    assert main([*args, "--min-f1", "0.6"]) == 0
    assert main([*args, "--min-f1", "0.7"]) == 1
    assert "deals F1 0.667 < 0.7" in capsys.readouterr().err
    assert main([*args, "--min-f1", "0.9", "--kind", "mentions"]) == 0
    assert main([*args, "--min-f1", "1.5"]) == 2
    assert main(["eval", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path)]) == 2
