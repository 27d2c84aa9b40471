"""A real OpenLink Virtuoso server on loopback for the tests: its own virtuoso.ini in a tmp dir.

Debian package ``virtuoso-opensource`` (``virtuoso-t``). The server gets a fresh database in the
given folder, free ports for SQL (ServerPort) and HTTP, and the ``dba`` password ``dba``.
Updates go to ``/sparql-auth`` (digest authentication), the Graph Store to
``/sparql-graph-crud-auth``; ``/sparql`` answers anonymous queries.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port

__all__ = ["PASSWORD", "USER", "VirtuosoServer", "have_virtuoso", "virtuoso_server"]

USER = "dba"
PASSWORD = "dba"

_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {db}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 500M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {db}/vsp
MaxClientConnections        = 8
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 8
MaxKeepAlives               = 8
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 60
DeferInferenceRulesInit    = 0
"""


def have_virtuoso() -> bool:
    return shutil.which("virtuoso-t") is not None


@dataclass(frozen=True)
class VirtuosoServer:
    base: str
    process: subprocess.Popen[bytes]
    folder: Path

    @property
    def query(self) -> str:
        """Anonymous, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        """Authenticated SPARQL endpoint (digest, dba/dba): queries and updates."""
        return f"{self.base}/sparql-auth"

    @property
    def store(self) -> str:
        """Authenticated Graph Store Protocol endpoint (digest, dba/dba)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def stop(self) -> None:
        """Stop the server now (for the tests of a server that goes away)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def virtuoso_server(folder: Path, *, timeout: float = 60) -> Iterator[VirtuosoServer]:
    """A fresh Virtuoso on free loopback ports with its database in ``folder``."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise RuntimeError(
            "Virtuoso is not installed: apt-get install virtuoso-opensource (virtuoso-t)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    http_port = free_port()
    sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(db=folder, sql_port=sql_port, http_port=http_port))
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini), "+pwddba", PASSWORD],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                tail = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"virtuoso exited with {process.returncode}:\n{tail}")
            try:
                url = f"{base}/sparql?query=ASK%7B%7D"
                req = urllib.request.Request(
                    url, headers={"Accept": "application/sparql-results+json"}
                )
                with urllib.request.urlopen(req, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso did not start within {timeout:g} s")
            time.sleep(0.2)
        yield VirtuosoServer(base, process, folder)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
