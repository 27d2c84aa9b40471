"""Real SPARQL servers on loopback for the tests: started, waited for, stopped; and a helper
that runs an in-process server in a thread."""

from __future__ import annotations

import contextlib
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = ["OxigraphServer", "free_port", "in_thread", "oxigraph_server"]

_Server = TypeVar("_Server", bound=socketserver.BaseServer)


@contextlib.contextmanager
def in_thread(server: _Server) -> Iterator[_Server]:
    """Serve with ``server`` (an in-process server on loopback) in a thread until the block
    ends; then shut it down and close it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class OxigraphServer:
    base: str
    process: subprocess.Popen[bytes]

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"


def _oxigraph_cmd() -> list[str]:
    exe = shutil.which("oxigraph")
    if exe is None:
        candidate = Path(sys.executable).with_name("oxigraph")
        if candidate.exists():
            exe = str(candidate)
    if exe is None:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph")
    return [exe]


@contextlib.contextmanager
def oxigraph_server(
    location: Path, *, union_default_graph: bool = False
) -> Iterator[OxigraphServer]:
    """An Oxigraph server on a free loopback port with its data in ``location``."""
    port = free_port()
    cmd = [*_oxigraph_cmd(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        cmd.append("--union-default-graph")
    log = open(location.with_suffix(".log"), "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("oxigraph did not start within 30 s") from None
                time.sleep(0.1)
        yield OxigraphServer(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
