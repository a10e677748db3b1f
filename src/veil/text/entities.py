"""The entity types Veil detects, their hierarchy and how a detected label is reported.

Each type has an optional parent (``LOCATION_CITY`` -> ``LOCATION``). Some subtypes are
*collapsed* by default: they are reported under their parent unless the caller names
them in ``enabled_classes`` (a city is ``LOCATION`` by default, ``LOCATION_CITY`` when
asked for). The others are reported under their own name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from veil.errors import InvalidInputError


@dataclass(frozen=True)
class EntityType:
    name: str
    description: str
    category: str = "pii"
    parent: str | None = None
    collapsed: bool = False  # reported as the parent unless named in enabled_classes


_TYPES: tuple[EntityType, ...] = (
    EntityType("ACCOUNT_NUMBER", "Customer or account number (with an 'account' cue)."),
    EntityType("AGE", "Age of a person, the number only ('a [AGE] year old man')."),
    EntityType("DATE", "A calendar date or day."),
    EntityType("DATE_INTERVAL", "A range of dates ('from May 3 to May 9')."),
    EntityType("DOB", "Date of birth (a date with a birth cue).", parent="DATE"),
    EntityType("DRIVER_LICENSE", "Driver's licence number (with a licence cue)."),
    EntityType("DURATION", "A length of time ('three weeks')."),
    EntityType("EMAIL_ADDRESS", "E-mail address."),
    EntityType("EVENT", "Named event."),
    EntityType("FILENAME", "File name with an extension."),
    EntityType("GENDER", "Gender term."),
    EntityType("HEALTHCARE_NUMBER", "Health insurance or health card number (with a cue)."),
    EntityType("IP_ADDRESS", "IPv4 or IPv6 address."),
    EntityType("LANGUAGE", "Name of a language."),
    EntityType("LOCATION", "Named place: city, state, country, region, landmark."),
    EntityType("LOCATION_ADDRESS", "Street address.", parent="LOCATION"),
    EntityType(
        "LOCATION_ADDRESS_STREET",
        "Street part of an address (number and street).",
        parent="LOCATION_ADDRESS",
        collapsed=True,
    ),
    EntityType("LOCATION_CITY", "City or town.", parent="LOCATION", collapsed=True),
    EntityType("LOCATION_COORDINATE", "Geographic coordinates.", parent="LOCATION"),
    EntityType("LOCATION_COUNTRY", "Country.", parent="LOCATION", collapsed=True),
    EntityType("LOCATION_STATE", "State, province or region.", parent="LOCATION", collapsed=True),
    EntityType("LOCATION_ZIP", "Postal code.", parent="LOCATION"),
    EntityType("MARITAL_STATUS", "Marital status term."),
    EntityType("MONEY", "Amount of money."),
    EntityType("NAME", "Name of a person."),
    EntityType("NAME_FAMILY", "Family name.", parent="NAME", collapsed=True),
    EntityType("NAME_GIVEN", "Given name.", parent="NAME", collapsed=True),
    EntityType(
        "NAME_MEDICAL_PROFESSIONAL", "Name of a doctor, nurse or other clinician.", parent="NAME"
    ),
    EntityType("NUMERICAL_PII", "Other identifying number (order, case, reference ids)."),
    EntityType("OCCUPATION", "Job title or profession."),
    EntityType("ORGANIZATION", "Company, institution or other organisation."),
    EntityType(
        "ORGANIZATION_MEDICAL_FACILITY", "Hospital, clinic or other medical facility.", parent="ORGANIZATION"
    ),
    EntityType("ORIGIN", "Nationality or ethnic origin."),
    EntityType("PASSPORT_NUMBER", "Passport number (with a passport cue)."),
    EntityType("PASSWORD", "Password or PIN (with a cue)."),
    EntityType("PHONE_NUMBER", "Telephone or fax number, extension."),
    EntityType("PHYSICAL_ATTRIBUTE", "Height, weight, eye or hair colour and similar."),
    EntityType("POLITICAL_AFFILIATION", "Political party or affiliation."),
    EntityType("RELIGION", "Religion or religious affiliation."),
    EntityType("SEXUALITY", "Sexual orientation."),
    EntityType("SSN", "Social security or other national identity number."),
    EntityType("TIME", "Time of day."),
    EntityType("TITLE", "Honorific or courtesy title before a name ('Mrs.', 'Dr', 'Prof.', 'Sir')."),
    EntityType("URL", "Web address or domain name."),
    EntityType("USERNAME", "User name or handle (with a cue, or an @handle)."),
    EntityType("VEHICLE_ID", "Vehicle identification number or licence plate (with a cue)."),
    EntityType("ZODIAC_SIGN", "Zodiac sign."),
    EntityType("BLOOD_TYPE", "Blood type.", category="health"),
    EntityType("CONDITION", "Medical condition or disease.", category="health"),
    EntityType("DOSE", "Medication dose.", category="health"),
    EntityType("DRUG", "Medication name.", category="health"),
    EntityType("INJURY", "Injury.", category="health"),
    EntityType("MEDICAL_PROCESS", "Medical procedure, test or treatment.", category="health"),
    EntityType("STATISTICS", "Medical statistic such as a percentage or a test value.", category="health"),
    EntityType("BANK_ACCOUNT", "Bank account number or IBAN.", category="payment"),
    EntityType("CREDIT_CARD", "Payment card number (Luhn-valid, 12-19 digits).", category="payment"),
    EntityType("CREDIT_CARD_EXPIRATION", "Card expiry date (with a cue).", category="payment"),
    EntityType("CVV", "Card security code (with a cue).", category="payment"),
    EntityType("ROUTING_NUMBER", "ABA routing number (checksum and cue).", category="payment"),
)

ENTITY_TYPES: dict[str, EntityType] = {t.name: t for t in _TYPES}


def list_entity_types() -> list[dict[str, object]]:
    """Every supported type, for ``GET /v1/entity_types``."""
    return [
        {
            "name": t.name,
            "description": t.description,
            "category": t.category,
            "parent": t.parent,
            "reported_as_parent_by_default": t.collapsed,
        }
        for t in _TYPES
    ]


def chain(label: str) -> list[str]:
    """The label and its ancestors, most specific first."""
    out = [label]
    current = ENTITY_TYPES.get(label)
    while current is not None and current.parent is not None:
        out.append(current.parent)
        current = ENTITY_TYPES.get(current.parent)
    return out


def default_report(label: str) -> str:
    """The label a detection of ``label`` is reported as when no subtype is asked for."""
    current = label
    t = ENTITY_TYPES.get(current)
    while t is not None and t.collapsed and t.parent is not None:
        current = t.parent
        t = ENTITY_TYPES.get(current)
    return current


def validate_classes(
    classes: Iterable[str], field: str = "enabled_classes", extra: frozenset[str] = frozenset()
) -> frozenset[str]:
    """Check every name is a supported type or one of ``extra`` (the entity types of the
    request's custom recognizers); raise ``InvalidInputError`` naming the first unknown."""
    out = set()
    for i, name in enumerate(classes):
        if name not in ENTITY_TYPES and name not in extra:
            raise InvalidInputError(
                f"unknown entity class '{name}'; GET /v1/entity_types lists the supported ones",
                field=f"{field}[{i}]",
            )
        out.add(name)
    return frozenset(out)


def reported_label(label: str, enabled: frozenset[str] | None) -> str | None:
    """The label to report a ``label`` detection under, or None if its class is not enabled.

    With ``enabled`` None every class is on and the default reporting applies. Otherwise
    the detection is kept if the label or an ancestor is enabled, and reported as the more
    specific of (the most specific enabled one in its chain, its default report label).
    """
    default = default_report(label)
    if enabled is None:
        return default
    labels = chain(label)
    explicit = next((c for c in labels if c in enabled), None)
    if explicit is None:
        return None
    if default in labels and labels.index(explicit) > labels.index(default):
        return default
    return explicit


def wants_parts(label: str, enabled: frozenset[str] | None) -> bool:
    """True when a caller named a collapsed subtype below ``label`` (split names/addresses)."""
    if enabled is None:
        return False
    return any(
        t.collapsed and t.name in enabled and label in chain(t.name)[1:] for t in _TYPES
    )
