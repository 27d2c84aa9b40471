"""YAML with a line number on every mapping and list item, read with YAML 1.2 scalars:
``2025-09-22`` stays the text ``2025-09-22``, ``no`` stays ``no``, only ``true``/``false`` are
booleans, and numbers with leading zeros (a CIK such as ``0001045810``) stay text.

>>> data = parse_yaml("a: 2025-09-22\\nb: no\\nc: [1, 2.5]\\n", file="x.yaml")
>>> data, data.key_lines["c"]
({'a': '2025-09-22', 'b': 'no', 'c': [1, 2.5]}, 3)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kg.core.errors import InputError

__all__ = ["YamlList", "YamlMap", "parse_yaml"]


class YamlMap(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A YAML sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


#: libyaml's parser where PyYAML was built with it (several times faster), else PyYAML's own
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 core scalars and line-numbered containers."""

    # PyYAML keeps the resolvers in this class attribute: start from none, add YAML 1.2's below
    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    data = YamlMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in data:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
    return data


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    data = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    return data


def _add_resolver(tag: str, pattern: str, first: str) -> None:
    _Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_add_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_add_resolver("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789")
_add_resolver(
    "tag:yaml.org,2002:float",
    r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
    "-+.0123456789",
)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


def parse_yaml(text: str, *, file: str | Path) -> Any:
    """Parse YAML text; mappings and lists carry line numbers. Syntax errors name file:line."""
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"YAML: {exc.problem or exc.context}", file=file, line=line) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"YAML: {exc}", file=file) from exc
