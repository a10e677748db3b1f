"""Span edges and value shapes of single recognizers: an IPv6 prefix of a bad IPv4-mapped
address, a postcode followed by a word, a phone inside brackets, British licence spellings,
dotless URLs and licence values with masked characters."""

from __future__ import annotations

import pytest

from veil.text import DeidentifyOptions, deidentify
from veil.text.registry import default_registry

BY_NAME = {r.name: r for r in default_registry()}


def found(recognizer: str, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in BY_NAME[recognizer].find(text)]


def ip_values(text: str) -> list[str]:
    return [
        text[s.start : s.end]
        for r in ("ipv4", "ipv6", "ipv6_short", "ip_network")
        if r in BY_NAME
        for s in BY_NAME[r].find(text)
        if s.label == "IP_ADDRESS"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the gateway answered from ::ffff:256.0.0.1 twice",
        "a typo such as ::ffff:10.1.2 in the config",
        "route 2001:db8::300.1.1.1 is not an address",
        "logged fe80:0:0:0:0:ffff:999.1.1.1 at noon",
    ],
)
def test_ipv6_before_a_bad_ipv4_tail_is_no_address(text: str) -> None:
    assert ip_values(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the gateway answered from ::ffff:192.0.2.1 twice", "::ffff:192.0.2.1"),
        ("the printer sits at 2001:db8:0:1::5. Reboot it", "2001:db8:0:1::5"),
        ("peer fe80:0:0:0:202:b3ff:fe1e:8329 joined", "fe80:0:0:0:202:b3ff:fe1e:8329"),
    ],
)
def test_ipv6_still_found(text: str, value: str) -> None:
    assert value in ip_values(text)


def test_bad_ipv4_mapped_address_is_not_masked_as_a_prefix() -> None:
    [res] = deidentify("the gateway answered from ::ffff:256.0.0.1 twice")
    assert "[IP_ADDRESS_1].0.0.1" not in res.result


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my zip is 80203 and my husband lives there", "80203"),
        ("zip code 30301 or so", "30301"),
        ("postcode: SW1A 1AA, London", "SW1A 1AA"),
        ("postal code is K1A 0B6 please", "K1A 0B6"),
        ("zip 80203-1234 for the office", "80203-1234"),
        ("postcode 1012 AB in the old town", "1012 AB"),
        ("PLZ 10115 und Berlin", "10115"),
    ],
)
def test_postcode_span_ends_at_the_postcode(text: str, value: str) -> None:
    assert (value, "LOCATION_ZIP") in found("zip", text)
    assert all(v == value for v, _ in found("zip", text))


def test_postcode_then_word_in_a_result() -> None:
    [res] = deidentify("my zip is 80203 and my husband works nights")
    assert "[LOCATION_ZIP_1] and my husband" in res.result


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("(ring me 412-67-3390) after six", "412-67-3390"),
        ("my cell (202-555-0147) is off", "202-555-0147"),
        ("numbers: (212) 555-0199) and more", "(212) 555-0199"),
        ("try +1 (646) 555-0123).", "+1 (646) 555-0123"),
        ("desk phone 212 555 (0199) works", "212 555 (0199)"),
    ],
)
def test_phone_span_has_no_unbalanced_bracket(text: str, value: str) -> None:
    values = [v for v, label in found("phone", text) if label == "PHONE_NUMBER"]
    assert value in values
    for v in values:
        assert v.count("(") == v.count(")")
        assert not v.endswith((".", ",", "-", " "))


@pytest.mark.parametrize(
    "text",
    [
        "her driver licence is K8830192 and expires soon",
        "driving licence K8830192 was checked at the desk",
        "my driver’s licence reads K8830192",
        "the driver's licence K8830192 was scanned",
    ],
)
def test_british_licence_spellings_are_cues(text: str) -> None:
    assert ("K8830192", "DRIVER_LICENSE") in found("driver_license", text)


def test_driver_licence_spelling_in_a_result() -> None:
    [res] = deidentify(
        "Please scan the driver licence K8830192 at reception.", DeidentifyOptions(accuracy_mode="standard")
    )
    assert "K8830192" not in res.result


@pytest.mark.parametrize(
    "text",
    ["we type www.acmecorp without the rest", "open http://acmecorp now", "the link was https://portal."],
)
def test_a_url_without_a_domain_is_a_word(text: str) -> None:
    assert [v for v, label in found("url", text) if label == "URL"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("visit https://www.acmecorp.com/about today", "https://www.acmecorp.com/about"),
        ("see http://acmecorp.photography for pictures", "http://acmecorp.photography"),
        ("the admin page http://10.0.0.7/admin is open", "http://10.0.0.7/admin"),
        ("it runs on http://localhost:8080/debug here", "http://localhost:8080/debug"),
        ("the wiki http://intranet/people/jsmith lists him", "http://intranet/people/jsmith"),
        ("try http://[2001:db8::1]:8443/ later", "http://[2001:db8::1]:8443/"),
        ("or www.acmecorp.co.uk/contact", "www.acmecorp.co.uk/contact"),
    ],
)
def test_urls_with_a_host_are_found(text: str, value: str) -> None:
    assert (value, "URL") in found("url", text)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("BQ7T**4X2K81 and R*5521QZ*HT3", ["BQ7T**4X2K81", "R*5521QZ*HT3"]),
        ("the form showed ZK4**19P0M2 only", ["ZK4**19P0M2"]),
    ],
)
def test_codes_with_masked_characters_are_masked(text: str, values: list[str]) -> None:
    assert found("licence_shape", text) == [(v, "NUMERICAL_PII") for v in values]
    [res] = deidentify(text)
    assert not any(v in res.result for v in values)


def test_masked_code_after_a_licence_cue_is_a_licence() -> None:
    [res] = deidentify("Her licence number was R*5521QZ*HT3 on the form.")
    assert "[DRIVER_LICENSE_1]" in res.result


@pytest.mark.parametrize(
    "text", ["2*3*4*5*6*7 is a product", "**2024** in bold", "PASS*WORD shouted", "a short AB12*3 code"]
)
def test_stars_in_prose_are_no_code(text: str) -> None:
    assert found("licence_shape", text) == []
