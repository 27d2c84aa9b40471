"""One writer, many readers, and crashes: real processes on small stores.

* writers that overlap in time (each round starts them together, a few milliseconds apart):
  every write lands whole, readers see whole generations only, and the set of graphs they see
  only grows; a writer that does not wait is refused with the holder named;
* a writer killed (SIGKILL) at each step of the swap: the store opens, holds the old data or
  the new, never a mix, and the next writer removes what was left;
* the case of the report: ``kg build`` and ``kg build --update`` on one store at once.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.core.errors import InputError
from kg.store.embedded import Store
from kg.store.generations import SWAP_STEPS, StoreBusy, current_generation, writer_lock
from tests.storefiles import leftovers

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 24
TRIPLES = 3


def _quads(graph: str) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [
        ox.Quad(ox.NamedNode(f"{graph}/s"), ox.NamedNode("urn:p"), ox.Literal(str(i)), g)
        for i in range(TRIPLES)
    ]


def _seed(path: Path) -> None:
    with Store.open(path) as store:
        store.add_quads(_quads("urn:seed"))


# -- overlapping writers ------------------------------------------------------------------------


def _writer(path: str, me: int, barrier, log, wait: bool) -> None:  # a child process
    for r in range(ROUNDS):
        barrier.wait()
        time.sleep((me * 7 + r * 3) % 23 / 1000)  # stagger the starts by 0-22 ms
        start = time.monotonic()
        try:
            with Store.open(Path(path), wait=60.0 if wait else None) as store:
                got = time.monotonic()
                store.add_quads(_quads(f"urn:w{me}:{r}"))
            log.put(("wrote", me, r, start, got, time.monotonic()))
        except StoreBusy as exc:
            log.put(("busy", me, r, start, str(exc), time.monotonic()))


def _reader(path: str, stop, log) -> None:  # a child process
    seen = 0
    reads = 0
    while not stop.is_set():
        with Store.open(Path(path), read_only=True) as store:
            names = store.graph_names()
            counts = {str(n): store.count(n) for n in names}
        if any(n != TRIPLES for n in counts.values()) or len(counts) < seen:
            log.put(("torn", counts, seen))
        seen = len(counts)
        reads += 1
    log.put(("reads", reads, seen))


def _overlaps(events: list[tuple]) -> int:
    """Pairs of writes of one round whose attempts overlapped in time (one started before the
    other had finished)."""
    by_round: dict[int, list[tuple[float, float]]] = {}
    for e in events:
        by_round.setdefault(e[2], []).append((e[3], e[-1]))
    count = 0
    for spans in by_round.values():
        spans.sort()
        count += sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])
    return count


def _run_writers(path: Path, *, wait: bool) -> tuple[list[tuple], list[tuple]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    log = ctx.Queue()
    stop = ctx.Event()
    reader = ctx.Process(target=_reader, args=(str(path), stop, log))
    writers = [ctx.Process(target=_writer, args=(str(path), i, barrier, log, wait)) for i in (0, 1)]
    reader.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=240)
    stop.set()
    reader.join(timeout=60)
    assert all(w.exitcode == 0 for w in writers) and reader.exitcode == 0
    events = []
    while not log.empty():
        events.append(log.get(timeout=5))
    writes = [e for e in events if e[0] in ("wrote", "busy")]
    other = [e for e in events if e[0] not in ("wrote", "busy")]
    return writes, other


def test_overlapping_writers_that_wait_all_land_and_readers_see_whole_generations(tmp_path):
    path = tmp_path / "store"
    _seed(path)
    writes, other = _run_writers(path, wait=True)
    assert [e for e in other if e[0] == "torn"] == []
    reads = next(e for e in other if e[0] == "reads")
    assert reads[1] > 0
    assert len(writes) == 2 * ROUNDS and all(e[0] == "wrote" for e in writes)
    overlaps = _overlaps(writes)
    print(f"{len(writes)} writes, {overlaps} overlapping pairs, {reads[1]} reads")
    assert overlaps >= 20
    with Store.open(path, read_only=True) as store:
        assert len(store.graph_names()) == 1 + 2 * ROUNDS
        assert store.count() == TRIPLES * (1 + 2 * ROUNDS)
    with Store.open(path) as store:  # the next writer removes the generations nobody reads
        pass
    assert leftovers(path) == []


def test_a_writer_that_does_not_wait_is_refused_and_nothing_is_lost(tmp_path):
    path = tmp_path / "store"
    _seed(path)
    writes, other = _run_writers(path, wait=False)
    assert [e for e in other if e[0] == "torn"] == []
    wrote = [e for e in writes if e[0] == "wrote"]
    busy = [e for e in writes if e[0] == "busy"]
    print(f"{len(wrote)} written, {len(busy)} refused, {_overlaps(writes)} overlapping pairs")
    assert busy, "no two writers met: the rounds did not overlap"
    assert all("another process is writing this store (pid" in e[4] for e in busy)
    with Store.open(path, read_only=True) as store:
        assert {str(n) for n in store.graph_names()} == {"urn:seed"} | {
            f"urn:w{e[1]}:{e[2]}" for e in wrote
        }


# -- the command line ---------------------------------------------------------------------------


def _kg(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, **kwargs
    )


def test_kg_load_is_refused_while_another_writer_holds_the_store_and_waits_with_wait(tmp_path):
    path = tmp_path / "store"
    _seed(path)
    data = tmp_path / "more.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with writer_lock(path, what="kg test"):
        done = _kg("load", str(data), "--store", str(path))
        assert done.returncode == 2
        assert done.stderr.strip().splitlines() == [
            f"kg load: error: {path}: another process is writing this store "
            f"(pid {os.getpid()}: kg test): try again when it is done, or add --wait"
        ]
        waiting = subprocess.Popen(
            [sys.executable, "-m", "kg", "load", str(data), "--store", str(path), "--wait", "120"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)
        assert waiting.poll() is None  # still waiting for the lock
    _out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    with Store.open(path, read_only=True) as store:
        assert store.has_graph(URIRef(data.resolve().as_uri()))


def test_build_and_update_at_once_never_corrupt_the_store(tmp_path, corpus_dir):
    """The report's case: an update started while a build runs. The update is refused (exit 2,
    the build named) or, with --wait, applied after the build; the store is always readable."""
    path = tmp_path / "store"
    record = sorted((ROOT / "corpus").glob("*.yaml"))[0]
    build = ["build", "--corpus", str(corpus_dir), "--store", str(path)]
    assert _kg(*build).returncode == 0
    for wait in ((), ("--wait", "300")):
        builder = subprocess.Popen(
            [sys.executable, "-m", "kg", *build], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        lock = path.with_name(".store.lock")
        while b"kg build" not in lock.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.02)  # until the build holds the lock
        update = _kg(
            "build",
            "--update",
            str(record),
            "--corpus",
            str(corpus_dir),
            "--store",
            str(path),
            *wait,
        )
        assert builder.wait(timeout=300) == 0
        if wait:
            assert update.returncode == 0, update.stderr
        else:
            assert update.returncode == 2
            assert "another process is writing this store" in update.stderr
            assert "kg build" in update.stderr and "Traceback" not in update.stderr
        check = _kg("query", "deals-of-firm", "--param", "firm=nvidia", "--store", str(path))
        assert check.returncode == 0, check.stderr
    assert _kg("validate", "--store", str(path)).returncode in (0, 1)
    assert leftovers(path) == []


# -- crashes ------------------------------------------------------------------------------------

_CRASH = textwrap.dedent(
    """
    import os, signal, sys
    import kg.store.generations as generations
    at = sys.argv[1]
    def step(name):
        if name == at:
            os.kill(os.getpid(), signal.SIGKILL)
    generations.step = step
    from kg.cli.app import main
    sys.exit(main(sys.argv[2:]))
    """
)


def _crash_load(at: str, path: Path, data: Path) -> int:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _CRASH,
            at,
            "load",
            str(data),
            "--store",
            str(path),
            "--graph",
            "urn:new",
        ],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    return done.returncode


def _graphs(path: Path) -> dict[str, int]:
    with Store.open(path, read_only=True) as store:
        return {str(n): store.count(n) for n in store.graph_names()}


@pytest.mark.parametrize("plain", [False, True], ids=["generation", "plain-folder"])
def test_a_writer_killed_at_each_step_of_the_swap_leaves_old_or_new_and_no_leftovers(
    tmp_path, plain
):
    data = tmp_path / "new.ttl"
    data.write_text("".join(f"<urn:n> <urn:p> {i} .\n" for i in range(5)), encoding="utf-8")
    steps = [s for s in SWAP_STEPS if plain or s != "plain-folder-adopted"]
    for at in steps:
        path = tmp_path / at / "store"
        _seed(path)
        if plain:  # a store made by an older version: a plain folder
            folder = current_generation(path)
            assert folder is not None
            path.unlink()
            shutil.copytree(folder, path)
            shutil.rmtree(folder)
        status = _crash_load(at, path, data)
        assert status == -signal.SIGKILL, f"{at}: the writer was not killed ({status})"
        after = _graphs(path)  # a reader opens it, whatever the crash left
        published = SWAP_STEPS.index(at) >= SWAP_STEPS.index("generation-renamed")
        if published:
            assert after == {"urn:seed": TRIPLES, "urn:new": 5}, at
        else:
            assert after == {"urn:seed": TRIPLES}, at
        with Store.open(path) as store:  # the next writer finishes the job and cleans up
            store.add_quads(_quads("urn:later"))
        assert leftovers(path) == [], at
        assert set(_graphs(path)) == set(after) | {"urn:later"}, at


def test_a_build_killed_midway_leaves_the_old_store_and_its_folder_is_removed(tmp_path):
    path = tmp_path / "store"
    _seed(path)
    crash = textwrap.dedent(
        """
        import os, signal, sys
        import kg.store.embedded as embedded
        real = embedded.Store.optimize
        def optimize(self):
            os.kill(os.getpid(), signal.SIGKILL)
        embedded.Store.optimize = optimize
        from kg.cli.app import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", crash, "build", "--store", str(path)],
        capture_output=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == -signal.SIGKILL
    assert any(".store.new-" in n for n in leftovers(path))
    assert _graphs(path) == {"urn:seed": TRIPLES}
    with Store.open(path) as store:
        store.add_quads(_quads("urn:later"))
    assert leftovers(path) == []


def test_a_store_left_in_NAME_old_by_an_older_version_is_put_back(tmp_path):
    path = tmp_path / "store"
    _seed(path)
    folder = current_generation(path)
    assert folder is not None
    path.unlink()
    folder.rename(tmp_path / "store.old")  # what a crash between the old swap's renames left
    assert _graphs(path) == {"urn:seed": TRIPLES}
    assert path.is_dir()


def test_no_store_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no store here"):
        Store.open(tmp_path / "none", read_only=True)
