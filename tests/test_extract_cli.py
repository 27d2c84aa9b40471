"""`kg extract` on many files: every core, inputs checked first, all or nothing written, a size
limit, a line per article; and extraction whose work grows linearly with the text."""

from __future__ import annotations

import cProfile
import pstats
import shutil
from pathlib import Path

from kg.cli import main
from kg.extract import Extractor, Published, decode_article

ARTICLES = Path(__file__).parent / "articles"


def _copy_articles(folder: Path) -> list[Path]:
    folder.mkdir()
    out = []
    for path in sorted(ARTICLES.glob("*.txt")):
        out.append(Path(shutil.copy(path, folder)))
    return out


def test_a_folder_on_every_core_gives_the_drafts_of_one_core(tmp_path, capsys):
    texts = tmp_path / "texts"
    files = _copy_articles(texts)
    extra = texts / "unknown-lender.txt"  # a made-up lender: proposed, whatever the reference
    extra.write_text(
        "甲骨文表示，該項目正與另一家出資方Halvorsen Ridge洽談融資。", encoding="utf-8"
    )
    files.append(extra)
    one, many = tmp_path / "one", tmp_path / "many"
    assert (
        main(["extract", str(texts), "--out", str(one), "--published", "2025-11", "--jobs", "1"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(files)
    assert all(" facts, " in line and " deals, " in line for line in lines)
    assert any("new names: firm/halvorsen-ridge (Halvorsen Ridge)" in line for line in lines)
    assert main(["extract", *map(str, files), "--out", str(many), "--published", "2025-11"]) == 0
    for draft in sorted(one.glob("*.yaml")):
        assert (many / draft.name).read_text(encoding="utf-8") == draft.read_text(encoding="utf-8")
    assert len(list(many.glob("*.yaml"))) == len(files)


def test_one_bad_input_writes_nothing(tmp_path, capsys):
    texts = tmp_path / "texts"
    files = _copy_articles(texts)
    bad = texts / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02\xff" * 100)
    out = tmp_path / "out"
    status = main(["extract", *map(str, files), str(bad), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and "bad.bin" in err and "Traceback" not in err
    assert not out.exists() or not list(out.iterdir())
    # an existing draft stays as it was
    out.mkdir(exist_ok=True)
    keep = out / f"{files[0].stem}.yaml"
    keep.write_text("kept\n", encoding="utf-8")
    assert main(["extract", str(files[0]), str(tmp_path / "missing.txt"), "--out", str(out)]) == 2
    assert keep.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in out.iterdir()) == [keep.name]


def test_a_text_over_the_limit_is_refused(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_text("輝達宣布投資。" * 400, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(big), "--out", str(out), "--max-chars", "1000"]) == 2
    err = capsys.readouterr().err  # more bytes than four per character: not even decoded
    assert "big.txt" in err and "8,400 bytes is over the limit of 1,000 characters" in err
    assert main(["extract", str(big), "--out", str(out), "--max-chars", "2500"]) == 2
    err = capsys.readouterr().err
    assert "big.txt: 2,800 characters is over the limit of 2,500" in err
    assert not out.exists()
    assert main(["extract", str(big), "--out", str(out), "--max-chars", "5000", "--quiet"]) == 0
    assert (out / "big.yaml").is_file()


def _calls(extractor: Extractor, text: str) -> int:
    """How many Python function calls extracting ``text`` takes (deterministic, no timing)."""
    article = decode_article(text.encode("utf-8"), source="t.txt")
    when = Published.parse("2025-11")
    extractor.extract(article, article_id="t", file_name="t.txt", published=when)  # warm
    profile = cProfile.Profile()
    profile.enable()
    extractor.extract(article, article_id="t", file_name="t.txt", published=when)
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined,no-any-return]


def test_the_work_grows_linearly_with_the_text():
    extractor = Extractor.from_reference()
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    one, two, four = (_calls(extractor, "\n".join([text] * n)) for n in (1, 2, 4))
    assert two <= 2.2 * one and four <= 2.2 * two
    # text without a sentence end: cut into pieces of bounded length, so still linear
    run = "輝達與甲骨文和微軟及超微合作投資採購晶片" * 200
    a, b = _calls(extractor, run), _calls(extractor, run * 4)
    assert b <= 4.4 * a
