"""The package shows its architecture: one folder per capability, imports only go down the
layers (docs/architecture.md), no folder too full of modules."""

from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parents[1] / "kg"

#: the capabilities, lowest first: a module may import its own folder and the folders before it
LAYERS = [
    "core",
    "http",
    "store",
    "records",
    "validate",
    "reason",
    "query",
    "link",
    "extract",
    "push",
    "build",
    "server",
    "bench",
    "api",
    "cli",
]


def _capability(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kg" else None


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_every_module_is_in_a_capability_folder():
    loose = sorted(p.name for p in KG.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert loose == []
    folders = sorted(p.name for p in KG.iterdir() if (p / "__init__.py").is_file())
    assert folders == sorted(LAYERS)


def test_imports_only_go_down():
    wrong = []
    for path in sorted(KG.rglob("*.py")):
        own = path.relative_to(KG).parts[0]
        if own not in LAYERS:
            continue
        for line, module in _imports(path):
            other = _capability(module)
            if other is None or other not in LAYERS:
                continue  # kg itself (the version), or not ours
            if LAYERS.index(other) > LAYERS.index(own):
                wrong.append(f"{path.relative_to(KG.parent)}:{line}: {own} imports {module}")
    assert wrong == []


def test_no_folder_holds_more_than_about_twelve_modules():
    crowded = {}
    for folder in [KG, *(p for p in KG.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        name = str(folder.relative_to(KG.parent))
        if len(modules) > 13:
            crowded[name] = len(modules)
    assert crowded == {}


def test_the_store_is_used_through_its_facade():
    """Only kg/store reaches the pyoxigraph store under a ``Store`` (``.oxigraph``)."""
    reached = []
    for path in sorted(KG.rglob("*.py")):
        if path.relative_to(KG).parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "oxigraph":
                owner = ast.unparse(node.value).lower()
                if "store" in owner or "scratch" in owner:
                    reached.append(f"{path.relative_to(KG.parent)}:{node.lineno}: {owner}")
    assert reached == []
