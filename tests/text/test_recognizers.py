"""Each rule recognizer: a valid value is found, an invalid checksum or a missing cue is not."""

from __future__ import annotations

import pytest

from veil.text.recognizers.identifiers import vin_check_digit_ok
from veil.text.registry import default_registry
from veil.text.spans import Span

BY_NAME = {r.name: r for r in default_registry()}


def found(recognizer: str, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in BY_NAME[recognizer].find(text)]


@pytest.mark.parametrize(
    ("recognizer", "text", "value", "label"),
    [
        ("email", "write to jane.doe+x@example.co.uk today", "jane.doe+x@example.co.uk", "EMAIL_ADDRESS"),
        ("url", "see https://www.example.com/a?b=1.", "https://www.example.com/a?b=1", "URL"),
        ("ipv4", "from 192.168.10.4 and", "192.168.10.4", "IP_ADDRESS"),
        ("ipv6", "address 2001:db8::8a2e:370:7334 blocked", "2001:db8::8a2e:370:7334", "IP_ADDRESS"),
        ("phone", "call me at (415) 555-2671 tomorrow", "(415) 555-2671", "PHONE_NUMBER"),
        ("phone", "mobile +44 20 7946 0958", "+44 20 7946 0958", "PHONE_NUMBER"),
        ("phone", "office 345-899-3560x4587", "345-899-3560x4587", "PHONE_NUMBER"),
        ("credit_card", "card 4111 1111 1111 1111 please", "4111 1111 1111 1111", "CREDIT_CARD"),
        ("credit_card", "number 213176828496175 at", "213176828496175", "CREDIT_CARD"),
        ("iban", "IBAN GB82 WEST 1234 5698 7654 32 thanks", "GB82 WEST 1234 5698 7654 32", "BANK_ACCOUNT"),
        ("routing", "routing number 011000015", "011000015", "ROUTING_NUMBER"),
        ("ssn", "my SSN: 460-89-9847", "460-89-9847", "SSN"),
        ("ssn", "SIN 130 692 544", "130 692 544", "SSN"),
        ("cvv", "CVV 123", "123", "CVV"),
        ("card_expiry", "expiry 04/27", "04/27", "CREDIT_CARD_EXPIRATION"),
        ("passport", "passport number X1234567", "X1234567", "PASSPORT_NUMBER"),
        ("driver_license", "my driver's license number is F162823540116", "F162823540116", "DRIVER_LICENSE"),
        ("healthcare_number", "NHS number 943 476 5919", "943 476 5919", "HEALTHCARE_NUMBER"),
        ("vin", "VIN 1M8GDM9AXKP042788", "1M8GDM9AXKP042788", "VEHICLE_ID"),
        ("money", "it cost $1,250.50 in total", "$1,250.50", "MONEY"),
        ("age", "a 65-year-old male", "65", "AGE"),
        ("age", "I'll turn 21.", "21", "AGE"),
        ("date", "born on 2/8/1935. Her", "2/8/1935", "DOB"),
        ("date", "on March 3rd, 2021 we", "March 3rd, 2021", "DATE"),
        ("time", "at 10:30 pm sharp", "10:30 pm", "TIME"),
        ("duration", "for three weeks now", "three weeks", "DURATION"),
        ("street", "I live at 123 Main Street.", "123 Main Street", "LOCATION_ADDRESS_STREET"),
        ("street", "Björkvägen 22, Uppsala", "Björkvägen 22, Uppsala", "LOCATION_ADDRESS"),
        ("zip", "my zip code is 35350", "35350", "LOCATION_ZIP"),
        ("coordinate", "at 40.71280, -74.00600 now", "40.71280, -74.00600", "LOCATION_COORDINATE"),
        ("password", "My password is: 4XDX63F8O1", "4XDX63F8O1", "PASSWORD"),
        ("username", "username: jdoe_88", "jdoe_88", "USERNAME"),
        ("vocabulary", "she is a Buddhist and a nurse", "Buddhist", "RELIGION"),
        ("blood_type", "blood type AB+ confirmed", "AB+", "BLOOD_TYPE"),
        ("names", "this is Dr. Alan Brenner speaking", "Alan Brenner", "NAME"),
    ],
)
def test_recognizer_finds(recognizer: str, text: str, value: str, label: str) -> None:
    assert (value, label) in found(recognizer, text)


@pytest.mark.parametrize(
    ("recognizer", "text"),
    [
        ("credit_card", "card 4111 1111 1111 1112 please"),  # Luhn fails
        ("iban", "IBAN GB83 WEST 1234 5698 7654 32 thanks"),  # mod-97 fails
        ("routing", "routing number 011000016"),  # ABA checksum fails
        ("ssn", "my SSN: 666-12-3456"),  # area 666 is never issued
        ("ssn", "my SSN: 000-12-3456"),
        ("ipv4", "version 999.1.1.1 here"),
        ("licence_plate", "VIN 1M8GDM9AXKP042789"),  # check digit fails (no cue-free match)
        ("cvv", "I counted 123 sheep"),  # no cue
        ("passport", "room X1234567"),  # no cue
        ("password", "My password is incorrect"),
        ("age", "I bought 3 apples"),
        ("phone", "it happened in 2019 and 2020"),
    ],
)
def test_recognizer_rejects(recognizer: str, text: str) -> None:
    assert found(recognizer, text) == []


def test_vin_check_digit() -> None:
    assert vin_check_digit_ok("1M8GDM9AXKP042788")
    assert not vin_check_digit_ok("1M8GDM9A1KP042788")


def test_realistic_messages(engine: object) -> None:
    from veil.text import DeidentifyOptions, TextDeidentifier

    assert isinstance(engine, TextDeidentifier)
    texts = [
        "Please wire $2,500 to IBAN DE89 3704 0044 0532 0130 00, routing number 011000015, account number 123456789.",
        "My card 4111-1111-1111-1111 expires 09/27, CVV 123. Call me at +1 (415) 555-2671 or email jane.doe@example.com.",
        "I'm a 34-year-old Catholic and I live at 42 Baker Street, London NW1 6XE. My SSN is 123-45-6789.",
        "Login with username jdoe88 and password Tr0ub4dor&3 at https://portal.example.org from 10.0.0.12.",
        "I forgot my password and need a password reset for my username.",
    ]
    got = [[(p.text, p.best_label) for p in r.pii] for r in engine.deidentify(texts, DeidentifyOptions())]
    assert got[0] == [
        ("$2,500", "MONEY"),
        ("DE89 3704 0044 0532 0130 00", "BANK_ACCOUNT"),
        ("011000015", "ROUTING_NUMBER"),
        ("123456789", "ACCOUNT_NUMBER"),
    ]
    assert ("123", "CVV") in got[1] and ("09/27", "CREDIT_CARD_EXPIRATION") in got[1]
    assert ("42 Baker Street, London NW1 6XE", "LOCATION_ADDRESS") in got[2] and (
        "123-45-6789",
        "SSN",
    ) in got[2]
    assert got[3] == [
        ("jdoe88", "USERNAME"),
        ("Tr0ub4dor&3", "PASSWORD"),
        ("https://portal.example.org", "URL"),
        ("10.0.0.12", "IP_ADDRESS"),
    ]
    assert got[4] == []


def test_subtypes_on_request(engine: object) -> None:
    from veil.text import DeidentifyOptions, TextDeidentifier

    assert isinstance(engine, TextDeidentifier)
    [res] = engine.deidentify(
        "John Smith moved from Barcelona to Spain.",
        DeidentifyOptions(enabled_classes=["NAME_GIVEN", "NAME_FAMILY", "LOCATION_CITY", "LOCATION"]),
    )
    labels = {p.text: p.best_label for p in res.pii}
    assert labels["John"] == "NAME_GIVEN" and labels["Smith"] == "NAME_FAMILY"
    assert labels["Barcelona"] == "LOCATION_CITY"
    city = next(p for p in res.pii if p.text == "Barcelona")
    assert set(city.labels) == {"LOCATION_CITY", "LOCATION"}
    assert res.output_checks_passed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letterhead block, one field per line: each line is its own field
        (
            "Irene Vaskola\n\n52190 Koivukuja 17\n Suite 212\n TAMPERE\n\n Finland 33540",
            [
                ("52190", "LOCATION_ADDRESS_STREET"),
                ("Koivukuja 17", "LOCATION_ADDRESS_STREET"),
                ("Suite 212", "LOCATION_ADDRESS_STREET"),
                ("TAMPERE", "LOCATION_CITY"),
                ("Finland", "LOCATION_COUNTRY"),
                ("33540", "LOCATION_ZIP"),
            ],
        ),
        # the same block inside a sentence is one address
        (
            "Ship the parcel to 4417 Calle Nogal 23\n Apt. 310\n Benidorm\n Spain 03501 before Friday.",
            [("4417 Calle Nogal 23\n Apt. 310\n Benidorm\n Spain 03501", "LOCATION_ADDRESS")],
        ),
        # a building number in front of a street with its own house number
        (
            "The bakery is at 30418 1175 Maple St",
            [("30418", "LOCATION_ADDRESS_STREET"), ("1175 Maple St", "LOCATION_ADDRESS_STREET")],
        ),
        (
            "The tram stops at 5127 ul. Wierzbowa 14 St.",
            [("5127", "LOCATION_ADDRESS_STREET"), ("ul. Wierzbowa 14", "LOCATION_ADDRESS_STREET")],
        ),
        # name-then-number streets after an address cue
        ("Olek lives on Lindenhöhe 31 street.", [("Lindenhöhe 31", "LOCATION_ADDRESS_STREET")]),
        (
            "She lives on the east side of Ramon Ortega 1834.",
            [("Ramon Ortega 1834", "LOCATION_ADDRESS_STREET")],
        ),
        (
            "it is the corner of Hagavegur 12 and Solveig Hollow",
            [("the corner of Hagavegur 12 and Solveig Hollow", "LOCATION_ADDRESS")],
        ),
    ],
)
def test_address_fields(text: str, expected: list[tuple[str, str]]) -> None:
    spans = sorted(BY_NAME["street"].find(text), key=lambda s: s.start)
    assert [(text[s.start : s.end], s.label) for s in spans] == expected


def test_named_street_needs_a_cue() -> None:
    assert found("street", "Windows 10 shipped before Apollo 11 was remembered.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Let's meet at 38120 Rantatie 45 Apt. 017\nKOTKA, nan 48100 after lunch.", "38120 Rantatie 45 Apt. 017\nKOTKA, nan 48100"),
        ("the address is:\n\n20817 Palackého 2215 Apt. 041\nSt Jerome, QC 61409", "20817 Palackého 2215 Apt. 041\nSt Jerome, QC 61409"),
        ("It's at the corner of 48 Ermou Str. and Holloway Turnpike", "the corner of 48 Ermou Str. and Holloway Turnpike"),
        ("Address:\nthe corner of 5120 Harbor Avenue and Bolesława Route.", "the corner of 5120 Harbor Avenue and Bolesława Route"),
        ("Visitors enter on 214 Avenue Montclair St. during the works", "214 Avenue Montclair"),
    ],
)
def test_address_extent(text: str, value: str) -> None:
    assert value in [v for v, _ in found("street", text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("follow up with patricia desrosiers in a couple of months.", ["patricia desrosiers"]),
        ("olga krylova's killers sentenced to life in prison", ["olga krylova"]),
        ("her maiden name is nyberg", ["nyberg"]),
        ("benjamin a seiler called yesterday", ["benjamin a seiler"]),
        ("patricia went home early and then slept", []),
    ],
)
def test_lowercase_names(text: str, names: list[str]) -> None:
    got = [v for v, label in found("gazetteer_names", text) if label == "NAME"]
    assert all(name in got for name in names)
    assert not names or all(" " not in v or v in names for v in got)


def test_model_skipped_only_when_nothing_is_left_for_it() -> None:
    from veil.text.model_gate import needs_model
    def spans(text: str) -> list:
        return default_registry().find(text, "en")

    for text in (
        "Phone 555-123-4567 or mail jane@example.com.",
        "The 3 of us met on 12/05/2020.",
        "ok thanks",
        "Sent by Acme Corp.",  # the organisation rule explained every capital
    ):
        assert not needs_model(text, spans(text)), text
    for text in (
        "Please ask Xavier about it.",
        "then we went to kiel by train",
        "Sent by Quorvex.",
        "I met John Smith and Xylo Brandt in Paris.",  # Brandt and Paris are left for the model
    ):
        assert needs_model(text, spans(text)), text


@pytest.mark.parametrize(
    ("text", "name"),
    [("I met Olga K. Petrenko today.", "Olga K. Petrenko"), ("Ask Zsofia T Kovacs.", "Zsofia T Kovacs")],
)
def test_names_with_a_middle_initial(text: str, name: str) -> None:
    assert (name, "NAME") in found("gazetteer_names", text)


def test_no_name_from_an_initial_after_a_label_word() -> None:
    assert found("gazetteer_names", "Take Route A Road north, then Terminal B Gate.") == []


def test_surname_forms_retype_model_organisations() -> None:
    from veil.text.retyping import retype_people

    text = "The account holder is Timur Rashidovich; Padova is lovely."
    spans = retype_people(text, [_ner(text, "Timur Rashidovich", "ORGANIZATION"), _ner(text, "Padova", "LOCATION_CITY")])
    assert [(text[s.start : s.end], s.label) for s in spans] == [("Timur Rashidovich", "NAME"), ("Padova", "LOCATION_CITY")]


def test_venues_the_model_calls_organisations_are_places() -> None:
    from veil.text.ner import map_entity

    text = "We met at Coors Field and later at the La Valencia Hotel, not at Acme Corp."
    span = map_entity(text, 10, 21, "ORG")
    assert span is not None and span.label == "LOCATION"
    span = map_entity(text, 35, 56, "ORG")
    assert span is not None and (text[span.start : span.end], span.label) == ("La Valencia Hotel", "LOCATION")
    span = map_entity(text, 65, 74, "ORG")
    assert span is not None and span.label == "ORGANIZATION"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tuesday morning", ("Tuesday", "DATE")),
        ("the 60s", None),
        ("the 1970s", None),
        ("10th year", None),
        ("last 10", None),
        ("8+ years", ("8+ years", "DURATION")),
        ("May 3, 1999", ("May 3, 1999", "DATE")),
    ],
)
def test_model_dates_that_are_not_dates(value: str, expected: tuple[str, str] | None) -> None:
    from veil.text.ner import map_entity

    text = f"It was {value} then."
    span = map_entity(text, 7, 7 + len(value), "DATE")
    assert (None if span is None else (text[span.start : span.end], span.label)) == expected


def test_weekday_without_the_part_of_the_day() -> None:
    assert found("date", "Ms. Ortiz flew to Bergen on Monday morning.") == [("Monday", "DATE")]


def test_english_word_with_a_street_ending_is_not_a_street() -> None:
    assert found("street", "During 1971, Mayo-Walters invested heavily.") == []
    assert ("Mühlenring 12", "LOCATION_ADDRESS_STREET") in found("street", "She lives at Mühlenring 12.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted block (e-mail "> " markers) is still one field per line
        (
            ">Lena Holt\n>315 Skovvej 27\n>Apt. 118\n>Esbjerg\n>Denmark 67015",
            [
                ("315", "LOCATION_ADDRESS_STREET"),
                ("Skovvej 27", "LOCATION_ADDRESS_STREET"),
                ("Apt. 118", "LOCATION_ADDRESS_STREET"),
                ("Esbjerg", "LOCATION_CITY"),
                ("Denmark", "LOCATION_COUNTRY"),
                ("67015", "LOCATION_ZIP"),
            ],
        ),
        # a unit on the street line is its own field, as on a line of its own
        (
            "Billing address: Mia Lorenz\n    31764 Kuusitie 19 Apt. 207\n   KUOPIO\n    SK\n    40100",
            [
                ("31764", "LOCATION_ADDRESS_STREET"),
                ("Kuusitie 19", "LOCATION_ADDRESS_STREET"),
                ("Apt. 207", "LOCATION_ADDRESS_STREET"),
                ("KUOPIO", "LOCATION_CITY"),
                ("SK", "LOCATION_STATE"),
                ("40100", "LOCATION_ZIP"),
            ],
        ),
        # building number, street, town and nothing else: three fields
        (
            "Peter sent Nora his address: 6173 Mäntykuja 8, KUOPIO",
            [("6173", "LOCATION_ADDRESS_STREET"), ("Mäntykuja 8", "LOCATION_ADDRESS_STREET"), ("KUOPIO", "LOCATION_CITY")],
        ),
        (
            "She lives at 850 12 Baker Street, London.",
            [("850", "LOCATION_ADDRESS_STREET"), ("12 Baker Street", "LOCATION_ADDRESS_STREET"), ("London", "LOCATION_CITY")],
        ),
        ("She lives at 12 Baker Street, London.", [("12 Baker Street, London", "LOCATION_ADDRESS")]),
        # with a unit, a country or a postcode it stays one address
        (
            "Send it to 72214 Koivukuja 17 Apt. 330, ELY, United Kingdom",
            [("72214 Koivukuja 17 Apt. 330, ELY, United Kingdom", "LOCATION_ADDRESS")],
        ),
    ],
)
def test_address_blocks_field_by_field(text: str, expected: list[tuple[str, str]]) -> None:
    spans = sorted(BY_NAME["street"].find(text), key=lambda s: (s.start, s.end))
    assert sorted((text[s.start : s.end], s.label) for s in spans) == sorted(expected)


def test_a_phone_line_after_an_address_is_not_its_postcode() -> None:
    text = "Karen Voss\n\n2280 Kerk St\n Apt. 415\n Benoni\n South Africa 81204\n083 517 2294-Office"
    values = [v for v, _ in found("street", text)]
    assert "81204" in values and not any("083" in v for v in values)


def test_model_place_without_the_postcode_after_it() -> None:
    from veil.text.ner import map_entity

    text = "Odense\nDenmark 41822"
    span = map_entity(text, 7, 20, "EVENT")
    assert span is not None and (text[span.start : span.end], span.label) == ("Denmark", "LOCATION_COUNTRY")


def test_headings_of_everyday_words_are_not_names() -> None:
    from veil.text.cleanup import drop_headings

    assert found("names", "Produced By:    Markus Lindqvist") == []
    assert found("names", "Opening Hours: weekdays only") == []
    assert found("names", "Heather: who are you?") == [("Heather", "NAME")]
    text = "Drama & Romance, Horror, Comedy, Music & Dance\nI work at Zorbix Labs: Pay Club"
    spans = [_ner(text, "Drama & Romance", "ORGANIZATION"), _ner(text, "Zorbix Labs", "ORGANIZATION"),
             _ner(text, "Pay Club", "ORGANIZATION")]
    assert [text[s.start : s.end] for s in drop_headings(text, spans)] == ["Zorbix Labs", "Pay Club"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bring it to Oskar and Heiðargata 21 tomorrow.", "Oskar and Heiðargata 21"),
        ("The shop is at Milena and Rákóczi u. 27.", "Milena and Rákóczi u. 27."),
        ("Brooks-Hale\nĐura and ul. Polna 8", "Đura and ul. Polna 8"),
        ("mail the form to Marisol and Rúa do Castro 12?", "Marisol and Rúa do Castro 12"),
    ],
)
def test_crossing_without_corner_of(text: str, value: str) -> None:
    assert found("street", text) == [(value, "LOCATION_ADDRESS_STREET")]


def test_no_crossing_from_a_sentence_with_and() -> None:
    assert ("Grazer Strasse 41", "LOCATION_ADDRESS_STREET") in found(
        "street", "Anna met Tom and Grazer Strasse 41 was closed."
    )


def test_truecase_capitalises_names_in_lowercase_text_only() -> None:
    from veil.text.truecasing import truecase

    text = "nora lindgren lives at 318 birkevej 22, mail nora@lindgren.dk"
    cased = truecase(text)
    assert len(cased) == len(text) and cased.lower() == text
    assert cased.startswith("Nora Lindgren lives at") and "nora@lindgren.dk" in cased
    assert truecase("Nora lindgren lives here") == "Nora lindgren lives here"
    assert truecase("so i met nora lindgren") == "So I met Nora Lindgren"


def test_lowercase_addresses() -> None:
    assert found("street", "name: kenji r. ota\naddress: unit 3318 box 0294\ndpo ap 51837\n642 2219 office") == [
        ("unit 3318 box 0294\ndpo ap 51837", "LOCATION_ADDRESS_STREET")
    ]
    assert found("street", "meet me at 1932 rantatie 14, braga, portugal") == [
        ("1932 rantatie 14, braga, portugal", "LOCATION_ADDRESS")
    ]


def _ner(text: str, value: str, label: str, source: str = "ner") -> Span:
    start = text.index(value)
    return Span(start, start + len(value), label, 0.8, source)


@pytest.mark.parametrize(
    ("text", "value", "label", "expected"),
    [
        ("I used to work for Brightlane as a clerk.", "Brightlane", "NAME", "ORGANIZATION"),
        ("Vexora is a design agency based in Turku.", "Vexora", "NAME", "ORGANIZATION"),
        ("according to the Pricewell website.", "Pricewell", "NAME", "ORGANIZATION"),
        ("Haruka Tanabe lives at 12 Elm Road", "Haruka Tanabe", "ORGANIZATION", "NAME"),
        ("is heading that way, says Dvořáková.", "Dvořáková", "LOCATION_CITY", "NAME"),
        ("my aunt was called Ilka Várdai", "Ilka Várdai", "ORGANIZATION", "NAME"),
        ("We flew to Paris, says the report.", "Paris", "LOCATION_CITY", "LOCATION_CITY"),
    ],
)
def test_context_retypes_model_entities(text: str, value: str, label: str, expected: str) -> None:
    from veil.text.retyping import retype_by_context

    span = _ner(text, value, label)
    retype_by_context(text, [span])
    assert span.label == expected


def test_person_of_an_organisation_and_lists_of_people() -> None:
    from veil.text.retyping import retype_by_context

    text = "Zbigniew Nowak of Quantrix is the CEO. Okafor and Murphy were engineers."
    spans = [_ner(text, "Zbigniew Nowak", "NAME"), _ner(text, "Quantrix", "NAME"),
             _ner(text, "Okafor", "ORGANIZATION"), _ner(text, "Murphy", "NAME")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["NAME", "ORGANIZATION", "NAME", "NAME"]


def test_letterhead_company_line() -> None:
    from veil.text.retyping import retype_by_context

    text = ">Greta Falk\n>Nordwave\n>Greta Falk\n>2291 Kirchgasse 5\n>Suite 330"
    spans = [_ner(text, "Greta Falk", "NAME"), _ner(text, "Nordwave", "NAME"),
             _ner(text, "2291 Kirchgasse 5", "LOCATION_ADDRESS_STREET", "pattern")]
    retype_by_context(text, spans)
    assert spans[1].label == "ORGANIZATION"
    assert ("Holt, Ferris and Quinn", "ORGANIZATION") in found(
        "organizations", "Ann Lee\nHolt, Ferris and Quinn\n12 Elm Road"
    )


def test_coordinated_names_are_two_people() -> None:
    from veil.text.retyping import split_coordinated_names

    text = "They had 2 kids: Marcus and Elena. Doe, Jane signed."
    spans = split_coordinated_names(text, [_ner(text, "Marcus and Elena", "NAME"), _ner(text, "Doe, Jane", "NAME")])
    assert [text[s.start : s.end] for s in spans] == ["Marcus", "Elena", "Doe, Jane"]


def test_places_by_cue_and_by_postcode() -> None:
    got = found("place_cues", "Glad to support Trellix in HAMAR 2317 in its work.")
    assert ("HAMAR", "LOCATION_CITY") in got and ("2317", "LOCATION_ZIP") in got
    assert found("place_cues", "It was in Room 1234, not in Windows 2000.") == []
    assert ("Alcalá de Henares", "LOCATION_CITY") in found("place_cues", "the choir's home city Alcalá de Henares: ")


def test_model_entity_run_together_over_a_colon() -> None:
    from veil.text.ner import map_entity

    text = "home town Verona: Dataline Group"
    assert map_entity(text, 10, len(text), "ORG") is None


def test_everyday_word_alone_is_not_a_person_and_names_end_at_a_possessive() -> None:
    from veil.text.cleanup import drop_headings, tidy

    text = "Capitalized words like Patience are mistaken; Zak shouted at Pavel Orlov's Winter Stories."
    spans = drop_headings(text, [_ner(text, "Patience", "NAME"), _ner(text, "Zak", "NAME")])
    assert [text[s.start : s.end] for s in spans] == ["Zak"]
    span = tidy(text, _ner(text, "Pavel Orlov's Winter Stories", "NAME", "context"))
    assert text[span.start : span.end] == "Pavel Orlov"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("A motivated salesperson with 5+ years in retail.", "salesperson"),
        ("Named Salesperson of the Year twice.", "Salesperson"),
        ("She worked there as a Licensed conveyancer for years.", "Licensed conveyancer"),
        ("I used to work for Acme as Dairy scientist, but quit.", "Dairy scientist"),
        ("She is a registered nurse at the clinic.", "registered nurse"),
    ],
)
def test_occupation_modifiers(text: str, title: str) -> None:
    assert (title, "OCCUPATION") in found("vocabulary", text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my address is the corner of Budai kapu 12. and Corwin Pass", "the corner of Budai kapu 12. and Corwin Pass"),
        ("our new address is the corner of 72 Vasilissis Sofias str and Larkin Union",
         "the corner of 72 Vasilissis Sofias str and Larkin Union"),
        ("Nikos lives at 20431 Παλιά Πόλη 27, ΛΕΜΕΣΟΣ", "Παλιά Πόλη 27"),
    ],
)
def test_street_names_with_lowercase_words_and_greek(text: str, value: str) -> None:
    assert value in [v for v, _ in found("street", text)]


def test_employer_before_a_role() -> None:
    from veil.text.retyping import retype_by_context

    text = "Sofie spent two years at Brightlane as the assistant to Sofie Brandt; I met her at Paris as a student."
    spans = [_ner(text, "Brightlane", "LOCATION_CITY"), _ner(text, "Paris", "LOCATION_CITY")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["ORGANIZATION", "LOCATION_CITY"]


def test_former_role_and_digits_are_not_part_of_a_name() -> None:
    from veil.text.cleanup import tidy
    from veil.text.ner import map_entity

    text = "This album by ex-Vandal Morrow; the corner of Schillerbrücke 14."
    span = tidy(text, _ner(text, "Vandal Morrow", "NAME"))
    assert text[span.start : span.end] == "Morrow"
    start = text.index("Schillerbrücke")
    assert map_entity(text, start, start + len("Schillerbrücke 14"), "PERSON") is None


def test_what_one_is_in_at_a_clause_end_is_a_place() -> None:
    from veil.text.retyping import retype_by_context

    text = "Marking its 5th season in Davos, the choir met Anna in Acme Corp."
    spans = [_ner(text, "Davos", "ORGANIZATION"), _ner(text, "Acme Corp", "ORGANIZATION")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["LOCATION_CITY", "ORGANIZATION"]


def test_places_cut_at_a_connector_and_towns_above_countries() -> None:
    from veil.text.retyping import extend_places

    text = "home town Alcalá de Henares: and Villanueva de la Serena"
    spans = [_ner(text, "Alcalá", "LOCATION_CITY"), _ner(text, "Serena", "LOCATION_CITY")]
    extend_places(text, spans)
    assert [text[s.start : s.end] for s in spans] == ["Alcalá de Henares", "Villanueva de la Serena"]
    assert ("LUDLOW", "LOCATION_CITY") in found("place_cues", "Tomasz Wrona\n\nLUDLOW\nUnited Kingdom")
    assert found("place_cues", "Anna Schmidt\nGermany") == []


def test_plural_nationalities() -> None:
    assert found("vocabulary", "We are proud malaysians") == [("malaysians", "ORIGIN")]
    assert ("Uruguayans", "ORIGIN") in found("vocabulary", "The Uruguayans won.")


def test_everyday_capitalisation_hints_are_dropped_when_a_model_runs() -> None:
    from veil.text.cleanup import everyday_hint

    text = "7 Bands You Pretend To Ignore (But Really Love); ask Will Smith or Daniel"
    assert everyday_hint(text, _ner(text, "Really Love", "NAME", "hint"))
    assert not everyday_hint(text, _ner(text, "Will Smith", "NAME", "hint"))
    assert not everyday_hint(text, _ner(text, "Daniel", "NAME", "hint"))
    assert not everyday_hint(text, _ner(text, "Really Love", "NAME", "ner"))
