"""Analyst gold annotations (``<name>.gold.json`` beside ``<name>.txt``, the dev set's format):
reading them, and the name variants its scoring rule matches (``../shared/devset/README.md``).
``kg.extract.eval.gold`` scores drafts against what this module reads.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kg.core.errors import InputError

__all__ = [
    "DEAL_TYPES",
    "SCORED_TYPES",
    "GoldArticle",
    "GoldDeal",
    "GoldEntity",
    "decimal_or_none",
    "is_gold_folder",
    "load_gold",
    "name_variants",
    "normalise",
]

#: the entity types the rule scores
SCORED_TYPES = ("Firm", "Person", "Country", "Chip", "ChipArchitecture", "Datacenter")
#: the relation types the rule scores as deals
DEAL_TYPES = (
    "Investment",
    "SupplyAgreement",
    "ComputeContract",
    "Partnership",
    "Financing",
    "ExportLicence",
)
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


def normalise(name: str) -> str:
    """NFKC, case-folded, spaces collapsed.

    >>> normalise("  ＮＶＩＤＩＡ   Corp ")
    'nvidia corp'
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def name_variants(name: str) -> frozenset[str]:
    """The variants of a gold ``name`` (``English (中文/alias)``), normalised.

    >>> sorted(name_variants("NVIDIA Corp (輝達/Nvidia)"))
    ['nvidia', 'nvidia corp', '輝達']
    """
    head, paren, rest = name.partition("(")
    parts = [head]
    if paren:
        inside = rest.rsplit(")", 1)[0]
        parts += inside.split("/")
    out: set[str] = set()
    for part in parts:
        norm = normalise(part)
        if not norm:
            continue
        out.add(norm)
        if norm.endswith(" corp"):
            out.add(norm[: -len(" corp")].strip())
    return frozenset(out)


# -- gold ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GoldEntity:
    id: str
    name: str
    type: str
    variants: frozenset[str]
    news_source: bool


@dataclass(frozen=True, slots=True)
class GoldDeal:
    id: str
    types: tuple[str, ...]
    parties: tuple[GoldEntity, ...]
    amount: tuple[str, Decimal] | None
    status: str | None
    dates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    language: str
    text_file: str
    sha256: str
    entities: tuple[GoldEntity, ...]
    deals: tuple[GoldDeal, ...]
    deal_free: bool

    @property
    def scored_entities(self) -> list[GoldEntity]:
        return [e for e in self.entities if e.type in SCORED_TYPES and not e.news_source]


def is_gold_folder(folder: Path) -> bool:
    """Whether ``folder`` holds analyst gold (``*.gold.json``)."""
    return folder.is_dir() and any(folder.glob("*.gold.json"))


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _gold_article(path: Path, data: Any) -> GoldArticle:
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise InputError("a gold file is an object with 'entities' and 'relations'", file=path)
    entities: list[GoldEntity] = []
    for item in data["entities"]:
        if not isinstance(item, dict) or "name" not in item or "type" not in item:
            raise InputError(f"an entity needs 'name' and 'type': {item!r}", file=path)
        entities.append(
            GoldEntity(
                id=str(item.get("id", "")),
                name=str(item["name"]),
                type=str(item["type"]),
                variants=name_variants(str(item["name"])),
                news_source="news source" in str(item.get("note", "")).lower(),
            )
        )
    deals: list[GoldDeal] = []
    for rel in data.get("relations") or []:
        if not isinstance(rel, dict) or rel.get("type") not in DEAL_TYPES:
            continue
        parties: list[GoldEntity] = []
        for party in rel.get("parties") or []:
            key = normalise(str(party.get("entity", ""))) if isinstance(party, dict) else ""
            entity = next((e for e in entities if key in e.variants), None)
            if entity is None:
                raise InputError(
                    f"relation {rel.get('id')}: party {party!r} names no gold entity", file=path
                )
            if entity.type in SCORED_TYPES and entity not in parties:
                parties.append(entity)
        if not any(p.type in ("Firm", "Country", "Person") for p in parties):
            continue
        types = [str(rel["type"])] + [
            str(t) for t in rel.get("acceptable_types") or [] if str(t) != rel["type"]
        ]
        amount = rel.get("amount")
        figure = None
        if isinstance(amount, dict):
            value = decimal_or_none(amount.get("value"))
            if value is not None:
                figure = (str(amount.get("currency") or ""), value)
        dates: dict[str, Any] = rel["dates"] if isinstance(rel.get("dates"), dict) else {}
        isos = tuple(m.group(0) for v in dates.values() if (m := _ISO.match(str(v))))
        deals.append(
            GoldDeal(
                id=str(rel.get("id", "")),
                types=tuple(types),
                parties=tuple(parties),
                amount=figure,
                status=str(rel["status"]) if rel.get("status") else None,
                dates=isos,
            )
        )
    source: dict[str, Any] = data["source"] if isinstance(data.get("source"), dict) else {}
    return GoldArticle(
        name=str(data.get("article") or path.name.removesuffix(".gold.json")),
        language=str(source.get("language") or "und"),
        text_file=str(data.get("text_file") or ""),
        sha256=str(data.get("text_sha256") or ""),
        entities=tuple(entities),
        deals=tuple(deals),
        deal_free=bool(source.get("deal_free")) or not data.get("relations"),
    )


def load_gold(folder: Path) -> list[GoldArticle]:
    """Every ``*.gold.json`` in ``folder``, in name order."""
    if not folder.is_dir():
        raise InputError("no such folder of gold annotations", file=folder)
    files = sorted(folder.glob("*.gold.json"))
    if not files:
        raise InputError("no gold annotations (*.gold.json) in this folder", file=folder)
    out: list[GoldArticle] = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read: {exc}", file=path) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg}", file=path, line=exc.lineno) from None
        out.append(_gold_article(path, data))
    return out
