"""Where the project's data files live, installed or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "corpus_texts_dir",
    "data_dir",
    "default_store",
    "ontology_dir",
    "queries_dir",
    "records_dir",
]

_PACKAGE = Path(__file__).resolve().parents[1]  # the kg package


def data_dir(name: str) -> Path:
    """The folder ``name`` (ontology, queries, corpus): packaged copy first, else the checkout's."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def ontology_dir() -> Path:
    return data_dir("ontology")


def queries_dir() -> Path:
    return data_dir("queries")


def records_dir() -> Path:
    """The reviewed fact records bundled with the project."""
    return data_dir("corpus")


def default_store() -> Path:
    """``$KG_STORE`` or ``build/store`` below the working directory."""
    return Path(os.environ.get("KG_STORE", "build/store"))


def corpus_texts_dir() -> Path | None:
    """``$KG_CORPUS``: the folder holding the article texts, if the user has one."""
    value = os.environ.get("KG_CORPUS")
    return Path(value) if value else None
