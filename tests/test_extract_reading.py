"""Reading articles: encodings (detected or given), HTML with offsets into the stored text,
unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.core.errors import InputError
from kg.extract import Extractor, Published, decode_article, read_article
from kg.extract.reading import decode_bytes

ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_reference()


def _comparable(record: dict) -> dict:
    header = dict(record["article"])
    for key in ("sha256", "encoding", "file", "id"):
        header.pop(key)
    return {"article": header, "facts": record["facts"]}


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("nvidia-intel", "big5"),
        ("broadcom-openai", "big5"),
        ("michigan-financing", "gb18030"),
        ("microsoft-nvidia-anthropic", "gb18030"),
        ("nvidia-intel", "gb18030"),
    ],
)
def test_big5_and_gb18030_give_the_same_record_as_utf8(tmp_path, extractor, name, encoding):
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    encoded = tmp_path / f"{name}.txt"
    encoded.write_bytes(text.encode(encoding))
    when = Published.parse("2025-10")
    utf8 = extractor.extract_file(ARTICLES / f"{name}.txt", published=when)
    detected = extractor.extract_file(encoded, published=when)
    assert detected["article"]["encoding"] == encoding
    assert _comparable(detected) == _comparable(utf8)
    assert detected["facts"], "the article yields facts"
    given = extractor.extract_file(encoded, published=when, encoding=encoding)
    assert _comparable(given) == _comparable(utf8)


def test_detection_tells_big5_from_gb18030_on_short_texts():
    assert (
        decode_bytes("輝達宣布投資英特爾五十億美元".encode("big5"))
        == "輝達宣布投資英特爾五十億美元"
    )
    assert (
        decode_bytes("英伟达宣布投资英特尔五十亿美元".encode("gb18030"))
        == "英伟达宣布投资英特尔五十亿美元"
    )


def test_html_offsets_refer_to_the_stored_text(extractor):
    raw = (
        b"<html><head><title>x</title><style>p {color: red}</style></head><body>"
        b"<p>Nvidia &amp; partners: <b>Nvidia</b> will invest up to $5 billion in Intel.</p>"
        b"</body></html>"
    )
    article = decode_article(raw, source="a.html")
    assert article.is_html and "<b>" not in article.view and "color" not in article.view
    record = extractor.extract(
        article, article_id="a", file_name="a.html", published=Published.parse("2025-09-18")
    )
    nvidia = next(f for f in record["facts"] if f.get("mentions") == "firm/nvidia")
    assert [article.text[s:e] for s, e in nvidia["evidence"]] == ["Nvidia", "Nvidia"]
    deal = next(f for f in record["facts"] if f.get("type") == "Investment")
    assert (deal["investor"], deal["investee"]) == ("firm/nvidia", "firm/intel")
    start, end = deal["evidence"][0]
    assert "invest up to $5 billion" in article.text[start:end]


def test_binary_and_undecodable_files_are_exit_2(tmp_path, capsys):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["extract", str(binary), "--out", str(tmp_path / "out")]) == 2
    assert "binary" in capsys.readouterr().err
    with pytest.raises(InputError, match="not valid utf-8"):
        read_article(ARTICLES.joinpath("nvidia-intel.txt"), encoding="utf-8") and None
        bad = tmp_path / "bad.txt"
        bad.write_bytes("輝達".encode("big5"))
        read_article(bad, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(InputError, match="empty"):
        read_article(empty)
    with pytest.raises(InputError, match="unknown encoding"):
        read_article(ARTICLES / "nvidia-intel.txt", encoding="no-such-codec")
