"""Country and state names used to give a spaCy GPE its LOCATION subtype.

Taken from Faker's address providers (already a dependency), plus common short forms.
Anything else a GPE can be is taken to be a city or town.
"""

from __future__ import annotations

import importlib
import re
import threading
from functools import lru_cache

EXTRA_COUNTRIES = (
    "USA", "U.S.", "U.S.A.", "US", "United States", "America", "UK", "U.K.", "Britain", "Great Britain",
    "England", "Scotland", "Wales", "Northern Ireland", "Holland", "Czechia", "Russia", "South Korea",
    "North Korea", "Korea", "Vietnam", "Iran", "Syria", "Laos", "Bolivia", "Venezuela", "Tanzania",
    "Moldova", "Macedonia", "North Macedonia", "Taiwan", "Palestine", "Vatican", "Ivory Coast", "UAE",
    "the Netherlands", "Netherlands", "the United States", "the United Kingdom", "Greenland",
)
EXTRA_STATES = (
    "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia",
    "New Brunswick", "Newfoundland", "Prince Edward Island", "New South Wales", "Victoria", "Queensland",
    "Tasmania", "Western Australia", "South Australia", "Bavaria", "Catalonia", "Andalusia", "Tuscany",
    "Lombardy", "Normandy", "Brittany", "Provence",
)


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers.address import Provider as AddressProvider
    from faker.providers.address.en_US import Provider as USAddressProvider

    countries = {c.lower() for c in AddressProvider.countries} | {c.lower() for c in EXTRA_COUNTRIES}
    states = {s.lower() for s in USAddressProvider.states} | {s.lower() for s in EXTRA_STATES}
    return frozenset(countries), frozenset(states)


def location_subtype(name: str) -> str:
    """LOCATION_COUNTRY, LOCATION_STATE or LOCATION_CITY for a place name."""
    countries, states = _tables()
    key = " ".join(name.lower().split())
    if key in countries:
        return "LOCATION_COUNTRY"
    if key in states:
        return "LOCATION_STATE"
    return "LOCATION_CITY"


# Faker person providers: given and family names of many locales (a general resource,
# also the base for the multilingual modes).
NAME_LOCALES = (
    "en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_PT", "pt_BR", "nl_NL", "sv_SE", "da_DK",
    "no_NO", "fi_FI", "is_IS", "pl_PL", "cs_CZ", "sk_SK", "hu_HU", "hr_HR", "sl_SI", "et_EE", "lv_LV", "lt_LT",
    "ro_RO", "bg_BG", "el_GR", "tr_TR", "uk_UA", "ru_RU",
)
# Given names that are also everyday words or well-known places: never a name on their own.
AMBIGUOUS_GIVEN = frozenset(
    ["May", "June", "April", "August", "Will", "Mark", "Bill", "Grace", "Hope", "Faith", "Joy", "Chase", "Georgia", "Paris", "Jordan", "Sky", "Summer", "Autumn", "Winter", "Dawn", "Rose", "Lily", "Iris", "Ivy", "Holly", "Jack", "Frank", "Rich", "Sunny", "Happy", "Angel", "Star", "King", "Prince", "Royal", "Page", "Price", "Young", "White", "Black", "Brown", "Green", "Gray", "Grey", "Long", "Little", "Small", "Major", "General", "Miles", "Ray", "Guy", "Art", "Don", "Pat", "Sue", "Van", "Del", "Le", "La", "De", "Di", "Da", "Do", "Ma", "Mo", "Al", "An", "In", "On", "Is", "See", "Can", "Else", "Eve", "Sol", "Luz", "Amor", "Paz", "Santos", "Cruz", "Mercedes", "Lincoln", "Washington", "Dallas", "Austin", "Houston", "Victoria", "Florence", "Sydney", "Adelaide", "Regina", "Charlotte", "Savannah", "Phoenix", "Orlando", "Denver", "Tyler", "Jackson", "Madison", "Marion", "Kent", "Devon", "Chester", "Lorraine", "Troy", "Carolina", "Virginia", "Indiana", "Montana", "Nevada", "Dakota", "Alexandria", "Eden", "Israel", "China", "India", "Kenya", "Chad", "Cuba", "Justice", "Trinity", "Destiny", "Harmony", "Liberty", "Unity", "Noble", "Earnest", "Ernest", "Constance", "Patience", "Prudence", "Temperance", "Sterling", "Cash", "Bond", "Penny", "Crystal", "Amber", "Ruby", "Pearl", "Jade", "Jasmine", "Olive", "Hazel", "Violet", "Heather", "Daisy", "Poppy", "Sage", "Clay", "Stone", "River", "Forest", "Brook", "Dale", "Glen", "Lane", "Cliff", "Wade", "Rod", "Sean", "Max", "Ben", "Sam", "Tom", "Tim", "Jim", "Bob", "Joe", "Dan", "Ed", "Ted", "Ken", "Len", "Ian", "Lee", "Ali", "Mia", "Emma", "Ella", "Anna", "Eva", "Ava", "Nina", "Sara", "Maria", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)


_name_lock = threading.Lock()
_names: tuple[frozenset[str], frozenset[str]] | None = None


def person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, family names) from Faker's person providers, loaded once."""
    global _names
    if _names is None:
        with _name_lock:
            if _names is None:
                given: set[str] = set()
                family: set[str] = set()
                for locale in NAME_LOCALES:
                    try:
                        module = importlib.import_module(f"faker.providers.person.{locale}")
                    except ImportError:
                        continue
                    provider = module.Provider
                    for attr in ("first_names", "first_names_male", "first_names_female"):
                        given.update(_keys(getattr(provider, attr, None)))
                    family.update(_keys(getattr(provider, "last_names", None)))
                _names = (frozenset(n for n in given if len(n) > 2), frozenset(n for n in family if len(n) > 2))
    return _names


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def is_place(name: str) -> bool:
    countries, states = _tables()
    key = " ".join(name.lower().split())
    return key in countries or key in states


EVERYDAY_WORD = re.compile(r"[^\W\d_]+")
EVERYDAY_GLUE = frozenset({"and", "of", "the", "by", "for", "in", "on", "to", "a"})
EVERYDAY_ZIPF = 3.0  # wordfreq Zipf: about once per million English words or more


@lru_cache(maxsize=65536)
def english_zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf scale, case-insensitive): the one
    frequency look-up the English rules share."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.lower(), "en"))


def rare_word(word: str) -> bool:
    """Rarer in English than an everyday word: more likely a name."""
    return english_zipf(word) < EVERYDAY_ZIPF


def everyday_words(value: str, *, names: bool = True, zipf: float = EVERYDAY_ZIPF) -> bool:
    """Every word of ``value`` an everyday English word (wordfreq) and (with ``names``) none a
    known given or family name: "Opening Hours", "Music & Dance" (a heading, not a name)."""
    given, family = person_names() if names else (frozenset(), frozenset())
    content = [w for w in EVERYDAY_WORD.findall(value) if w.lower() not in EVERYDAY_GLUE]
    return bool(content) and all(w not in given and w not in family and english_zipf(w) >= zipf for w in content)
