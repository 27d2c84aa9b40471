"""What a store's folder holds besides the store: for the tests that check nothing is left."""

from __future__ import annotations

from pathlib import Path

__all__ = ["leftovers"]


def leftovers(store: Path) -> list[str]:
    """The entries beside ``store`` other than the store (its link), its writer lock and its
    current generation: temporary folders, old generations, journals."""
    current = Path(store).resolve() if Path(store).exists() else None
    keep = {store.name, f".{store.name}.lock"}
    return sorted(
        p.name
        for p in Path(store).parent.iterdir()
        if p.name not in keep and (current is None or p != current)
    )
