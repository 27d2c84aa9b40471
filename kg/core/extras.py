"""The optional parts of aikg (pip extras) and the one message when one is missing.

>>> sorted(EXTRAS)
['notebook', 'pictures', 'reason']
>>> require("pictures", what="a picture")  # installed here: nothing happens
"""

from __future__ import annotations

import importlib.util

from kg.core.errors import InputError

__all__ = ["EXTRAS", "require"]

#: extra → the modules it brings (pyproject.toml's [project.optional-dependencies])
EXTRAS: dict[str, tuple[str, ...]] = {
    "reason": ("owlready2",),
    "pictures": ("matplotlib",),
    "notebook": ("pandas",),
}


def require(extra: str, *, what: str) -> None:
    """Raise :class:`InputError` saying how to install ``extra`` if one of its modules is
    missing; ``what`` names what needs it (``kg reason``, ``--format svg`` ...)."""
    missing = [m for m in EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(
            f"{what} needs the optional part '{extra}' ({', '.join(missing)} is not installed):"
            f" pip install 'aikg[{extra}]'"
        )
