"""Local formats: checksum validation of national ids, phones per region, local dates, postcodes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veil.text.multilingual.formats import (
    find_dates,
    find_national_ids,
    find_phones,
    find_postcodes_and_streets,
    niss_valid,
    personalausweis_valid,
)

VALID_IDS = [
    ("de", "86095742719"),  # Steuer-ID
    ("de", "T220001293"),  # Personalausweis
    ("it", "RSSMRA85T10A562S"),  # codice fiscale
    ("es", "12345678Z"),  # DNI
    ("es", "X1234567L"),  # NIE
    ("fr", "2 84 02 75 123 456 24"),  # NIR
    ("pt", "123456789"),  # NIF
    ("pt", "12345678902"),  # NISS
    ("ko", "850312-1234565"),  # 주민등록번호
]


def _found(text: str, lang: str) -> list[str]:
    return [text[s.start : s.end] for s in find_national_ids(text, lang)]


@pytest.mark.parametrize(("lang", "value"), VALID_IDS)
def test_valid_ids_are_found(lang: str, value: str) -> None:
    text = f"id: {value}."
    assert _found(text, lang) == [value]
    [span] = list(find_national_ids(text, lang))
    assert span.label == "SSN" and span.source == "validated"


def _corrupt(value: str) -> str:
    """Change the last digit (the check digit, or part of it)."""
    i = max(k for k, ch in enumerate(value) if ch.isdigit())
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1 :]


@pytest.mark.parametrize(("lang", "value"), [v for v in VALID_IDS if v[1] != "RSSMRA85T10A562S"])
def test_wrong_check_digit_is_rejected(lang: str, value: str) -> None:
    assert _found(f"id: {_corrupt(value)}.", lang) == []


def test_codice_fiscale_wrong_check_letter() -> None:
    assert _found("CF RSSMRA85T10A562T", "it") == []


def test_korean_particle_after_id() -> None:
    text = "주민등록번호는 850312-1234565입니다."
    assert _found(text, "ko") == ["850312-1234565"]


def test_personalausweis_and_niss_checks() -> None:
    assert personalausweis_valid("T220001293")
    assert not personalausweis_valid("T220001294")
    assert not personalausweis_valid("B220001293")  # B is not an allowed serial letter
    assert niss_valid("12345678902")
    assert not niss_valid("32345678902")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_niss_exactly_one_check_digit(digits: str) -> None:
    base = "1" + digits[1:10]
    valid = [d for d in "0123456789" if niss_valid(base + d)]
    assert len(valid) == 1


@pytest.mark.parametrize(
    ("lang", "text", "phone"),
    [
        ("de", "Ruf mich an: 030 1234567", "030 1234567"),
        ("de", "Tel. +49 89 12345678", "+49 89 12345678"),
        ("fr", "Appelez le 06 12 34 56 78", "06 12 34 56 78"),
        ("es", "Mi móvil es 612 345 678", "612 345 678"),
        ("it", "Chiamami al 347 123 4567", "347 123 4567"),
        ("pt", "Ligue para 912 345 678", "912 345 678"),
        ("pt", "Ligue para (11) 98765-4321", "(11) 98765-4321"),
        ("ko", "전화번호는 010-1234-5678입니다", "010-1234-5678"),
    ],
)
def test_phones_per_region(lang: str, text: str, phone: str) -> None:
    assert [text[s.start : s.end] for s in find_phones(text, lang)] == [phone]


@pytest.mark.parametrize(
    ("lang", "text", "date"),
    [
        ("de", "Termin am 12. März 2024 um zehn", "12. März 2024"),
        ("pt", "Nasceu a 12 de março de 2024.", "12 de março de 2024"),
        ("es", "El 3 de mayo de 2021 llegó", "3 de mayo de 2021"),
        ("fr", "Rendez-vous le 1er mars 2024.", "1er mars 2024"),
        ("it", "Arrivo il 12 marzo 2024.", "12 marzo 2024"),
        ("ko", "회의는 2024년 3월 12일에 열린다", "2024년 3월 12일"),
        ("de", "Rechnung vom 03.04.2023", "03.04.2023"),
    ],
)
def test_local_dates(lang: str, text: str, date: str) -> None:
    assert [text[s.start : s.end] for s in find_dates(text, lang)] == [date]


def test_birth_cue_makes_a_dob() -> None:
    text = "geboren am 12. März 1980"
    [span] = list(find_dates(text, "de"))
    assert span.label == "DOB"
    assert span.labels == {"DOB": 0.9, "DATE": 0.85}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Hauptstraße 5, 10115 Berlin", {("Hauptstraße 5", "LOCATION_ADDRESS_STREET"), ("10115", "LOCATION_ZIP")}),
        ("pt", "Rua Augusta 100, 1100-048 Lisboa", {("Rua Augusta 100", "LOCATION_ADDRESS_STREET"),
                                                   ("1100-048", "LOCATION_ZIP")}),
        ("fr", "12 rue de la Paix, 75002 Paris", {("12 rue de la Paix", "LOCATION_ADDRESS_STREET"),
                                                 ("75002", "LOCATION_ZIP")}),
        ("it", "Via Roma 10, 00184 Roma", {("Via Roma 10", "LOCATION_ADDRESS_STREET"), ("00184", "LOCATION_ZIP")}),
        ("es", "Calle Mayor 5, 28013 Madrid", {("Calle Mayor 5", "LOCATION_ADDRESS_STREET"),
                                              ("28013", "LOCATION_ZIP")}),
    ],
)
def test_streets_and_postcodes(lang: str, text: str, expected: set[tuple[str, str]]) -> None:
    assert {(text[s.start : s.end], s.label) for s in find_postcodes_and_streets(text, lang)} == expected


def test_korean_street_is_not_a_particle_before_a_number() -> None:
    from veil.text.multilingual.formats import find_formats

    def streets(text: str) -> list[str]:
        return [text[s.start : s.end] for s in find_formats(text, "ko") if s.label == "LOCATION_ADDRESS_STREET"]

    assert streets("서울시 강남구 테헤란로 123에 있습니다.") == ["테헤란로 123"]
    assert streets("작년 기준으로 9.1% 올랐다") == []
