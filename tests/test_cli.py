from __future__ import annotations

import subprocess
import sys

import kg
from kg.cli import VERBS, main


def test_help_lists_every_verb(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    for verb in (
        "build",
        "load",
        "validate",
        "reason",
        "queries",
        "query",
        "export",
        "extract",
        "eval",
        "link",
        "push",
        "serve",
        "bench",
    ):
        assert verb in VERBS
        assert verb in out


def test_version_comes_from_package_metadata():
    out = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == f"aikg {kg.__version__}"
    assert kg.__version__ != "0.0.0+unknown"
