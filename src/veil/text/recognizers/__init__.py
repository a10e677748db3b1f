"""Rule recognizers (patterns validated with python-stdnum / phonenumbers, and context rules)."""

from __future__ import annotations

from veil.text.recognizers.base import Recognizer
from veil.text.recognizers.contact import find_emails, find_ips, find_phones, find_urls
from veil.text.recognizers.credentials import find_passwords, find_usernames
from veil.text.recognizers.financial import (
    find_accounts,
    find_cards,
    find_cvv,
    find_expiry,
    find_ibans,
    find_money,
    find_routing,
)
from veil.text.recognizers.gazetteer_names import find_gazetteer_names
from veil.text.recognizers.identifiers import (
    find_driver_licenses,
    find_health_numbers,
    find_numeric_ids,
    find_passports,
    find_ssn,
    find_vehicle_ids,
)
from veil.text.recognizers.location import find_coordinates, find_streets, find_zips
from veil.text.recognizers.names import find_names, find_organizations, find_places_by_cue
from veil.text.recognizers.temporal import find_ages, find_dates, find_durations, find_times
from veil.text.recognizers.vocabulary import find_blood_types, find_terms

RECOGNIZERS: tuple[Recognizer, ...] = (
    find_emails,
    find_urls,
    find_ips,
    find_phones,
    find_cards,
    find_ibans,
    find_routing,
    find_accounts,
    find_cvv,
    find_expiry,
    find_money,
    find_ssn,
    find_passports,
    find_driver_licenses,
    find_health_numbers,
    find_vehicle_ids,
    find_numeric_ids,
    find_dates,
    find_times,
    find_durations,
    find_ages,
    find_streets,
    find_zips,
    find_coordinates,
    find_passwords,
    find_usernames,
    find_terms,
    find_blood_types,
    find_names,
    find_organizations,
    find_gazetteer_names,
    find_places_by_cue,
)

__all__ = ["RECOGNIZERS", "Recognizer"]
