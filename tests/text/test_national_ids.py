"""National ids (US, DE, ES, FR, IT, PT, KR, India): valid values are SSN, failing checksums
are still masked but never as SSN. Values were computed with python-stdnum for these tests."""

from __future__ import annotations

import pytest

from veil.text import TextDeidentifier
from veil.text.options import DeidentifyOptions
from veil.text.recognizers.national_ids import find_national_ids


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in find_national_ids.find(text)]


VALID = [
    ("Her PAN card reads BQRPK7310M.", "BQRPK7310M"),
    ("Aadhaar number 7362 9184 0551 on the form.", "7362 9184 0551"),
    ("Steuer-ID: 47206918380 laut Bescheid.", "47206918380"),
    ("Personalausweis L01X00T471 vorgelegt.", "L01X00T471"),
    ("Mi DNI es 58204713Q.", "58204713Q"),
    ("NIE Y3048261Q, pasaporte aparte.", "Y3048261Q"),
    ("Numéro de sécurité sociale 2 91 07 69 123 456 20.", "2 91 07 69 123 456 20"),
    ("Codice fiscale BNCLRA72M41F205X allegato.", "BNCLRA72M41F205X"),
    ("Cartão de Cidadão 15703862 4 ZX9 válido.", "15703862 4 ZX9"),
    ("O meu NIF é 246813571.", "246813571"),
    ("주민등록번호 850317-2048191 입니다", "850317-2048191"),
    ("ITIN 943-81-2207 for the return.", "943-81-2207"),
]


@pytest.mark.parametrize(("text", "value"), VALID)
def test_valid_ids_are_ssn(text: str, value: str) -> None:
    assert (value, "SSN") in found(text)


FAILING = [
    ("Mi DNI es 58204713A.", "58204713A"),
    ("Codice fiscale BNCLRA72M41F205Y allegato.", "BNCLRA72M41F205Y"),
    ("Aadhaar number 7362 9184 0552 on the form.", "7362 9184 0552"),
    ("Steuer-ID: 47206918381 laut Bescheid.", "47206918381"),
    ("주민등록번호 850317-2048192 입니다", "850317-2048192"),
    ("Applicant number 000-12-3456 is on file.", "000-12-3456"),
]


@pytest.mark.parametrize(("text", "value"), FAILING)
def test_failing_checksums_are_masked_but_not_as_ssn(text: str, value: str) -> None:
    labels = {label for v, label in found(text) if v == value}
    assert "SSN" not in labels
    assert "NUMERICAL_PII" in labels


def test_common_shapes_need_their_cue() -> None:
    # an 11-digit number and a 9-digit number without a tax-id cue are no national ids
    assert found("Order 47206918380 shipped; ref 246813571.") == []


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("Aadhaar number 7362 9184 0551 on the form.", "7362 9184 0551", "SSN"),
        ("Mi DNI es 58204713A.", "58204713A", "NUMERICAL_PII"),
        ("Card 5274 9031 6620 1188 was declined.", "5274 9031 6620 1188", "NUMERICAL_PII"),
        ("Card 5274 9031 6620 1189 was charged.", "5274 9031 6620 1189", "CREDIT_CARD"),
    ],
)
def test_engine_masks_ids_and_look_alikes(engine: TextDeidentifier, text: str, value: str, label: str) -> None:
    result = engine.deidentify(text)[0]
    assert value not in result.result
    assert [p.best_label for p in result.pii if p.text == value] == [label]


def test_luhn_failing_card_is_never_credit_card(engine: TextDeidentifier) -> None:
    result = engine.deidentify("Visa 5274 9031 6620 1188 on file", DeidentifyOptions(enabled_classes=["CREDIT_CARD"]))[0]
    assert result.pii == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("NI number: jk 40 22 91 c", "jk 40 22 91 c"),
        ("National Insurance JK402291C.", "JK402291C"),
    ],
)
def test_uk_nino_any_case(text: str, value: str) -> None:
    assert (value, "SSN") in found(text)


def test_uk_nino_bad_prefix_and_lowercase_without_cue() -> None:
    assert found("code GB 40 22 91 C") == []
    assert found("the id jk402291c") == []


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "it", "pt", "ko"])
def test_language_independent_recognizers_serve_every_language(language: str) -> None:
    from veil.text.registry import default_registry

    names = {r.name for r in default_registry().for_language(language)}
    assert {"national_ids", "card_lookalike", "iban_lookalike", "lone_value", "mac_address", "crypto_wallet"} <= names


def test_any_value_after_a_national_id_cue_is_masked() -> None:
    # a PAN-like code that is no PAN, and an Aadhaar written with colons
    assert found("the PAN card number is Q7781KWZRT") == [("Q7781KWZRT", "NUMERICAL_PII")]
    assert ("7362:9184:0551", "SSN") in found("Aadhaar 7362:9184:0551")
    assert found("tax id: pending review") == []
