"""Shared fixtures. The article texts come from ``$KG_CORPUS`` (``.ci/run`` sets it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder holding the two source articles; the tests that need it fail loudly without it."""
    value = os.environ.get("KG_CORPUS")
    candidates = [Path(value)] if value else [ROOT.parent / "shared" / "corpus"]
    for path in candidates:
        if (path / "000_2866ef9cdc55d130.txt").is_file():
            return path
    pytest.fail("the source articles are not at hand: set KG_CORPUS to the corpus folder")


@pytest.fixture(scope="session")
def devset_dir() -> Path:
    """The dev set of real third-party articles with analyst gold (``*.gold.json``), read from
    ``$KG_DEVSET`` or ``../shared/devset`` beside the repository, never copied into it; the tests
    that need it fail loudly without it."""
    value = os.environ.get("KG_DEVSET")
    candidates = [Path(value)] if value else [ROOT.parent / "shared" / "devset"]
    for path in candidates:
        if (path / "index.json").is_file() and any(path.glob("*.gold.json")):
            return path
    pytest.fail("the dev set is not at hand: set KG_DEVSET to the devset folder")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """The seed dataset, built once by `kg build` from the reviewed records with the texts (and
    so validated). Shared by every test that only reads it: a test that writes copies it first."""
    from kg.cli import main as kg_main

    store = tmp_path_factory.mktemp("seed") / "store"
    status = kg_main(["build", "--corpus", str(corpus_dir), "--store", str(store)])
    if status != 0:
        pytest.fail(f"kg build of the seed store failed with status {status}")
    return store


@pytest.fixture(scope="session")
def reasoned_seed_store(tmp_path_factory: pytest.TempPathFactory, seed_store: Path) -> Path:
    """A copy of the seed store after `kg reason` (HermiT, about 30 s): made once per session,
    read only. A test that uses it is marked ``java``."""
    import shutil

    from kg.cli import main as kg_main

    store = tmp_path_factory.mktemp("reasoned") / "store"
    shutil.copytree(seed_store, store)
    status = kg_main(["reason", "--store", str(store), "--reasoner", "hermit"])
    if status != 0:
        pytest.fail(f"kg reason on a copy of the seed store failed with status {status}")
    return store


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """In CI a test skipped because a tool "is not installed" fails: CI must install it."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if "not installed" in reason:
            report.outcome = "failed"
            report.longrepr = f"CI must install what this test needs: {reason}"
