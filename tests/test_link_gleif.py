"""``kg link --source gleif``: the Level 1 golden copy (streamed) and the Level 2 parents."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.cli import main
from kg.core.errors import InputError
from kg.link.firms import read_firms
from kg.link.match import Thresholds, Verdict
from kg.link.pipeline import link_gleif
from kg.link.sources.gleif import iter_level1
from kg.link.synthetic import GleifEntity, make_lei, write_gleif_level1
from kg.store.embedded import Store
from tests.linkfixtures import (
    FIXTURES,
    gleif_planted,
    make_store,
    truth,
    write_gleif_level1_file,
    write_gleif_level2_file,
)

LINKSET_GLEIF = URIRef("https://w3id.org/aikg/id/graph/linkset-gleif")
DECOYS = 200_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gleif")
    return {
        "level1": write_gleif_level1_file(folder / "20250824-gleif-lei2.csv.gz", decoys=DECOYS),
        "level2": write_gleif_level2_file(folder / "20250824-gleif-rr.csv", decoys=20_000),
    }


@pytest.fixture(scope="module")
def stripped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store") / "store", stripped=True)


@pytest.fixture(scope="module")
def stripped_firms(stripped: Path):
    with Store.open(stripped) as store:
        return read_firms(store)


def expected_leis() -> dict[str, str]:
    return {t.firm: t.lei for t in truth() if t.lei}


def linked(result) -> dict[str, str]:
    return {
        d.firm.slug: d.candidate.identifier
        for d in result.decisions
        if d.verdict is Verdict.LINK and d.candidate is not None
    }


def test_stripped_firms_get_their_leis_back_from_200k_rows_and_nothing_wrong(big, stripped_firms):
    result = link_gleif(
        stripped_firms, big["level1"], relationships=big["level2"], thresholds=Thresholds()
    )
    assert result.info.entries == DECOYS + len(gleif_planted()[0])
    assert linked(result) == expected_leis()
    by_firm = {d.firm.slug: d for d in result.decisions}
    # the traps: a subsidiary (demoted through Level 2), a duplicate registration, look-alikes
    nvidia = by_firm["nvidia"]
    holdings = next(c for c in nvidia.considered if "HOLDINGS" in c.record.display_name)
    assert any(f.name == "parent" and "549300S4KLFTLO7GSQ80" in f.note for f in holdings.features)
    intel_duplicates = [
        c for c in by_firm["intel"].considered if c.record.registration_status == "DUPLICATE"
    ]
    assert intel_duplicates and all(c.score < 0.1 for c in intel_duplicates)
    for slug in ("blue-owl", "seaport-global-securities", "openai"):
        assert by_firm[slug].verdict in (Verdict.NONE, Verdict.REVIEW), slug


@pytest.mark.parametrize("suffix", [".csv", ".zip"])
def test_plain_and_zip_files_read_like_gzip(tmp_path, stripped_firms, suffix):
    path = write_gleif_level1_file(tmp_path / f"level1{suffix}", decoys=3_000)
    result = link_gleif(stripped_firms, path, thresholds=Thresholds())
    assert linked(result) == expected_leis()


def test_cli_writes_leis_with_provenance_to_the_linkset_graph(tmp_path, big, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    level1 = write_gleif_level1_file(tmp_path / "20250824-level1.csv", decoys=2_000)
    argv = ["link", "--source", "gleif", "--input", str(level1), "--store", str(store)]
    assert main(argv) == 0
    with Store.open(store) as s:
        rows = s.select(
            (FIXTURES / "linkset-leis.rq").read_text(encoding="utf-8"),
            bindings={"g": LINKSET_GLEIF},
        ).rows
    assert {str(r["firm"]).rsplit("/", 1)[1]: str(r["lei"]) for r in rows} == expected_leis()
    for r in rows:
        assert str(r["input"]).endswith("/activity/link-gleif/input")
        assert str(r["file"]).endswith(": 20250824-level1.csv")
        assert str(r["issued"]) == "2025-08-24"
        assert 0.9 <= float(r["score"]) <= 1.0
        assert str(r["justification"]) == "https://w3id.org/semapv/vocab/LexicalMatching"
        assert "name 1.00" in str(r["comment"])
    out = tmp_path / "links.trig"
    assert main([*argv, "-o", str(out)]) == 0
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert len(dataset.graph(LINKSET_GLEIF)) > 0


def test_level2_adds_parent_companies(tmp_path):
    firms_ttl = FIXTURES / "invented-firms.ttl"
    graph = Graph().parse(firms_ttl, format="turtle")
    store = tmp_path / "store"
    with Store.open(store) as s:
        s.replace_graph(URIRef("https://w3id.org/aikg/id/graph/reference"), graph)
    import random

    rng = random.Random(5)
    parent_lei, child_lei = make_lei(rng), make_lei(rng)
    level1 = write_gleif_level1(
        tmp_path / "level1.csv",
        decoys=500,
        planted=[
            GleifEntity(parent_lei, "Zentoria Holdings Inc.", "US"),
            GleifEntity(child_lei, "Zentoria Cloud LLC", "US"),
        ],
    )
    level2 = tmp_path / "rr.csv"
    header = (
        '"Relationship.StartNode.NodeID","Relationship.EndNode.NodeID",'
        '"Relationship.RelationshipType","Relationship.RelationshipStatus"\n'
    )
    level2.write_text(
        header + f'"{child_lei}","{parent_lei}","IS_DIRECTLY_CONSOLIDATED_BY","ACTIVE"\n',
        encoding="utf-8",
    )
    out = tmp_path / "links.ttl"
    argv = ["link", "--source", "gleif", "--input", str(level1), "--store", str(store)]
    assert main([*argv, "--relationships", str(level2), "-o", str(out)]) == 0
    links = Graph().parse(out, format="turtle")
    sub = URIRef("https://w3id.org/aikg/ontology#subsidiaryOf")
    pairs = {
        (str(s).rsplit("/", 1)[1], str(o).rsplit("/", 1)[1]) for s, o in links.subject_objects(sub)
    }
    # the reified statement's rdf:object is the parent too; only the plain triple counts here
    assert ("zentoria-cloud", "zentoria-holdings") in pairs


def _cut(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def test_truncated_gzip_exits_2_naming_the_file_and_writes_nothing(tmp_path, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    level1 = _cut(write_gleif_level1_file(tmp_path / "level1.csv.gz", decoys=5_000), 0.5)
    out = tmp_path / "links.ttl"
    argv = ["link", "--source", "gleif", "--input", str(level1), "--store", str(store)]
    assert main([*argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{level1}:" in err and "ends early" in err
    assert not out.exists()
    assert main(argv) == 2
    with Store.open(store) as s:
        assert LINKSET_GLEIF not in s.graph_names()


def test_truncated_plain_file_names_the_line(tmp_path):
    level1 = write_gleif_level1_file(tmp_path / "level1.csv", decoys=1_000)
    lines = level1.read_text(encoding="utf-8").splitlines(keepends=True)
    half = lines[600][: len(lines[600]) // 2].rstrip('"')
    cut = [*lines[:600], half + "\n"]
    level1.write_text("".join(cut), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(iter_level1(level1))
    assert caught.value.file == str(level1)
    assert caught.value.line == 601


def test_a_bad_lei_names_the_line(tmp_path):
    level1 = write_gleif_level1_file(tmp_path / "level1.csv", decoys=100)
    lines = level1.read_text(encoding="utf-8").splitlines(keepends=True)
    lei = lines[50].split(",")[0].strip('"')
    lines[50] = lines[50].replace(lei, lei[:-2] + ("00" if lei[-2:] != "00" else "01"), 1)
    level1.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="not a valid LEI") as caught:
        list(iter_level1(level1))
    assert caught.value.line == 51


def test_not_a_gleif_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column LEI"):
        list(iter_level1(path))
    empty = tmp_path / "empty.csv.gz"
    with gzip.open(empty, "wt") as handle:
        handle.write("")
    with pytest.raises(InputError, match="empty file"):
        list(iter_level1(empty))
