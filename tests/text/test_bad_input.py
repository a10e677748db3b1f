"""Bad input raises InvalidInputError naming the field; large and empty input works."""

from __future__ import annotations

import time

import pytest

from veil.errors import InvalidInputError
from veil.text import DeidentifyOptions, TextDeidentifier


def test_empty_text(engine: TextDeidentifier) -> None:
    [res] = engine.deidentify("")
    assert res.result == "" and res.pii == [] and res.output_checks_passed


def test_empty_list(engine: TextDeidentifier) -> None:
    assert engine.deidentify([]) == []


def test_long_text_works(engine: TextDeidentifier) -> None:
    sentence = "Hi John, please call 415-555-2671 about the invoice for the Springfield office. "
    text = (sentence * (500_000 // len(sentence) + 1))[:500_000]
    [res] = engine.deidentify(text, DeidentifyOptions(accuracy_mode="standard"))
    assert res.output_checks_passed
    assert len(res.pii) > 1000
    assert res.api_calls_used == -(-len(text.split()) // 100)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$", r"(x+x+)+y", r"(a|aa)+b"])
def test_catastrophic_block_list_pattern_fails_fast(engine: TextDeidentifier, pattern: str) -> None:
    text = "a" * 5000 + "!" + "x" * 5000
    started = time.perf_counter()
    try:
        engine.deidentify(text, DeidentifyOptions(accuracy_mode="standard", block_list={"EVIL": pattern}))
    except InvalidInputError as exc:
        assert exc.field == "block_list.EVIL"
    assert time.perf_counter() - started < 10


def test_invalid_regex(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify("x", DeidentifyOptions(block_list={"BAD": "(unclosed"}))
    assert err.value.field == "block_list.BAD"


def test_bad_block_list_label(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify("x", DeidentifyOptions(block_list={"not a label!": "x"}))
    assert err.value.field is not None and err.value.field.startswith("block_list.")


def test_marker_format_without_class_name(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify("Hi John", DeidentifyOptions(marker_format="<<X>>"))
    assert err.value.field == "marker_format"


def test_custom_marker_format(engine: TextDeidentifier) -> None:
    [res] = engine.deidentify("Hi John, my name is Grace.", DeidentifyOptions(marker_format="<<CLASS_NAME>>"))
    assert res.result == "Hi <<NAME_1>>, my name is <<NAME_2>>."
    assert res.output_checks_passed


def test_unknown_class(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify("Hi John", DeidentifyOptions(enabled_classes=["NAME", "SHOE_SIZE"]))
    assert err.value.field == "enabled_classes[1]"
    assert "SHOE_SIZE" in err.value.message


def test_multilingual_mode_is_a_clear_error_when_not_registered() -> None:
    from veil.text.options import DeidentifyOptions as Options

    with pytest.raises(InvalidInputError) as err:
        Options(accuracy_mode="high_multilingual").validate(("standard", "standard_high", "high"))
    assert err.value.field == "accuracy_mode"
    assert "multilingual" in err.value.message


def test_unknown_accuracy_mode(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError):
        engine.deidentify("x", DeidentifyOptions(accuracy_mode="turbo"))


def test_non_string_text(engine: TextDeidentifier) -> None:
    with pytest.raises(InvalidInputError) as err:
        engine.deidentify(["ok", 3], DeidentifyOptions())  # type: ignore[list-item]
    assert err.value.field == "text[1]"


def test_block_list_inside_a_word_fails_the_boundary_check(engine: TextDeidentifier) -> None:
    [res] = engine.deidentify("Rudolphine", DeidentifyOptions(block_list={"X": "Rudolph"}, enabled_classes=["AGE"]))
    assert res.result == "[X_1]ine"
    assert res.output_checks_passed is False
