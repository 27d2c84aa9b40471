"""Synthetic register files for the scale benchmark and the tests: GLEIF-shaped decoys.

Decoy names are made of invented words, so none is a real firm; LEIs carry valid ISO 17442
check digits. ``write_gleif_level1`` writes the golden-copy CSV layout (a realistic subset of
its columns, every field quoted) with given rows planted among the decoys.

>>> lei = make_lei(random.Random(1))
>>> from kg.core.identifiers import lei_is_valid
>>> lei_is_valid(lei)
True
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.core.identifiers import lei_check_digits

__all__ = [
    "GLEIF_LEVEL1_HEADER",
    "GleifEntity",
    "decoy_entities",
    "decoy_name",
    "make_lei",
    "write_gleif_level1",
]

_NAME_SETS = [
    ("Entity.OtherEntityNames.OtherEntityName", True),
    ("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName", True),
]


def _header() -> list[str]:
    head = ["LEI", "Entity.LegalName", "Entity.LegalName.xmllang"]
    for prefix, _ in _NAME_SETS:
        for i in range(1, 4):
            head += [f"{prefix}.{i}", f"{prefix}.{i}.xmllang", f"{prefix}.{i}.type"]
    for address in ("LegalAddress", "HeadquartersAddress"):
        base = f"Entity.{address}"
        head += [
            f"{base}.xmllang",
            f"{base}.FirstAddressLine",
            f"{base}.AddressNumber",
            f"{base}.AddressNumberWithinBuilding",
            f"{base}.MailRouting",
            f"{base}.AdditionalAddressLine.1",
            f"{base}.AdditionalAddressLine.2",
            f"{base}.AdditionalAddressLine.3",
            f"{base}.City",
            f"{base}.Region",
            f"{base}.Country",
            f"{base}.PostalCode",
        ]
    head += [
        "Entity.RegistrationAuthority.RegistrationAuthorityID",
        "Entity.RegistrationAuthority.OtherRegistrationAuthorityID",
        "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
        "Entity.LegalJurisdiction",
        "Entity.EntityCategory",
        "Entity.EntitySubCategory",
        "Entity.LegalForm.EntityLegalFormCode",
        "Entity.LegalForm.OtherLegalForm",
        "Entity.AssociatedEntity.type",
        "Entity.AssociatedEntity.AssociatedLEI",
        "Entity.AssociatedEntity.AssociatedEntityName",
        "Entity.AssociatedEntity.AssociatedEntityName.xmllang",
        "Entity.EntityStatus",
        "Entity.EntityCreationDate",
        "Entity.SuccessorEntity.SuccessorLEI",
        "Entity.SuccessorEntity.SuccessorEntityName",
        "Entity.SuccessorEntity.SuccessorEntityName.xmllang",
        "Registration.InitialRegistrationDate",
        "Registration.LastUpdateDate",
        "Registration.RegistrationStatus",
        "Registration.NextRenewalDate",
        "Registration.ManagingLOU",
        "Registration.ValidationSources",
        "Registration.ValidationAuthority.ValidationAuthorityID",
        "Registration.ValidationAuthority.OtherValidationAuthorityID",
        "Registration.ValidationAuthority.ValidationAuthorityEntityID",
        "Registration.OtherValidationAuthorities.OtherValidationAuthority.1.ValidationAuthorityID",
        "Registration.OtherValidationAuthorities.OtherValidationAuthority.1.OtherValidationAuthorityID",
        "Registration.OtherValidationAuthorities.OtherValidationAuthority.1.ValidationAuthorityEntityID",
        "Registration.ConformityFlag",
    ]
    return head


#: the Level 1 golden-copy columns written here (the real file has over 300; readers find
#: columns by name, so the subset is enough)
GLEIF_LEVEL1_HEADER: tuple[str, ...] = tuple(_header())

_SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "fo",
    "ka",
    "ke",
    "ki",
    "ko",
    "ku",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "za",
    "ze",
    "zi",
    "zo",
    "rex",
    "tor",
    "lan",
    "ven",
    "dor",
    "gal",
    "mar",
    "tek",
    "vox",
    "nor",
]
_WORDS = [
    "Capital",
    "Holdings",
    "Group",
    "Partners",
    "Technologies",
    "Systems",
    "Energy",
    "Logistics",
    "Foods",
    "Realty",
    "Trust",
    "Ventures",
    "Industries",
    "Solutions",
    "Networks",
    "Pharma",
    "Bio",
    "Media",
    "Mining",
    "Textiles",
    "Finance",
    "Insurance",
    "Global",
    "International",
    "Services",
    "Development",
    "Investments",
    "Equity",
    "Fund",
    "Properties",
    "Labs",
]
_FORMS = (
    "Inc.",
    "Corp.",
    "Corporation",
    "LLC",
    "Ltd",
    "Limited",
    "GmbH",
    "S.A.",
    "AG",
    "B.V.",
    "S.p.A.",
    "PLC",
    "Co., Ltd.",
    "LP",
    "S.à r.l.",
    "SAS",
    "Oy",
    "AB",
    "A/S",
    "Pty Ltd",
)
_COUNTRIES = [
    "US",
    "US",
    "US",
    "GB",
    "DE",
    "FR",
    "NL",
    "LU",
    "KY",
    "IE",
    "JP",
    "CN",
    "HK",
    "SG",
    "CA",
    "AU",
    "CH",
    "IT",
    "ES",
    "SE",
    "KR",
    "TW",
    "IN",
    "BR",
]
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def make_lei(rng: random.Random) -> str:
    """A random LEI with correct ISO 17442 check digits."""
    base = "".join(rng.choices(_ALNUM, k=18))
    return base + lei_check_digits(base)


def decoy_name(rng: random.Random) -> str:
    """An invented firm name: one or two made-up words, maybe a trade word, a legal form."""
    words = [
        "".join(rng.choices(_SYLLABLES, k=rng.randint(3, 4))).capitalize()
        for _ in range(rng.randint(1, 2))
    ]
    if rng.random() < 0.7:
        words.append(rng.choice(_WORDS))
    return " ".join([*words, rng.choice(_FORMS)])


@dataclass(frozen=True)
class GleifEntity:
    """The Level 1 fields the project uses; everything else is written empty or filler."""

    lei: str
    legal_name: str
    country: str
    other_names: tuple[str, ...] = ()
    transliterated_names: tuple[str, ...] = ()
    hq_country: str | None = None
    jurisdiction: str | None = None
    city: str = "Springfield"
    registration_status: str = "ISSUED"
    entity_status: str = "ACTIVE"
    last_update: str = "2025-08-20T08:00:00Z"


def decoy_entities(count: int, *, seed: int = 0) -> Iterator[GleifEntity]:
    """``count`` invented entities, reproducible from ``seed``."""
    rng = random.Random(seed)
    for _ in range(count):
        country = rng.choice(_COUNTRIES)
        status = "ISSUED" if rng.random() < 0.85 else rng.choice(("LAPSED", "RETIRED"))
        yield GleifEntity(
            lei=make_lei(rng),
            legal_name=decoy_name(rng),
            country=country,
            jurisdiction=country,
            registration_status=status,
            entity_status="ACTIVE" if status != "RETIRED" else "INACTIVE",
        )


def _row(entity: GleifEntity, at: dict[str, int], width: int) -> list[str]:
    row = [""] * width
    row[at["LEI"]] = entity.lei
    row[at["Entity.LegalName"]] = entity.legal_name
    row[at["Entity.LegalName.xmllang"]] = "en"
    for (prefix, _), names in zip(
        _NAME_SETS, (entity.other_names, entity.transliterated_names), strict=True
    ):
        for i, name in enumerate(names[:3], start=1):
            row[at[f"{prefix}.{i}"]] = name
            row[at[f"{prefix}.{i}.type"]] = (
                "ALTERNATIVE_LANGUAGE_LEGAL_NAME"
                if prefix.startswith("Entity.Other")
                else "PREFERRED_ASCII_TRANSLITERATED_LEGAL_NAME"
            )
    for address, country in (
        ("LegalAddress", entity.country),
        ("HeadquartersAddress", entity.hq_country or entity.country),
    ):
        row[at[f"Entity.{address}.FirstAddressLine"]] = "1 Main Street"
        row[at[f"Entity.{address}.City"]] = entity.city
        row[at[f"Entity.{address}.Country"]] = country
        row[at[f"Entity.{address}.PostalCode"]] = "00000"
    row[at["Entity.RegistrationAuthority.RegistrationAuthorityID"]] = "RA999999"
    row[at["Entity.LegalJurisdiction"]] = entity.jurisdiction or entity.country
    row[at["Entity.EntityCategory"]] = "GENERAL"
    row[at["Entity.LegalForm.EntityLegalFormCode"]] = "8888"
    row[at["Entity.EntityStatus"]] = entity.entity_status
    row[at["Registration.InitialRegistrationDate"]] = "2014-01-01T00:00:00Z"
    row[at["Registration.LastUpdateDate"]] = entity.last_update
    row[at["Registration.RegistrationStatus"]] = entity.registration_status
    row[at["Registration.NextRenewalDate"]] = "2026-01-01T00:00:00Z"
    row[at["Registration.ManagingLOU"]] = "5493001KJTIIGC8Y1R12"
    row[at["Registration.ValidationSources"]] = "FULLY_CORROBORATED"
    row[at["Registration.ConformityFlag"]] = "CONFORMING"
    return row


def write_gleif_level1(
    path: Path,
    *,
    decoys: int,
    planted: Sequence[GleifEntity] = (),
    seed: int = 0,
) -> Path:
    """Write a Level 1 golden-copy CSV (gzip when ``path`` ends in ``.gz``) with ``decoys``
    invented rows and the ``planted`` ones spread among them."""
    rng = random.Random(seed + 1)
    slots = sorted(rng.sample(range(decoys + len(planted)), len(planted)))
    at = {name: i for i, name in enumerate(GLEIF_LEVEL1_HEADER)}
    width = len(GLEIF_LEVEL1_HEADER)
    with contextlib.ExitStack() as stack:
        handle: IO[str]
        if path.suffix == ".gz":
            handle = stack.enter_context(
                gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=1)
            )
        else:
            handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(GLEIF_LEVEL1_HEADER)
        decoy_rows = decoy_entities(decoys, seed=seed)
        planted_rows = iter(planted)
        next_slot = iter(slots)
        slot = next(next_slot, None)
        for position in range(decoys + len(planted)):
            if position == slot:
                entity = next(planted_rows)
                slot = next(next_slot, None)
            else:
                entity = next(decoy_rows)
            writer.writerow(_row(entity, at, width))
    return path
