"""Recognizers of types that were listed but not detected: DOSE, INJURY, STATISTICS, FILENAME,
medical record and insurance ids, MAC addresses, IPv6 short forms, wallets, password pairs,
driver licence shapes."""

from __future__ import annotations

import pytest

from veil.text import TextDeidentifier
from veil.text.recognizers.base import Recognizer
from veil.text.recognizers.credential_pairs import find_credential_pairs
from veil.text.recognizers.crypto import base58check_ok, bech32_ok, find_wallets
from veil.text.recognizers.files import find_filenames
from veil.text.recognizers.licences import find_licences
from veil.text.recognizers.medical import find_doses, find_injuries, find_medical_records
from veil.text.recognizers.network import find_ipv6_short, find_macs
from veil.text.recognizers.statistics import find_statistics


def found(r: Recognizer, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in r.find(text)]


@pytest.mark.parametrize(
    ("r", "text", "value", "label"),
    [
        (find_doses, "Start her on 250 mg of cefalexin.", "250 mg", "DOSE"),
        (find_doses, "Give 1 tablet three times a day with food.", "1 tablet three times a day", "DOSE"),
        (find_doses, "He was given 5 mL every 6 hours.", "5 mL every 6 hours", "DOSE"),
        (find_doses, "insulin 12 units at bedtime", "12 units at bedtime", "DOSE"),
        (find_injuries, "X-rays confirmed a fractured right ankle.", "fractured right ankle", "INJURY"),
        (find_injuries, "She tore her ACL skiing.", "tore her ACL", "INJURY"),
        (find_injuries, "treated for a wrist sprain", "wrist sprain", "INJURY"),
        (find_statistics, "Relapse fell to 8.4% in the treated cohort.", "8.4%", "STATISTICS"),
        (find_statistics, "the odds ratio was 2.31 overall", "odds ratio was 2.31", "STATISTICS"),
        (find_statistics, "difference significant (p = 0.004)", "p = 0.004", "STATISTICS"),
        (find_statistics, "(95% CI 1.10-1.52)", "95% CI 1.10-1.52", "STATISTICS"),
        (find_statistics, "systolic 150/95 mmHg at intake", "150/95 mmHg", "STATISTICS"),
        (find_statistics, "mean weight 71.3 ± 9.8 kg", "71.3 ± 9.8", "STATISTICS"),
        (find_medical_records, "Chart for MRN_55023817 updated.", "MRN_55023817", "HEALTHCARE_NUMBER"),
        (find_medical_records, "medical record number: 7730-1142", "7730-1142", "HEALTHCARE_NUMBER"),
        (find_medical_records, "Insurance ID BCX-88341027 on the card.", "BCX-88341027", "HEALTHCARE_NUMBER"),
        (find_filenames, "attached scan_0042.jpeg and budget-2025.xlsx", "scan_0042.jpeg", "FILENAME"),
        (find_filenames, "saved to D:\\Clients\\okafor\\intake form.pdf yesterday", "D:\\Clients\\okafor\\intake form.pdf", "FILENAME"),
        (find_filenames, "see /var/backups/hr/salaries.csv now", "/var/backups/hr/salaries.csv", "FILENAME"),
        (find_macs, "router saw 3c:22:fb:9a:10:e4 twice", "3c:22:fb:9a:10:e4", "NUMERICAL_PII"),
        (find_macs, "MAC address 00-25-96-12-34-56", "00-25-96-12-34-56", "NUMERICAL_PII"),
        (find_ipv6_short, "listening on ::1 only", "::1", "IP_ADDRESS"),
        (find_ipv6_short, "ping fe80::a1b2%wlan0 failed", "fe80::a1b2%wlan0", "IP_ADDRESS"),
        (find_ipv6_short, "prefix 2001:db8:42:: assigned.", "2001:db8:42::", "IP_ADDRESS"),
        (find_credential_pairs, "vpn login: mkowal / Zebra#4411", "Zebra#4411", "PASSWORD"),
        (find_credential_pairs, "creds are root:Tr0ub4dor!", "Tr0ub4dor!", "PASSWORD"),
        (find_licences, "driver licence W426-418-73-529 expired", "W426-418-73-529", "DRIVER_LICENSE"),
    ],
)
def test_found(r: Recognizer, text: str, value: str, label: str) -> None:
    assert (value, label) in found(r, text)


@pytest.mark.parametrize(
    ("r", "text"),
    [
        (find_doses, "She drank 250 ml of water."),  # a food or drink amount, no dosing word
        (find_statistics, "Get 50% off every Friday."),  # a percentage outside research prose
        (find_filenames, "Visit example.com, e.g. the 3.5 version."),
        (find_macs, "at 12:30:45:10:20:30 exactly"),  # digits only, no MAC cue
        (find_ipv6_short, "C++ uses std::vector and a::b"),
        (find_credential_pairs, "account: open/closed"),
        (find_injuries, "he broke the record"),
    ],
)
def test_not_found(r: Recognizer, text: str) -> None:
    assert found(r, text) == []


def test_wallet_checksums() -> None:
    # the genesis block address and the BIP 173 example, then one changed character each
    assert base58check_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert not base58check_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
    assert bech32_ok("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    assert not bech32_ok("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")
    text = "pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 0x9aE1b4C0e5f2A3c6D7b8e9F0a1B2c3D4e5F6a7B8"
    assert [label for _, label in found(find_wallets, text)] == ["ACCOUNT_NUMBER", "ACCOUNT_NUMBER"]
    assert found(find_wallets, "pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") == []


def test_engine_masks_new_types(engine: TextDeidentifier) -> None:
    text = (
        "Pt sustained a fractured left wrist; started 400 mg ibuprofen twice daily. "
        "Upload discharge_note.pdf from host fe80::1%eth0, MRN_30029911."
    )
    result = engine.deidentify(text)[0]
    labels = {p.best_label for p in result.pii}
    assert {"INJURY", "DOSE", "FILENAME", "IP_ADDRESS", "HEALTHCARE_NUMBER"} <= labels
    for leaked in ("wrist", "400 mg", "discharge_note", "fe80", "30029911"):
        assert leaked not in result.result


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("write to lena dot fischer at posteo dot de today", "lena dot fischer at posteo dot de", "EMAIL_ADDRESS"),
        ("contact: r_quint [at] example [dot] org", "r_quint [at] example [dot] org", "EMAIL_ADDRESS"),
        ("we moved to fifty seven birch crescent last year", "fifty seven birch crescent", "LOCATION_ADDRESS_STREET"),
        ("my surname, spelled V-A-N-D-E-R-B-E-R-G, is long", "V-A-N-D-E-R-B-E-R-G", "NAME"),
        ("booking code X as in x-ray, J as in juliet, four one six", "X as in x-ray, J as in juliet, four one six", "NUMERICAL_PII"),
    ],
)
def test_spoken_contacts(text: str, value: str, label: str) -> None:
    from veil.text.recognizers.spoken_contacts import find_spelled, find_spoken_emails, find_spoken_streets

    spans = [(text[s.start : s.end], s.label) for r in (find_spoken_emails, find_spoken_streets, find_spelled) for s in r.find(text)]
    assert (value, label) in spans


def test_spoken_contacts_leave_prose() -> None:
    from veil.text.recognizers.spoken_contacts import find_spelled, find_spoken_emails, find_spoken_streets

    text = "see you at home at five, it is a one way street, A for effort"
    assert [s for r in (find_spoken_emails, find_spoken_streets, find_spelled) for s in r.find(text)] == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("274019936", "SSN"),  # a valid SSN alone in a field
        ("021000021", "ROUTING_NUMBER"),  # ABA checksum
        ("K7720931X", "NUMERICAL_PII"),
        ("4821:3377:0519", "NUMERICAL_PII"),
    ],
)
def test_lone_values(text: str, label: str) -> None:
    from veil.text.recognizers.lone_values import find_lone_values

    assert [(text[s.start : s.end], s.label) for s in find_lone_values.find(text)] == [(text, label)]


@pytest.mark.parametrize("text", ["hello there", "2024", "1234.56", "see room 40213 now"])
def test_lone_values_leave_words_and_amounts(text: str) -> None:
    from veil.text.recognizers.lone_values import find_lone_values

    assert list(find_lone_values.find(text)) == []


def test_networks_and_embedded_ipv4() -> None:
    from veil.text.recognizers.network import find_ip_networks

    text = "routes 10.20.0.0/16 and 2001:db8:ab::/48 via 0:0:0:0:0:ffff:10.1.2.3; ratio 3/4"
    assert [text[s.start : s.end] for s in find_ip_networks.find(text)] == [
        "10.20.0.0/16",
        "2001:db8:ab::/48",
        "0:0:0:0:0:ffff:10.1.2.3",
    ]


def test_iban_lookalikes() -> None:
    from veil.text.recognizers.lookalikes import find_iban_lookalikes

    # mod-97 valid, national check failing -> still a bank account; mod-97 failing -> masked
    good97 = "GB82WEST12345698765433"
    assert [s.label for s in find_iban_lookalikes.find(f"iban {good97}")] in (["NUMERICAL_PII"], ["BANK_ACCOUNT"])
    assert [s.label for s in find_iban_lookalikes.find("iban DE00123456789012345678")] == ["NUMERICAL_PII"]


def test_machine_names() -> None:
    from veil.text.recognizers.network import find_machine_names

    text = "alerts from LAPTOP-X7RQ2 and OKAFOR-PC; hostname: fin-ws-031. COVID-19 and UTF-8 stay."
    assert [text[s.start : s.end] for s in find_machine_names.find(text)] == ["LAPTOP-X7RQ2", "OKAFOR-PC", "fin-ws-031"]
