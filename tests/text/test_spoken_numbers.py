"""Numbers read out in call transcripts, typed by the nearest cue and by validators."""

from __future__ import annotations

import pytest

from veil.text import TextDeidentifier
from veil.text.recognizers.spoken import find_spoken_numbers


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in find_spoken_numbers.find(text)]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        # 5274 9031 6620 1189 (Luhn-valid), read digit by digit in groups
        (
            "sure, the card is five two seven four, nine oh three one, six six two oh, one one eight nine",
            "five two seven four, nine oh three one, six six two oh, one one eight nine",
            "CREDIT_CARD",
        ),
        ("and the cvv is eight four two", "eight four two", "CVV"),
        ("it expires oh nine twenty seven", "oh nine twenty seven", "CREDIT_CARD_EXPIRATION"),
        ("my social is five one eight, two two, seven nine oh one", "five one eight, two two, seven nine oh one", "SSN"),
        ("you can call me on six one seven, four four two, double eight one three", "six one seven, four four two, double eight one three", "PHONE_NUMBER"),
        ("date of birth is oh four nineteen nineteen seventy two", "oh four nineteen nineteen seventy two", "DOB"),
        ("the pin would be three nine three one", "three nine three one", "PASSWORD"),
        ("zip code is six oh six one four", "six oh six one four", "LOCATION_ZIP"),
        ("mixed: card number 5 2 7 4 nine oh three one 6620 one one eight nine", "5 2 7 4 nine oh three one 6620 one one eight nine", "CREDIT_CARD"),
    ],
)
def test_read_out_values(text: str, value: str, label: str) -> None:
    assert (value, label) in found(text)


def test_failing_card_read_out_is_not_credit_card() -> None:
    text = "card number five two seven four nine oh three one six six two oh one one eight eight"
    labels = [label for _, label in found(text)]
    assert labels == ["NUMERICAL_PII"]


def test_nearest_cue_decides() -> None:
    # "cvv" is further back than "expires": the four digits are the expiry, not a CVV
    text = "cvv is one two three and it expires oh four twenty six"
    assert ("oh four twenty six", "CREDIT_CARD_EXPIRATION") in found(text)
    assert ("one two three", "CVV") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have one or two questions, maybe three.",
        "we bought twenty five apples and thirty two pears",
        "oh, that was one of the best",
        "the year two thousand and five was a good one",
    ],
)
def test_ordinary_numbers_in_prose_are_left(text: str) -> None:
    assert found(text) == []


def test_engine_masks_a_transcript(engine: TextDeidentifier) -> None:
    text = (
        "agent: can I have the card number? caller: five two seven four, nine oh three one, six six two oh, "
        "one one eight nine. agent: security code? caller: the cvv is eight four two. agent: expiry? "
        "caller: expires oh nine twenty seven"
    )
    result = engine.deidentify(text)[0].result
    for leaked in ("five two seven four", "eight four two", "oh nine twenty seven"):
        assert leaked not in result
    assert "[CREDIT_CARD_1]" in result and "[CVV_1]" in result and "[CREDIT_CARD_EXPIRATION_1]" in result


def test_answer_takes_the_cue_of_the_previous_turn() -> None:
    text = "Agent: What's the three digit code on the back?\nCaller: uh, nine one five.\nAgent: And when does it expire?\nCaller: oh three twenty eight"
    assert ("nine one five", "CVV") in found(text)
    assert ("oh three twenty eight", "CREDIT_CARD_EXPIRATION") in found(text)


def test_partial_numbers_spoken_and_written() -> None:
    from veil.text.recognizers.lookalikes import find_partial_numbers

    spoken = "Rep: the last four of your social?\nCaller: six oh one nine."
    assert ("six oh one nine", "NUMERICAL_PII") in found(spoken)
    written = "the Visa ending in 5521 and the last 4 digits: 0907, for the week ending 2024"
    values = [written[s.start : s.end] for s in find_partial_numbers.find(written)]
    assert values == ["5521", "0907"]
