"""kg/namespaces.py is generated from the ontology and stays in step with it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.core.codegen import NAMESPACES_FILE, main, render
from kg.core.iris import ONTOLOGY
from kg.core.namespaces import AIKG
from kg.core.ontology import load_ontology, vocabulary


def test_regenerating_changes_nothing() -> None:
    assert render(load_ontology()) == NAMESPACES_FILE.read_text(encoding="utf-8")
    assert main(["--check"]) == 0


def test_check_reports_a_stale_file_and_regeneration_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "namespaces.py"
    stale = NAMESPACES_FILE.read_text(encoding="utf-8").replace("    Firm: URIRef  # firm\n", "")
    target.write_text(stale, encoding="utf-8")
    assert main(["--check", "--output", str(target)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == stale  # --check changes nothing
    assert main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == NAMESPACES_FILE.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["namespaces.py"]  # no temporary left over


def test_a_term_works_and_a_misspelt_one_raises() -> None:
    assert AIKG.Firm == URIRef(ONTOLOGY + "Firm")
    assert AIKG.LetterOfIntent == URIRef(ONTOLOGY + "LetterOfIntent")
    assert AIKG["paysTo"] == URIRef(ONTOLOGY + "paysTo")
    with pytest.raises(AttributeError, match="Frim"):
        _ = AIKG.Frim


def test_the_namespace_holds_exactly_the_ontology_terms() -> None:
    terms = {t.removeprefix(ONTOLOGY) for t in vocabulary().kinds if t.startswith(ONTOLOGY)}
    assert set(AIKG.__annotations__) == terms
    assert all(getattr(AIKG, name) == URIRef(ONTOLOGY + name) for name in terms)


def test_the_generated_module_is_sorted_and_commented() -> None:
    lines = NAMESPACES_FILE.read_text(encoding="utf-8").splitlines()
    assert "    _fail = True" in lines
    assert '    _NS = Namespace("https://w3id.org/aikg/ontology#")' in lines
    assert "    ChipArchitecture: URIRef  # chip architecture" in lines
    sections: list[list[str]] = [[]]
    for line in lines:
        if line.startswith("    # "):
            sections.append([])
        elif line.startswith("    ") and ": URIRef" in line:
            sections[-1].append(line.split(":")[0].strip())
    assert all(section == sorted(section) for section in sections)
    assert sum(len(section) for section in sections) == len(AIKG.__annotations__)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_the_generated_module_is_lint_and_format_clean() -> None:
    for command in (["ruff", "check", "-q"], ["ruff", "format", "--check", "-q"]):
        result = subprocess.run(
            [*command, str(NAMESPACES_FILE)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
