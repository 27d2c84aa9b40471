"""A template's answer for Python: labelled rows that iterate, count, show themselves in a
terminal and a notebook, and become a pandas DataFrame (``to_pandas``, the ``notebook`` extra)
or, for a graph answer, an rdflib Graph (``to_rdflib``).

The answer comes from :func:`kg.query.answer.answer`, the one path that ``kg query``, the
server's ``/api`` and the explorer take too:

>>> from kg.store.embedded import SelectResult
>>> answer = Answer("metric-compare", ["firm", "pe"], {"firm": "firm", "pe": "P/E"},
...     [{"firm": "NVIDIA", "pe": "50.62"}], [{"firm": "https://w3id.org/aikg/id/firm/nvidia"}],
...     SelectResult(["firm", "pe"], []))
>>> rows = Rows(answer)
>>> len(rows), rows.columns
(1, ['firm', 'pe'])
>>> rows[0]
{'firm': 'NVIDIA', 'pe': '50.62'}
>>> rows.iris[0]
{'firm': 'https://w3id.org/aikg/id/firm/nvidia'}
>>> rows
firm    P/E
------  -----
NVIDIA  50.62
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import Graph, Literal

from kg.core.errors import InputError
from kg.core.extras import require
from kg.query.answer import Answer
from kg.query.results import Format, render
from kg.store.embedded import SelectResult

if TYPE_CHECKING:
    import pandas

__all__ = ["Answer", "Rows"]

#: rows shown by ``repr`` and in a notebook; ``len()`` and iteration give them all
SHOWN = 20


class Rows:
    """A template's labelled answer: iterate it for one dict per row (column → label), take
    ``len()``, index it; ``iris`` has the IRIs behind the labels; ``to_pandas()`` and
    ``to_rdflib()`` convert it."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    @property
    def template(self) -> str:
        return self.answer.template

    @property
    def columns(self) -> list[str]:
        return list(self.answer.columns)

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.answer.headers)

    @property
    def iris(self) -> list[dict[str, str]]:
        return self.answer.iris

    @property
    def result(self) -> SelectResult | Graph:
        """The answer as the store gave it: a SELECT's rdflib terms, or a CONSTRUCT's graph."""
        return self.answer.result

    def __len__(self) -> int:
        return len(self.answer.rows)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.answer.rows)

    def __getitem__(self, index: int) -> dict[str, str]:
        return self.answer.rows[index]

    def to_pandas(self, *, headers: bool = False) -> pandas.DataFrame:
        """A DataFrame of the labels, one column per template column (named by ``headers``
        in the output language if asked). Needs pandas: ``pip install 'aikg[notebook]'``."""
        require("notebook", what="Rows.to_pandas()")
        import pandas

        frame = pandas.DataFrame(list(self.answer.rows), columns=self.answer.columns)
        if headers:
            frame = frame.rename(columns=self.answer.headers)
        return frame

    def to_rdflib(self) -> Graph:
        """A graph answer (a CONSTRUCT template's) as an rdflib Graph."""
        if not isinstance(self.answer.result, Graph):
            raise InputError(
                f"{self.template} answers with rows, not a graph: use the rows or to_pandas()"
            )
        return self.answer.result

    def _shown(self) -> tuple[list[dict[str, str]], str]:
        rows = self.answer.rows[:SHOWN]
        more = len(self.answer.rows) - len(rows)
        return rows, (f"… {more} more rows ({len(self.answer.rows)} in all)" if more else "")

    def __repr__(self) -> str:
        rows, more = self._shown()
        columns = self.answer.columns
        table = SelectResult(
            [self.answer.headers.get(c, c) for c in columns],
            [
                {self.answer.headers.get(c, c): Literal(row[c]) for c in columns if c in row}
                for row in rows
            ],
        )
        text = render(table, Format.TABLE).rstrip("\n")
        return f"{text}\n{more}" if more else text

    def _repr_html_(self) -> str:
        rows, more = self._shown()
        columns = self.answer.columns
        head = "".join(f"<th>{html.escape(self.answer.headers.get(c, c))}</th>" for c in columns)
        body = []
        for row, iris in zip(rows, self.answer.iris, strict=False):
            cells = []
            for c in columns:
                text = html.escape(row.get(c, ""))
                iri = iris.get(c)
                title = f' title="{html.escape(iri, quote=True)}"' if iri else ""
                cells.append(f"<td{title}>{text}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        caption = html.escape(f"{self.template}: {len(self)} rows")
        foot = f"<p>{html.escape(more)}</p>" if more else ""
        return (
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{foot}"
        )
