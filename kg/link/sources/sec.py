"""SEC's ticker files, read in their public shapes.

``company_tickers.json``: ``{"0": {"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"},
...}``. ``company_tickers_exchange.json``: ``{"fields": ["cik", "name", "ticker", "exchange"],
"data": [[1045810, "NVIDIA CORP", "NVDA", "Nasdaq"], ...]}``. One CIK may have several rows
(GOOGL and GOOG); they become one record with several listings. Anything off-shape is an
``InputError`` naming the file and the row; nothing is half-read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.errors import InputError
from kg.core.identifiers import SEC_EXCHANGE_MIC, IdKind, cik10
from kg.link.records import Listing, RegisterRecord

__all__ = ["read_company_tickers", "read_company_tickers_exchange"]

_EXCHANGES = {*SEC_EXCHANGE_MIC, "OTC"}


@dataclass
class _Entity:
    row: int
    names: list[str] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)


def _load(path: Path) -> object:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 JSON: {exc.reason}", file=path) from exc
    except json.JSONDecodeError as exc:
        message = f"not valid JSON (truncated?): {exc.msg}"
        raise InputError(message, file=path, line=exc.lineno) from exc


def _group(
    path: Path, rows: Iterable[tuple[int, object, object, object, str | None]]
) -> list[RegisterRecord]:
    entities: dict[str, _Entity] = {}
    for index, cik, name, ticker, mic in rows:
        where = f"row {index}"
        if isinstance(cik, bool) or not isinstance(cik, int):
            raise InputError(f"{where}: the CIK {cik!r} is not a JSON integer", file=path)
        try:
            key = cik10(cik)
        except ValueError as exc:
            raise InputError(f"{where}: {exc}", file=path) from None
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}: the company name {name!r} is not a text", file=path)
        if not isinstance(ticker, str) or not ticker.strip():
            raise InputError(f"{where}: the ticker {ticker!r} is not a text", file=path)
        entity = entities.setdefault(key, _Entity(row=index))
        if name.strip() not in entity.names:
            entity.names.append(name.strip())
        listing = Listing(ticker.strip().upper(), mic)
        if listing not in entity.listings:
            entity.listings.append(listing)
    return [
        RegisterRecord(
            kind=IdKind.CIK,
            identifier=cik,
            names=tuple(entity.names),
            row=entity.row,
            listings=tuple(entity.listings),
        )
        for cik, entity in entities.items()
    ]


def read_company_tickers(path: Path) -> list[RegisterRecord]:
    """``company_tickers.json``: one record per CIK, its tickers without an exchange."""
    data = _load(path)
    if not isinstance(data, dict):
        message = "expected a JSON object keyed by row number (company_tickers.json)"
        raise InputError(message, file=path)

    def rows() -> Iterable[tuple[int, object, object, object, str | None]]:
        for position, (key, value) in enumerate(data.items()):
            if not isinstance(value, dict):
                raise InputError(f"row {key!r}: expected an object", file=path)
            missing = {"cik_str", "ticker", "title"} - value.keys()
            if missing:
                raise InputError(f"row {key!r}: missing {', '.join(sorted(missing))}", file=path)
            index = int(key) if key.isdigit() else position
            yield index, value["cik_str"], value["title"], value["ticker"], None

    return _group(path, rows())


def read_company_tickers_exchange(path: Path) -> list[RegisterRecord]:
    """``company_tickers_exchange.json``: one record per CIK, its tickers with their MICs."""
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise InputError(
            'expected {"fields": [...], "data": [...]} (company_tickers_exchange.json)', file=path
        )
    fields = data["fields"]
    if not isinstance(data.get("data"), list):
        raise InputError('"data" is not a list', file=path)
    try:
        at = {name: fields.index(name) for name in ("cik", "name", "ticker", "exchange")}
    except ValueError:
        raise InputError(
            f"fields {fields!r} lack one of cik, name, ticker, exchange", file=path
        ) from None

    def rows() -> Iterable[tuple[int, object, object, object, str | None]]:
        for index, row in enumerate(data["data"]):
            if not isinstance(row, list) or len(row) != len(fields):
                raise InputError(f"row {index}: expected {len(fields)} values", file=path)
            exchange = row[at["exchange"]]
            if exchange is not None and exchange not in _EXCHANGES:
                raise InputError(f"row {index}: unknown exchange {exchange!r}", file=path)
            mic = SEC_EXCHANGE_MIC.get(exchange) if isinstance(exchange, str) else None
            yield index, row[at["cik"]], row[at["name"]], row[at["ticker"]], mic

    return _group(path, rows())
