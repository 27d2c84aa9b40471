"""The exceptions the CLI turns into exit statuses.

``InputError`` (exit 2) is bad input or a failure: it names the file and, where known, the line.
``NonConformingError`` (exit 1) is data that does not conform.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["InputError", "NonConformingError"]


class InputError(ValueError):
    """Bad input: a file that cannot be read, a record that does not fit, a bad parameter.

    >>> print(InputError("unknown key 'foo'", file="corpus/a.yaml", line=12))
    corpus/a.yaml:12: unknown key 'foo'
    """

    def __init__(
        self, message: str, *, file: str | Path | None = None, line: int | None = None
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class NonConformingError(Exception):
    """The data does not conform (SHACL violations, an inconsistent ontology, a low score)."""
