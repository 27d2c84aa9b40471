"""`kg queries`: the template catalogue (name, summary, parameters)."""

from __future__ import annotations

import argparse
import json
import sys

from kg.query.templates import Parameter, Template, load_catalogue

__all__ = ["add_arguments", "catalogue_json", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text for people (default), json for tools",
    )


def _parameter_json(p: Parameter) -> dict[str, object]:
    return {
        "name": p.name,
        "variable": f"?{p.variable}",
        "required": p.required,
        "expects": p.expects,
        "kind": p.kind,
        "datatype": p.datatype,
        "default": p.default,
        "description": p.description,
    }


def catalogue_json(templates: dict[str, Template]) -> list[dict[str, object]]:
    """The catalogue as a list of plain objects (what ``--format json`` prints)."""
    return [
        {
            "name": t.name,
            "summary": t.summary,
            "description": t.description,
            "tags": list(t.tags),
            "form": t.form,
            "parameters": [_parameter_json(p) for p in t.parameters],
        }
        for t in templates.values()
    ]


def _text(templates: dict[str, Template]) -> str:
    lines: list[str] = []
    for t in templates.values():
        lines.append(f"{t.name}: {t.summary}")
        for p in t.parameters:
            flag = "required" if p.required else "optional"
            default = f", default {p.default}" if p.default is not None else ""
            lines.append(f"    --param {p.name}=...  ({flag}{default}) {p.description}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    templates = load_catalogue()
    if args.format == "json":
        sys.stdout.write(json.dumps(catalogue_json(templates), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_text(templates))
    return 0
