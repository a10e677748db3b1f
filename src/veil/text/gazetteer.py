"""Country and state names used to give a spaCy GPE its LOCATION subtype.

Taken from Faker's address providers (already a dependency), plus common short forms.
Anything else a GPE can be is taken to be a city or town.
"""

from __future__ import annotations

from functools import lru_cache

EXTRA_COUNTRIES = (
    "USA", "U.S.", "U.S.A.", "US", "United States", "America", "UK", "U.K.", "Britain", "Great Britain",
    "England", "Scotland", "Wales", "Northern Ireland", "Holland", "Czechia", "Russia", "South Korea",
    "North Korea", "Korea", "Vietnam", "Iran", "Syria", "Laos", "Bolivia", "Venezuela", "Tanzania",
    "Moldova", "Macedonia", "North Macedonia", "Taiwan", "Palestine", "Vatican", "Ivory Coast", "UAE",
    "the Netherlands", "the United States", "the United Kingdom", "Greenland",
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
