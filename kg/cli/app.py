"""The ``kg`` command: one verb per job, each in its own module under ``kg.cli.verbs``.

Exit status: 0 fine; 1 the data does not conform or a score is under its threshold;
2 bad input or a failure, with a one-line reason naming the file (and line), no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from kg.core.errors import InputError, NonConformingError

__all__ = ["VERBS", "build_parser", "main"]

#: verb -> one-line help; the module ``kg.cli.verbs.<verb>`` implements it.
VERBS: dict[str, str] = {
    "build": "build the dataset from fact records into the store",
    "load": "add RDF files to the store",
    "validate": "SHACL validation of the store or of given files",
    "reason": "OWL consistency check and inferred classes (HermiT or Pellet)",
    "queries": "list the SPARQL query templates",
    "query": "run a query template on the store or a SPARQL endpoint",
    "export": "write the dataset as Turtle, TriG, N-Quads, N-Triples or JSON-LD",
    "extract": "draft fact records from article texts",
    "eval": "score extracted records against reviewed ones",
    "link": "link the store's firms to a public register (SEC, GLEIF, Wikidata)",
    "push": "copy the store's graphs to a SPARQL 1.1 server",
    "serve": "serve the store over the SPARQL protocol and an HTTP API",
    "bench": "the performance benchmark against the plain rdflib + pyshacl stack",
}


class _Version(argparse.Action):
    """``--version``: the package's version, read only when asked for (see ``kg.__version__``)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        import kg

        print(f"aikg {kg.__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser(verbs: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The parser; the options of ``verbs`` only (default: every verb's). A verb's module, and
    what it imports, is loaded only when its options are wanted: ``kg --help`` and
    ``kg --version`` import no RDF library."""
    wanted = set(VERBS if verbs is None else verbs)
    parser = argparse.ArgumentParser(
        prog="kg",
        description="aikg: news about the AI-infrastructure economy as a knowledge graph.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, summary in VERBS.items():
        p = sub.add_parser(verb, help=summary, description=summary)
        if verb in wanted:
            module = importlib.import_module(f"kg.cli.verbs.{verb}")
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
    return parser


def _verb(argv: Sequence[str]) -> str | None:
    """The verb named on the command line (the first word that is not an option), if any."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in VERBS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    verb = _verb(words)
    parser = build_parser([verb] if verb is not None else [])
    args = parser.parse_args(words)
    try:
        status: int = args._run(args)
    except InputError as exc:
        print(f"kg {args.verb}: error: {exc}", file=sys.stderr)
        return 2
    except NonConformingError as exc:
        print(f"kg {args.verb}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"kg {args.verb}: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
