"""Code recognizers: the rules whose logic does not fit a pattern + context + validator entry.

The declarative recognizers are the entries of ``veil/text/data/recognizers.yaml``; both kinds
are held per language by :func:`veil.text.registry.default_registry`. A new code recognizer
goes in its own module here and is appended to :data:`RECOGNIZERS` (docs/text.md, "How to add
a recognizer").
"""

from __future__ import annotations

from veil.text.recognizers.base import Recognizer
from veil.text.recognizers.chat import find_chat_names, find_chat_places, find_clause_places
from veil.text.recognizers.contact import find_phones, find_urls
from veil.text.recognizers.credential_pairs import find_credential_pairs
from veil.text.recognizers.credentials import find_passwords, find_usernames
from veil.text.recognizers.crypto import find_wallets
from veil.text.recognizers.files import find_filenames
from veil.text.recognizers.financial import find_accounts, find_cards, find_ibans
from veil.text.recognizers.gazetteer_names import find_gazetteer_names
from veil.text.recognizers.honorifics import find_honorifics
from veil.text.recognizers.identifiers import find_health_numbers, find_numeric_ids, find_ssn
from veil.text.recognizers.licences import find_licences
from veil.text.recognizers.location import find_coordinates, find_streets, find_zips
from veil.text.recognizers.lone_values import find_lone_values
from veil.text.recognizers.lookalikes import find_card_lookalikes, find_iban_lookalikes, find_partial_numbers
from veil.text.recognizers.medical import find_doses, find_injuries, find_medical_records
from veil.text.recognizers.names import find_names, find_organizations, find_places_by_cue
from veil.text.recognizers.national_ids import find_national_ids
from veil.text.recognizers.network import find_ip_networks, find_ipv6_short, find_machine_names, find_macs
from veil.text.recognizers.spoken import find_spoken_numbers
from veil.text.recognizers.spoken_contacts import find_spelled, find_spoken_emails, find_spoken_streets
from veil.text.recognizers.statistics import find_statistics
from veil.text.recognizers.temporal import find_ages, find_dates, find_durations, find_times
from veil.text.recognizers.vocabulary import find_blood_types, find_terms

RECOGNIZERS: tuple[Recognizer, ...] = (
    find_urls,
    find_phones,
    find_cards,
    find_ibans,
    find_accounts,
    find_ssn,
    find_health_numbers,
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
    find_honorifics,
    find_organizations,
    find_gazetteer_names,
    find_places_by_cue,
    # detection coverage (issue 14): national ids, failed-checksum look-alikes, medical,
    # network, wallets, files, credential pairs, spoken numbers, licences, chat names and places
    find_national_ids,
    find_card_lookalikes,
    find_medical_records,
    find_doses,
    find_injuries,
    find_statistics,
    find_macs,
    find_ipv6_short,
    find_wallets,
    find_filenames,
    find_credential_pairs,
    find_spoken_numbers,
    find_licences,
    find_chat_names,
    find_chat_places,
    find_clause_places,
    find_spoken_emails,
    find_spoken_streets,
    find_spelled,
    find_iban_lookalikes,
    find_ip_networks,
    find_lone_values,
    find_partial_numbers,
    find_machine_names,
)

__all__ = ["RECOGNIZERS", "Recognizer"]
