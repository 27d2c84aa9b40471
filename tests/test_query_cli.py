"""`kg query` and `kg queries` end to end: formats, languages, files, endpoints, exit statuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.cli import main as kg_main
from kg.query.sparql_results import parse_sparql_json
from kg.store.embedded import Store
from tests.servers import free_port, oxigraph_server
from tests.test_query_manifest import HERE, put_graphs

PAYS_TO = URIRef("https://w3id.org/aikg/ontology#paysTo")
FIRM = "https://w3id.org/aikg/id/firm/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert kg_main(["load", str(HERE / "fixture.trig"), "--store", str(path)]) == 0  # as a user
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = kg_main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_table_shows_labels_in_the_chosen_language(store_dir: Path, capsys) -> None:
    status, out, _ = run(capsys, "query", "capital-cycles", "--store", str(store_dir))
    assert status == 0
    lines = out.splitlines()
    headers = [h.strip() for h in lines[0].split("  ") if h.strip()]
    assert headers == ["length", "cycle", "step", "from", "to", "deal", "deal type"]
    assert "NVIDIA → OpenAI → Oracle → NVIDIA" in out  # the path's firms by their labels
    assert any(line.split()[8:11] == ["2", "OpenAI", "Oracle"] for line in lines[2:])
    status, out, _ = run(
        capsys, "query", "capital-cycles", "--store", str(store_dir), "--lang", "zh-Hant"
    )
    assert status == 0 and "輝達" in out and "甲骨文" in out and "NVIDIA" not in out
    assert out.splitlines()[0].split()[:3] == ["長度", "循環", "步驟"]  # headers in zh-Hant


def test_falls_back_to_english_then_the_slug(store_dir: Path, capsys) -> None:
    status, out, _ = run(
        capsys,
        "query",
        "deal-timeline",
        "--store",
        str(store_dir),
        "--param",
        "firm=nvidia",
        "--param",
        "counterparty=openai",
        "--lang",
        "zh-Hant",
    )
    assert status == 0
    # statuses have zh-Hant labels, the deals have none (slug), Stalled has no label at all
    assert "合作意向書" in out and "nvidia-openai-10gw" in out and "aikg:Stalled" in out


def test_sparql_csv_and_json_are_the_w3c_result_formats(store_dir: Path, capsys) -> None:
    args = (
        "query",
        "deal-timeline",
        "--store",
        str(store_dir),
        "--param",
        "firm=nvidia",
        "--param",
        "counterparty=openai",
    )
    status, out, _ = run(capsys, *args, "--format", "sparql-csv")
    assert status == 0 and "\r\n" in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["asOf"] == "2025-09-22"
    assert rows[0]["status"] == "https://w3id.org/aikg/ontology#LetterOfIntent"
    assert rows[0]["article"] == "https://w3id.org/aikg/id/article/fixture-2025-09"
    status, out, _ = run(capsys, *args, "--format", "sparql-json")
    data = json.loads(out)
    assert data["head"]["vars"][:2] == ["asOf", "status"]
    result = parse_sparql_json(data)
    assert [str(r["asOf"]) for r in result.rows] == ["2025-09-22", "2025-11", "2026-01", "2026-02"]
    assert data["results"]["bindings"][0]["asOf"]["datatype"].endswith("#date")


def test_markdown(store_dir: Path, capsys) -> None:
    status, out, _ = run(
        capsys,
        "query",
        "metric-compare",
        "--store",
        str(store_dir),
        "--param",
        "metric=TrailingPE",
        "--format",
        "md",
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("| subject | value |") and lines[1].startswith("|---|")
    assert lines[2].startswith("| NVIDIA | 50.62 |")


def test_construct_gives_rdf(store_dir: Path, capsys) -> None:
    status, out, _ = run(capsys, "query", "money-flows", "--store", str(store_dir))
    assert status == 0
    graph = Graph().parse(data=out, format="turtle")
    assert (URIRef(FIRM + "nvidia"), PAYS_TO, URIRef(FIRM + "openai")) in graph
    assert (URIRef(FIRM + "oracle"), PAYS_TO, URIRef(FIRM + "nvidia")) in graph
    status, _, err = run(
        capsys, "query", "capital-cycles", "--store", str(store_dir), "--format", "turtle"
    )
    assert status == 2 and "--format turtle is for CONSTRUCT templates" in err


def test_output_file_takes_its_format_from_the_extension(
    store_dir: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "out" / "cycles.csv"
    status, out, _ = run(
        capsys, "query", "capital-cycles", "--store", str(store_dir), "-o", str(target)
    )
    assert status == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["from_iri"] for r in rows} == {FIRM + "nvidia", FIRM + "openai", FIRM + "oracle"}
    assert {r["from"] for r in rows} == {"NVIDIA", "OpenAI", "Oracle"}
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_bad_input_is_exit_2_with_a_reason(store_dir: Path, tmp_path: Path, capsys) -> None:
    status, _, err = run(capsys, "query", "no-such", "--store", str(store_dir))
    assert status == 2 and "no template 'no-such'" in err
    status, _, err = run(capsys, "query", "firm-profile", "--store", str(store_dir))
    assert status == 2 and "firm-profile needs firm=VALUE" in err
    status, _, err = run(capsys, "query", "capital-cycles", "--store", str(tmp_path / "none"))
    assert status == 2 and "no store here" in err
    status, _, err = run(
        capsys,
        "query",
        "deals-of-firm",
        "--store",
        str(store_dir),
        "--param",
        "firm=nvidia",
        "--param",
        "as_of=31/12/2025",
    )
    assert status == 2
    assert "parameter 'as_of' of deals-of-firm: expected a date YYYY-MM-DD" in err


def test_an_endpoint_that_is_down_is_exit_2(capsys) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    status, _, err = run(capsys, "query", "capital-cycles", "--endpoint", url, "--timeout", "5")
    assert status == 2
    assert f"{url}: the endpoint does not answer" in err
    assert "Traceback" not in err


@pytest.mark.server
def test_the_same_table_from_a_server(store_dir: Path, tmp_path: Path, capsys) -> None:
    args = ("query", "deal-timeline", "--param", "firm=nvidia", "--param", "counterparty=openai")
    status, local, _ = run(capsys, *args, "--store", str(store_dir))
    assert status == 0
    with Store.open(store_dir, read_only=True) as store, oxigraph_server(tmp_path / "db") as server:
        put_graphs(store, server)
        status, remote, _ = run(capsys, *args, "--endpoint", server.query)
        assert status == 0
        status, _, err = run(capsys, "query", "capital-cycles", "--endpoint", server.base + "/nope")
        assert status == 2 and "the endpoint" in err
    assert remote == local
