"""Worker processes for ``kg serve``: each holds the store open read-only and answers jobs.

A query that runs past the time limit cannot be stopped inside pyoxigraph, so it runs in a
worker process; past the limit the worker is killed and a fresh one takes its place. Workers
are started with ``spawn`` (no state copied from the threaded server).
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg.server.jobs import Answer, Job, perform
from kg.store.embedded import Store

__all__ = ["QueryTimeout", "WorkerPool"]

_CONTEXT = mp.get_context("spawn")


class QueryTimeout(Exception):
    """The job ran past the time limit; its worker was stopped."""


def _work(path: str, row_limit: int, conn: Connection) -> None:
    """The worker's loop: one job in, one answer out, until the pipe closes."""
    with Store.open(Path(path), read_only=True) as store:
        conn.send("ready")
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            conn.send(perform(store, job, row_limit=row_limit))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPool:
    """``size`` workers on the store at ``path``; :meth:`run` waits for an answer or a timeout."""

    def __init__(self, path: Path, *, size: int, time_limit: float, row_limit: int) -> None:
        self.path = path
        self.time_limit = time_limit
        self.row_limit = row_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(
            target=_work, args=(str(self.path), self.row_limit, child), daemon=True
        )
        process.start()
        child.close()
        if not parent.poll(60) or parent.recv() != "ready":
            process.kill()
            raise RuntimeError(f"a worker could not open the store {self.path}")
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        self._idle.put(self._start())

    def run(self, job: Job) -> Answer:
        """The answer to ``job``; :class:`QueryTimeout` past the time limit."""
        worker = self._idle.get()
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.time_limit):
                answer: Answer = worker.conn.recv()
            else:
                self._replace(worker)
                raise QueryTimeout(f"the query ran past the time limit of {self.time_limit:g} s")
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise RuntimeError(f"a worker failed: {exc}") from exc
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
