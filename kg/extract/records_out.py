"""Drafts as fact records (docs/records.md), written atomically as YAML.

A draft has the reviewed records' shape, plus ``confidence`` and ``method`` on every fact and
``method: extracted`` and ``extractor: aikg-extract <version>`` in the header, so a person
corrects it rather than starting over and ``kg build`` takes it as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.core.atomic import write_text_atomically

__all__ = ["dump_record", "write_record"]


class _Flow(list[Any]):
    """A list written in YAML flow style (spans, short lists of refs)."""


class _Dumper(yaml.SafeDumper):
    pass


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(_Flow, _flow)


def _prepare(value: Any, *, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _prepare(v, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_prepare(v) for v in value]
        if key == "evidence":
            return _Flow(_Flow(span) for span in items)
        if all(isinstance(v, (str, int, float)) for v in items):
            return _Flow(items)
        return items
    return value


def dump_record(record: dict[str, Any]) -> str:
    """The record as YAML text (block style, spans and short lists in flow style)."""
    return yaml.dump(
        _prepare(record),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def write_record(path: Path, record: dict[str, Any], *, comment: str | None = None) -> None:
    """Write the record to ``path`` atomically (a temporary file in the folder, then rename)."""
    text = dump_record(record)
    if comment:
        text = "".join(f"# {line}\n" for line in comment.splitlines()) + text
    write_text_atomically(path, text)
