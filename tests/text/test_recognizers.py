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
        ("street", "Hammarvägen 15, Stockholm", "Hammarvägen 15, Stockholm", "LOCATION_ADDRESS"),
        ("zip", "my zip code is 35350", "35350", "LOCATION_ZIP"),
        ("coordinate", "at 40.71280, -74.00600 now", "40.71280, -74.00600", "LOCATION_COORDINATE"),
        ("password", "My password is: 4XDX63F8O1", "4XDX63F8O1", "PASSWORD"),
        ("username", "username: jdoe_88", "jdoe_88", "USERNAME"),
        ("vocabulary", "she is a Buddhist and a nurse", "Buddhist", "RELIGION"),
        ("blood_type", "blood type AB+ confirmed", "AB+", "BLOOD_TYPE"),
        ("names", "this is Dr. Kyle Kuefer speaking", "Kyle Kuefer", "NAME"),
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
            "Maureen Thibault\n\n41086 Kiannonkatu 98\n Suite 464\n OULU\n\n Finland 80896",
            [
                ("41086", "LOCATION_ADDRESS_STREET"),
                ("Kiannonkatu 98", "LOCATION_ADDRESS_STREET"),
                ("Suite 464", "LOCATION_ADDRESS_STREET"),
                ("OULU", "LOCATION_CITY"),
                ("Finland", "LOCATION_COUNTRY"),
                ("80896", "LOCATION_ZIP"),
            ],
        ),
        # the same block inside a sentence is one address
        (
            "Please return to 6639 Canónigo Valiño 70\n Apt. 758\n Almussafes\n Spain 97197 in case of an issue.",
            [("6639 Canónigo Valiño 70\n Apt. 758\n Almussafes\n Spain 97197", "LOCATION_ADDRESS")],
        ),
        # a building number in front of a street with its own house number
        (
            "The restaurant is at 17151 2450 Crown St",
            [("17151", "LOCATION_ADDRESS_STREET"), ("2450 Crown St", "LOCATION_ADDRESS_STREET")],
        ),
        (
            "The bus stops at 9383 ul. Chrzanowska 61 St.",
            [("9383", "LOCATION_ADDRESS_STREET"), ("ul. Chrzanowska 61", "LOCATION_ADDRESS_STREET")],
        ),
        # name-then-number streets after an address cue
        ("Trivo lives on Grössgstötten 50 street.", [("Grössgstötten 50", "LOCATION_ADDRESS_STREET")]),
        (
            "He lives on the north side of Joaquin Suarez 2906.",
            [("Joaquin Suarez 2906", "LOCATION_ADDRESS_STREET")],
        ),
        (
            "it is the corner of Dalbraut 99 and Frederikke Coves",
            [("the corner of Dalbraut 99 and Frederikke Coves", "LOCATION_ADDRESS")],
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
        ("I'll meet you at 25615 Tawastintie 72 Apt. 004\nKNIVSTA, nan 18237 after the concert.", "25615 Tawastintie 72 Apt. 004\nKNIVSTA, nan 18237"),
        ("here's the address:\n\n19902 Dobrovského 1394 Apt. 066\nSt Georges, QC 54256", "19902 Dobrovského 1394 Apt. 066\nSt Georges, QC 54256"),
        ("It's in the corner of 35 Pentelis Str. and Waechter Turnpike", "the corner of 35 Pentelis Str. and Waechter Turnpike"),
        ("Address:\nthe corner of 3744 Retreat Avenue and Władysława Route.", "the corner of 3744 Retreat Avenue and Władysława Route"),
        ("Pedestrians must enter on 137 Avenue Teboulbi St. the first three months", "137 Avenue Teboulbi"),
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
    from veil.text.detectors import needs_model
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
    [("I met Faina D. Yefremova today.", "Faina D. Yefremova"), ("Ask Szabina J Gelencsér.", "Szabina J Gelencsér")],
)
def test_names_with_a_middle_initial(text: str, name: str) -> None:
    assert (name, "NAME") in found("gazetteer_names", text)


def test_no_name_from_an_initial_after_a_label_word() -> None:
    assert found("gazetteer_names", "Take Route A Road north, then Terminal B Gate.") == []


def test_surname_forms_retype_model_organisations() -> None:
    from veil.text.detectors import retype_people

    text = "The account holder is Bekbolat Musliyevich; Padova is lovely."
    spans = retype_people(text, [Span(22, 42, "ORGANIZATION", 0.8, "ner"), Span(44, 50, "LOCATION_CITY", 0.8, "ner")])
    assert [(text[s.start : s.end], s.label) for s in spans] == [("Bekbolat Musliyevich", "NAME"), ("Padova", "LOCATION_CITY")]


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
    assert found("date", "Mr. Rangel flew to Horten on Monday morning.") == [("Monday", "DATE")]


def test_english_word_with_a_street_ending_is_not_a_street() -> None:
    assert found("street", "During 1971, Mayo-Walters invested heavily.") == []
    assert ("Mühlenring 12", "LOCATION_ADDRESS_STREET") in found("street", "She lives at Mühlenring 12.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted block (e-mail "> " markers) is still one field per line
        (
            ">Ella Snider\n>228 Ringvej 144\n>Apt. 902\n>Qaqortoq\n>Denmark 96817",
            [
                ("228", "LOCATION_ADDRESS_STREET"),
                ("Ringvej 144", "LOCATION_ADDRESS_STREET"),
                ("Apt. 902", "LOCATION_ADDRESS_STREET"),
                ("Qaqortoq", "LOCATION_CITY"),
                ("Denmark", "LOCATION_COUNTRY"),
                ("96817", "LOCATION_ZIP"),
            ],
        ),
        # a unit on the street line is its own field, as on a line of its own
        (
            "Billing address: Sara Schwarz\n    28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    SK\n    53650",
            [
                ("28245", "LOCATION_ADDRESS_STREET"),
                ("Puruntie 82", "LOCATION_ADDRESS_STREET"),
                ("Apt. 595", "LOCATION_ADDRESS_STREET"),
                ("LAPPEENRANTA", "LOCATION_CITY"),
                ("SK", "LOCATION_STATE"),
                ("53650", "LOCATION_ZIP"),
            ],
        ),
        # building number, street, town and nothing else: three fields
        (
            "Kevin had given Alma his address: 5049 Harjukuja 54, SEINÄJOKI",
            [("5049", "LOCATION_ADDRESS_STREET"), ("Harjukuja 54", "LOCATION_ADDRESS_STREET"), ("SEINÄJOKI", "LOCATION_CITY")],
        ),
        (
            "She lives at 850 12 Baker Street, London.",
            [("850", "LOCATION_ADDRESS_STREET"), ("12 Baker Street", "LOCATION_ADDRESS_STREET"), ("London", "LOCATION_CITY")],
        ),
        ("She lives at 12 Baker Street, London.", [("12 Baker Street, London", "LOCATION_ADDRESS")]),
        # with a unit, a country or a postcode it stays one address
        (
            "Send it to 50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom",
            [("50668 Kiannonkatu 98 Apt. 105, ISHAM, United Kingdom", "LOCATION_ADDRESS")],
        ),
    ],
)
def test_address_blocks_field_by_field(text: str, expected: list[tuple[str, str]]) -> None:
    spans = sorted(BY_NAME["street"].find(text), key=lambda s: (s.start, s.end))
    assert sorted((text[s.start : s.end], s.label) for s in spans) == sorted(expected)


def test_a_phone_line_after_an_address_is_not_its_postcode() -> None:
    text = "Debra Neal\n\n1659 Hoog St\n Apt. 839\n Brakpan\n South Africa 70651\n082 490 1693-Office"
    values = [v for v, _ in found("street", text)]
    assert "70651" in values and not any("082" in v for v in values)


def test_model_place_without_the_postcode_after_it() -> None:
    from veil.text.ner import map_entity

    text = "Aalborg\nDenmark 29587"
    span = map_entity(text, 8, 21, "EVENT")
    assert span is not None and (text[span.start : span.end], span.label) == ("Denmark", "LOCATION_COUNTRY")


def test_headings_of_everyday_words_are_not_names() -> None:
    from veil.text.detectors import drop_headings

    assert found("names", "Directed By:    Johannes Varvio") == []
    assert found("names", "Mission Statement: we serve") == []
    assert found("names", "Heather: who are you?") == [("Heather", "NAME")]
    text = "Action & Adventure, Animation, Comedy, Kids & Family\nI work at Xignite Labs: Pay Club"
    spans = [Span(0, 18, "ORGANIZATION", 0.8, "ner"), Span(63, 75, "ORGANIZATION", 0.8, "ner"),
             Span(77, 85, "ORGANIZATION", 0.8, "ner")]
    assert [text[s.start : s.end] for s in spans] == ["Action & Adventure", "Xignite Labs", "Pay Club"]
    assert [text[s.start : s.end] for s in drop_headings(text, spans)] == ["Xignite Labs", "Pay Club"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Please return to Leon and Eyrarodda 66 in case of an issue.", "Leon and Eyrarodda 66"),
        ("The office is at Růžena and Király u. 15.", "Růžena and Király u. 15."),
        ("Fritz-Armstrong\nĐoko and ul. Miła 53", "Đoko and ul. Miła 53"),
        ("send the card to Katrina and Rúa do Paseo 46?", "Katrina and Rúa do Paseo 46"),
    ],
)
def test_crossing_without_corner_of(text: str, value: str) -> None:
    assert found("street", text) == [(value, "LOCATION_ADDRESS_STREET")]


def test_no_crossing_from_a_sentence_with_and() -> None:
    assert ("Villacher Strasse 89", "LOCATION_ADDRESS_STREET") in found(
        "street", "Anna met Tom and Villacher Strasse 89 was closed."
    )


def test_truecase_capitalises_names_in_lowercase_text_only() -> None:
    from veil.text.detectors import truecase

    text = "eva kleist lives at 255 hersnapvej 18, mail eva@kleist.dk"
    cased = truecase(text)
    assert len(cased) == len(text) and cased.lower() == text
    assert cased.startswith("Eva Kleist lives at") and "eva@kleist.dk" in cased
    assert truecase("Eva kleist lives here") == "Eva kleist lives here"
    assert truecase("so i met eva kleist") == "So I met Eva Kleist"


def test_lowercase_addresses() -> None:
    assert found("street", "name: hyuuma t. maida\naddress: unit 4526 box 0671\ndpo ap 40902\n781 1704 office") == [
        ("unit 4526 box 0671\ndpo ap 40902", "LOCATION_ADDRESS_STREET")
    ]
    assert found("street", "meet me at 2407 tawastintie 6, sé, portugal") == [
        ("2407 tawastintie 6, sé, portugal", "LOCATION_ADDRESS")
    ]


def _ner(text: str, value: str, label: str, source: str = "ner") -> Span:
    start = text.index(value)
    return Span(start, start + len(value), label, 0.8, source)


@pytest.mark.parametrize(
    ("text", "value", "label", "expected"),
    [
        ("I used to work for Futureadvisor as a clerk.", "Futureadvisor", "NAME", "ORGANIZATION"),
        ("Coden is a design agency based in Naantali.", "Coden", "NAME", "ORGANIZATION"),
        ("according to the Costquest website.", "Costquest", "NAME", "ORGANIZATION"),
        ("Tomomi Nishiyama lives at 12 Elm Road", "Tomomi Nishiyama", "ORGANIZATION", "NAME"),
        ("is moving in that direction, says Navrátilová.", "Navrátilová", "LOCATION_CITY", "NAME"),
        ("my grandmother was called Brosca Erdôs", "Brosca Erdôs", "ORGANIZATION", "NAME"),
        ("We flew to Paris, says the report.", "Paris", "LOCATION_CITY", "LOCATION_CITY"),
    ],
)
def test_context_retypes_model_entities(text: str, value: str, label: str, expected: str) -> None:
    from veil.text.detectors import retype_by_context

    span = _ner(text, value, label)
    retype_by_context(text, [span])
    assert span.label == expected


def test_person_of_an_organisation_and_lists_of_people() -> None:
    from veil.text.detectors import retype_by_context

    text = "Rościsław Dudek of Lexisnexis is the CEO. Marrero and Murphy were engineers."
    spans = [_ner(text, "Rościsław Dudek", "NAME"), _ner(text, "Lexisnexis", "NAME"),
             _ner(text, "Marrero", "ORGANIZATION"), _ner(text, "Murphy", "NAME")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["NAME", "ORGANIZATION", "NAME", "NAME"]


def test_letterhead_company_line() -> None:
    from veil.text.detectors import retype_by_context

    text = ">Marta Palermo\n>Cityscan\n>Marta Palermo\n>1072 Pohlstrasse 9\n>Suite 858"
    spans = [_ner(text, "Marta Palermo", "NAME"), _ner(text, "Cityscan", "NAME"),
             _ner(text, "1072 Pohlstrasse 9", "LOCATION_ADDRESS_STREET", "pattern")]
    retype_by_context(text, spans)
    assert spans[1].label == "ORGANIZATION"
    assert ("Barnett, Melton and Garcia", "ORGANIZATION") in found(
        "organizations", "Ann Lee\nBarnett, Melton and Garcia\n12 Elm Road"
    )


def test_coordinated_names_are_two_people() -> None:
    from veil.text.detectors import split_coordinated_names

    text = "They had 6: Donald and Kristen. Doe, Jane signed."
    spans = split_coordinated_names(text, [_ner(text, "Donald and Kristen", "NAME"), _ner(text, "Doe, Jane", "NAME")])
    assert [text[s.start : s.end] for s in spans] == ["Donald", "Kristen", "Doe, Jane"]


def test_places_by_cue_and_by_postcode() -> None:
    got = found("place_cues", "Looking to support Slashdb in ARENDAL 4844 in its mission.")
    assert ("ARENDAL", "LOCATION_CITY") in got and ("4844", "LOCATION_ZIP") in got
    assert found("place_cues", "It was in Room 1234, not in Windows 2000.") == []
    assert ("Villafranca del Cid", "LOCATION_CITY") in found("place_cues", "the band's home city Villafranca del Cid: ")


def test_model_entity_run_together_over_a_colon() -> None:
    from veil.text.ner import map_entity

    text = "home city Messina: Infocommerce Group"
    assert map_entity(text, 10, len(text), "ORG") is None


def test_everyday_word_alone_is_not_a_person_and_names_end_at_a_possessive() -> None:
    from veil.text.detectors import _tidy, drop_headings

    text = "Capitalized words like Wisdom are mistaken; Zak shouted at Yuri Bulgakov's Cautionary Tales."
    spans = drop_headings(text, [_ner(text, "Wisdom", "NAME"), _ner(text, "Zak", "NAME")])
    assert [text[s.start : s.end] for s in spans] == ["Zak"]
    span = _tidy(text, _ner(text, "Yuri Bulgakov's Cautionary Tales", "NAME", "context"))
    assert text[span.start : span.end] == "Yuri Bulgakov"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("An energetic and driven salesperson with 8+ years of experience.", "salesperson"),
        ("Awarded Salesperson of the Month three times.", "Salesperson"),
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
        ("my address is the corner of Csabai kapu 39. and Mathias Pass", "the corner of Csabai kapu 39. and Mathias Pass"),
        ("my new address is the corner of 159 Eleftheriou Venizelou str and Rennie Union",
         "the corner of 159 Eleftheriou Venizelou str and Rennie Union"),
        ("Tilly lives at 10252 Μεγάλη Άμμος 184, ΠΑΦΟΣ", "Μεγάλη Άμμος 184"),
    ],
)
def test_street_names_with_lowercase_words_and_greek(text: str, value: str) -> None:
    assert value in [v for v, _ in found("street", text)]


def test_employer_before_a_role() -> None:
    from veil.text.detectors import retype_by_context

    text = "Nikolaj spent a year at Datamarket as the assistant to Nikolaj Petrussen; I met her at Paris as a student."
    spans = [_ner(text, "Datamarket", "LOCATION_CITY"), _ner(text, "Paris", "LOCATION_CITY")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["ORGANIZATION", "LOCATION_CITY"]


def test_former_role_and_digits_are_not_part_of_a_name() -> None:
    from veil.text.detectors import _tidy
    from veil.text.ner import map_entity

    text = "This song by ex-Zombie Kastner; the corner of Heiligengeistbrücke 77."
    span = _tidy(text, _ner(text, "Zombie Kastner", "NAME"))
    assert text[span.start : span.end] == "Kastner"
    start = text.index("Heiligengeistbrücke")
    assert map_entity(text, start, start + len("Heiligengeistbrücke 77"), "PERSON") is None


def test_what_one_is_in_at_a_clause_end_is_a_place() -> None:
    from veil.text.detectors import retype_by_context

    text = "Celebrating its 10th year in Laax, the band met Anna in Acme Corp."
    spans = [_ner(text, "Laax", "ORGANIZATION"), _ner(text, "Acme Corp", "ORGANIZATION")]
    retype_by_context(text, spans)
    assert [s.label for s in spans] == ["LOCATION_CITY", "ORGANIZATION"]


def test_places_cut_at_a_connector_and_towns_above_countries() -> None:
    from veil.text.detectors import extend_places

    text = "home city Villafranca del Cid: and Chiclana de la Frontera"
    spans = [_ner(text, "Villafranca", "LOCATION_CITY"), _ner(text, "Frontera", "LOCATION_CITY")]
    extend_places(text, spans)
    assert [text[s.start : s.end] for s in spans] == ["Villafranca del Cid", "Chiclana de la Frontera"]
    assert ("ALFRICK", "LOCATION_CITY") in found("place_cues", "Przemek Kucharski\n\nALFRICK\nUnited Kingdom")
    assert found("place_cues", "Anna Schmidt\nGermany") == []


def test_plural_nationalities() -> None:
    assert found("vocabulary", "We are proud bruneians") == [("bruneians", "ORIGIN")]
    assert ("Paraguayans", "ORIGIN") in found("vocabulary", "The Paraguayans won.")


def test_everyday_capitalisation_hints_are_dropped_when_a_model_runs() -> None:
    from veil.text.detectors import _everyday_hint

    text = "5 Musicians You're Supposed To Hate (But Secretly Love); ask Will Smith or Daniel"
    assert _everyday_hint(text, _ner(text, "Secretly Love", "NAME", "hint"))
    assert not _everyday_hint(text, _ner(text, "Will Smith", "NAME", "hint"))
    assert not _everyday_hint(text, _ner(text, "Daniel", "NAME", "hint"))
    assert not _everyday_hint(text, _ner(text, "Secretly Love", "NAME", "ner"))
