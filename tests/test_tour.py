"""The README's tour, run as it stands: its ``sh`` block under "## A tour" is the script.

The block runs in bash (``set -euo pipefail``: every step must succeed) in a copy of the clone
(links to the repository's files, its own ``build/``) with the source articles at
``../shared/corpus``, as the README says. Two things change: the ports 7878 and 8000 become free
ones, and the shell's background jobs are stopped when it exits. The last line serves the
explorer; the test browses it, then stops the script. What each step printed and left is checked.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
#: what a copy of the clone leaves out: generated output, environments, version control
_NOT_COPIED = {".git", ".venv", "build", "test-artifacts", ".pytest_cache", ".mypy_cache"}
#: the longest the tour may take before the explorer answers (it builds, reasons, benchmarks)
_TOUR_LIMIT_S = 1800


def tour_block(readme: str) -> str:
    """The first ``sh`` code block after the "## A tour" heading."""
    section = readme.split("\n## A tour\n", 1)[1]
    found = re.search(r"^```sh\n(.*?)^```", section, re.DOTALL | re.MULTILINE)
    assert found, "the README's tour has no ```sh block"
    return found.group(1)


def test_the_tour_block_is_found_and_names_its_ports() -> None:
    block = tour_block((ROOT / "README.md").read_text(encoding="utf-8"))
    lines = [line for line in block.splitlines() if line.strip()]
    assert lines[0].startswith("kg build") and lines[-1].startswith("kg serve")
    assert "127.0.0.1:7878" in block and "--port 8000" in block


@dataclass
class Tour:
    """A running tour: its folder, the explorer's base URL and what it printed so far."""

    folder: Path
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the script and what it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[Tour]:
    base = tmp_path_factory.mktemp("tour")
    (base / "shared").mkdir()
    (base / "shared" / "corpus").symlink_to(corpus_dir.resolve())
    devset = corpus_dir.resolve().parent / "devset"
    if devset.is_dir():  # the dev set lies beside the corpus (../shared)
        (base / "shared" / "devset").symlink_to(devset)
    clone = base / "aikg"
    clone.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in _NOT_COPIED:
            (clone / entry.name).symlink_to(entry)
    push_port, serve_port = free_port(), free_port()
    block = tour_block((ROOT / "README.md").read_text(encoding="utf-8"))
    block = block.replace(":7878", f":{push_port}").replace("--port 8000", f"--port {serve_port}")
    script = "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + block
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "KG_CORPUS")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    log = base / "tour.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=clone,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Tour(clone, f"http://127.0.0.1:{serve_port}", log)
    try:
        deadline = time.monotonic() + _TOUR_LIMIT_S
        while not _answers(running.url + "/openapi.json"):
            if process.poll() is not None:
                tail = running.output()[-4000:]
                pytest.fail(f"the tour stopped with {process.returncode}:\n{tail}")
            if time.monotonic() > deadline:
                pytest.fail(f"the explorer did not answer:\n{running.output()[-4000:]}")
            time.sleep(0.5)
        yield running
    finally:
        _stop(process)


def test_the_tour_reaches_the_explorer_and_each_step_did_its_job(tour: Tour) -> None:
    out = tour.output()
    assert "2 articles" in out  # kg build's summary
    assert "letter of intent" in out and "denied" in out  # the deal timeline in English
    assert "遭否認" in out  # ... and in Traditional Chinese
    # every sample entry is a firm the reference data identifies: confirmed, none in conflict
    assert "kg link: sec: 12 register entries; 0 linked, 12 confirmed" in out
    assert re.search(r"firm/nvidia: confirmed cik", out)
    assert "kg link: gleif: 12 register entries; 0 linked, 12 confirmed" in out
    assert re.search(r"pushed \d+ graphs", out)
    assert "build_validate" in out  # the benchmark's table


def test_the_tour_leaves_its_files(tour: Tour) -> None:
    build = tour.folder / "build"
    ttl = build / "aikg.ttl"
    assert sum(1 for _ in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)) > 5000
    assert (build / "loop.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    drafts = list((build / "drafts").glob("*.yaml"))
    assert [d.name for d in drafts] == ["coreweave-contracts.yaml"]
    assert len(list((build / "devset-drafts").glob("*.yaml"))) >= 10
    assert (build / "oxigraph").is_dir()


def test_the_tour_scores_the_sample_draft(tour: Tour) -> None:
    """kg eval pairs the draft with the reviewed record (the same text): real scores, not 0."""
    table = {
        line.split()[0]: line.split()[1:]
        for line in tour.output().splitlines()
        if re.match(r"^(mentions|deals)\s+\d", line)
    }
    gold, _, match, *_ = table["mentions"]
    assert int(gold) == 5 and int(match) >= 4
    gold, _, match, *_ = table["deals"]
    assert int(gold) == 3 and int(match) >= 1


def test_the_served_explorer_and_api_answer(tour: Tour) -> None:
    request = urllib.request.Request(tour.url + "/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=60) as response:
        page = response.read().decode("utf-8")
    assert "<html" in page and "NVIDIA" in page
    with urllib.request.urlopen(tour.url + "/api/capital-cycles", timeout=60) as response:
        answer = json.load(response)
    assert "nvidia" in json.dumps(answer)
