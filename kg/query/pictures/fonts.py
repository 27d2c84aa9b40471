"""The CJK font of the pictures, found on the system and registered with matplotlib explicitly.

matplotlib's own font list is built once and cached, and it may predate the font's installation
or miss the font collection (``.ttc``) Debian ships; a chart drawn then shows Chinese labels as
empty boxes (and warns once per missing glyph). So the font file is looked up here (fontconfig's
``fc-match``, else the usual font folders) and added to matplotlib by its path. Graphviz finds
the same font through fontconfig; its SVG names the family (:data:`FAMILY`).

>>> FAMILY
'Noto Sans CJK TC'
>>> needs_cjk(["NVIDIA", "P/E"]), needs_cjk(["輝達"])
(False, True)
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from kg.core.errors import InputError

__all__ = [
    "DEBIAN_PACKAGE",
    "FAMILY",
    "cjk_font_file",
    "needs_cjk",
    "register_cjk_font",
    "require_cjk_font",
]

#: the family every picture asks for: Noto Sans CJK has Latin glyphs too
FAMILY = "Noto Sans CJK TC"
#: the Debian package that installs it
DEBIAN_PACKAGE = "fonts-noto-cjk"

_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
#: file names of the font in Debian's package and in Google's downloads
_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKtc-Regular.otf", "NotoSansTC-Regular.otf")


def _from_fontconfig() -> Path | None:
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "-f", "%{family}\t%{file}", f"{FAMILY}:lang=zh-tw"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    family, _, file = done.stdout.partition("\t")
    # fc-match always answers, with a fallback font when it has no CJK one
    if done.returncode != 0 or "CJK" not in family or not file:
        return None
    path = Path(file)
    return path if path.is_file() else None


def cjk_font_file() -> Path | None:
    """The file of :data:`FAMILY` on this system, or None."""
    found = _from_fontconfig()
    if found is not None:
        return found
    for folder in _FOLDERS:
        if not folder.is_dir():
            continue
        for name in _FILES:
            for path in sorted(folder.rglob(name)):
                if path.is_file():
                    return path
    return None


@cache
def register_cjk_font() -> str | None:
    """Add the CJK font to matplotlib's font list (once); its family, or None without one."""
    path = cjk_font_file()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    names = {f.name for f in font_manager.fontManager.ttflist if f.fname == str(path)}
    if FAMILY in names:
        return FAMILY
    # a single-face file of the same design (the Traditional Chinese subset, say)
    return min(names) if names else None


def needs_cjk(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` has a CJK character (so a chart of them needs the font)."""
    return any(
        "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
        for text in texts
        for ch in text
    )


def require_cjk_font(what: str) -> str:
    """The registered family, or :class:`InputError` naming the package to install."""
    family = register_cjk_font()
    if family is None:
        raise InputError(
            f"{what} has Chinese labels but no CJK font is installed"
            f" (as root: apt-get install {DEBIAN_PACKAGE})"
        )
    return family
