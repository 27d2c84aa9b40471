"""The system tools behind the pictures: Graphviz and the CJK font. Their absence is a clear
one-line error naming the Debian package; their presence gives Chinese glyphs, not boxes."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from kg.cli import main as kg_main
from kg.query.pictures import fonts

needs_font = pytest.mark.skipif(
    fonts.cjk_font_file() is None, reason="the CJK font (fonts-noto-cjk) is not installed"
)


def run_kg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, check=False
    )


def test_svg_without_graphviz_names_the_package_to_install(seed_store: Path, tmp_path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}  # no `dot` anywhere
    out = tmp_path / "loop.svg"
    done = run_kg("query", "capital-cycles", "--store", str(seed_store), "-o", str(out), env=env)
    assert done.returncode == 2
    assert "apt-get install graphviz" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


@needs_font
def test_a_chinese_chart_draws_every_glyph(seed_store: Path, tmp_path) -> None:
    """matplotlib warns "Glyph ... missing from font(s)" for each character it draws as a box;
    with the font registered explicitly there is no such warning."""
    fonts.register_cjk_font.cache_clear()
    out = tmp_path / "pe.svg"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = kg_main(
            [
                "query",
                "metric-compare",
                "--param",
                "metric=TrailingPE",
                "--lang",
                "zh-Hant",
                "--store",
                str(seed_store),
                "-o",
                str(out),
            ]
        )
    assert status == 0
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    svg = out.read_text(encoding="utf-8")
    assert "輝達" in svg  # the drawn string, kept as a comment beside its outlines
    assert "NotoSansCJK" in svg  # the glyph outlines come from the CJK font


def test_a_chinese_chart_without_the_font_names_the_package(
    seed_store: Path, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(fonts, "cjk_font_file", lambda: None)
    fonts.register_cjk_font.cache_clear()
    try:
        status = kg_main(
            [
                "query",
                "metric-compare",
                "--param",
                "metric=TrailingPE",
                "--lang",
                "zh-Hant",
                "--store",
                str(seed_store),
                "-o",
                str(tmp_path / "pe.svg"),
            ]
        )
    finally:
        fonts.register_cjk_font.cache_clear()
    assert status == 2
    assert "apt-get install fonts-noto-cjk" in capsys.readouterr().err
    assert not (tmp_path / "pe.svg").exists()


@needs_font
def test_the_font_file_is_found_and_registered() -> None:
    path = fonts.cjk_font_file()
    assert path is not None and path.is_file()
    fonts.register_cjk_font.cache_clear()
    assert fonts.register_cjk_font() == fonts.FAMILY
