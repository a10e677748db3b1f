"""The recognizer registry: specs, validators, YAML loading, context words, custom recognizers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from veil.errors import InvalidInputError
from veil.text import DeidentifyOptions, TextDeidentifier, deidentify
from veil.text.context import ContextWords, enhance
from veil.text.registry import (
    VALIDATORS,
    PatternSpec,
    RecognizerRegistry,
    RecognizerSpec,
    build_recognizer,
    builtin_specs,
    default_registry,
    load_recognizers_yaml,
)

EMPLOYEE = {
    "name": "employee",
    "entity_type": "EMPLOYEE_ID",
    "patterns": [{"regex": "EMP-\\d{6}", "score": 0.9}],
    "context": ["employee"],
}


def spans(spec: RecognizerSpec, text: str) -> list[tuple[str, str, float, str]]:
    return [(text[s.start : s.end], s.label, s.score, s.source) for s in build_recognizer(spec).find(text)]


def test_employee_example_through_the_library() -> None:
    [res] = deidentify("employee EMP-123456 left", DeidentifyOptions(custom_recognizers=[EMPLOYEE]))
    assert res.result == "employee [EMPLOYEE_ID_1] left"
    assert res.output_checks_passed


def test_custom_recognizer_in_every_mode(engine: TextDeidentifier) -> None:
    spec = RecognizerSpec.from_dict({**EMPLOYEE, "languages": ["en", "fr", "de"]})
    for mode in engine.modes:
        options = DeidentifyOptions(accuracy_mode=mode, custom_recognizers=[spec])
        [res] = engine.deidentify("the badge EMP-654321 was returned", options)
        assert "[EMPLOYEE_ID_1]" in res.result, mode
    options = DeidentifyOptions(accuracy_mode="high_multilingual", custom_recognizers=[spec])
    [res] = engine.deidentify("Le badge EMP-654321 a été rendu hier soir par la personne.", options)
    assert "[EMPLOYEE_ID_1]" in res.result


def test_custom_recognizer_language_is_respected(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(accuracy_mode="high_multilingual", custom_recognizers=[EMPLOYEE])
    [res] = engine.deidentify("Le badge EMP-654321 a été rendu hier soir par la personne.", options)
    assert "EMP-654321" in res.result  # the spec reads English only


def test_enabled_classes_accepts_custom_types(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(enabled_classes=["EMPLOYEE_ID"], custom_recognizers=[EMPLOYEE])
    [res] = engine.deidentify("employee EMP-123456 called from 415-555-2671", options)
    assert res.result == "employee [EMPLOYEE_ID_1] called from 415-555-2671"
    with pytest.raises(InvalidInputError) as err:
        DeidentifyOptions(enabled_classes=["EMPLOYEE_ID"]).validate()
    assert err.value.field == "enabled_classes[0]"


def test_custom_markers_are_numbered_per_value(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(custom_recognizers=[EMPLOYEE])
    [res] = engine.deidentify("EMP-111111, EMP-222222 and EMP-111111 again", options)
    assert res.result == "[EMPLOYEE_ID_1], [EMPLOYEE_ID_2] and [EMPLOYEE_ID_1] again"


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({**EMPLOYEE, "patterns": [{"regex": "(", "score": 0.5}]}, "custom_recognizers[0].patterns[0].regex"),
        ({**EMPLOYEE, "patterns": [{"regex": "", "score": 0.5}]}, "custom_recognizers[0].patterns[0].regex"),
        ({**EMPLOYEE, "patterns": [{"regex": "x" * 2001, "score": 0.5}]}, "custom_recognizers[0].patterns[0].regex"),
        ({**EMPLOYEE, "patterns": [{"regex": "a", "score": 1.5}]}, "custom_recognizers[0].patterns[0].score"),
        ({**EMPLOYEE, "patterns": [{"regex": "a", "score": True}]}, "custom_recognizers[0].patterns[0].score"),
        ({**EMPLOYEE, "patterns": []}, "custom_recognizers[0].patterns"),
        ({**EMPLOYEE, "patterns": [{"score": 0.5}]}, "custom_recognizers[0].patterns[0].regex"),
        ({**EMPLOYEE, "entity_type": "employee id"}, "custom_recognizers[0].entity_type"),
        ({**EMPLOYEE, "name": ""}, "custom_recognizers[0].name"),
        ({**EMPLOYEE, "validator": "md5"}, "custom_recognizers[0].validator"),
        ({**EMPLOYEE, "languages": ["xx"]}, "custom_recognizers[0].languages[0]"),
        ({**EMPLOYEE, "context": [""]}, "custom_recognizers[0].context[0]"),
        ({**EMPLOYEE, "context": "employee"}, "custom_recognizers[0].context"),
        ({**EMPLOYEE, "colour": "red"}, "custom_recognizers[0].colour"),
        ({"name": "x", "patterns": [{"regex": "a", "score": 0.5}]}, "custom_recognizers[0].entity_type"),
        ("not an object", "custom_recognizers[0]"),
    ],
)
def test_bad_specs_name_the_field(spec: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        deidentify("employee EMP-123456 left", DeidentifyOptions(custom_recognizers=[spec]))  # type: ignore[list-item]
    assert err.value.field == field


def test_duplicate_names_and_too_many() -> None:
    with pytest.raises(InvalidInputError) as err:
        DeidentifyOptions(custom_recognizers=[EMPLOYEE, EMPLOYEE]).validate()
    assert err.value.field == "custom_recognizers[1].name"
    many = [{**EMPLOYEE, "name": f"r{i}"} for i in range(51)]
    with pytest.raises(InvalidInputError) as err:
        DeidentifyOptions(custom_recognizers=many).validate()
    assert err.value.field == "custom_recognizers"


@pytest.mark.parametrize("pattern", [r"(\w+\s?)+$", r"(x+x+)+y", r"(a|aa)+b"])
def test_catastrophic_pattern_fails_fast_naming_the_regex(pattern: str) -> None:
    """Same budget as the block list: the request stops (a 400 naming the regex) or finishes fast."""
    spec = {**EMPLOYEE, "patterns": [{"regex": pattern, "score": 0.5}]}
    started = time.perf_counter()
    try:
        deidentify("a" * 5000 + "!" + "x" * 5000, DeidentifyOptions(accuracy_mode="standard", custom_recognizers=[spec]))
    except InvalidInputError as exc:
        assert exc.field == "custom_recognizers[0].patterns[0].regex"
    assert time.perf_counter() - started < 5


def test_validator_drops_bad_checksums_and_ranks_valid_ones() -> None:
    spec = RecognizerSpec("card", "CARD_NO", (PatternSpec(r"\b(?:\d[ -]?){15}\d\b", 0.5),), validator="luhn")
    assert spans(spec, "pay 4111 1111 1111 1111 now") == [("4111 1111 1111 1111", "CARD_NO", 0.5, "validated")]
    assert spans(spec, "pay 4111 1111 1111 1112 now") == []


def test_context_word_boosts_and_min_score_requires_it() -> None:
    spec = RecognizerSpec(
        "locker", "LOCKER", (PatternSpec(r"\b\d{4}\b", 0.3),), context=("locker",), min_score=0.6
    )
    assert spans(spec, "my Locker: 4821") == [("4821", "LOCKER", 0.65, "context")]
    assert spans(spec, "4821 is my lockers' code") == [("4821", "LOCKER", 0.65, "context")]
    assert spans(spec, "room 4821 on floor two") == []
    # the context word is read on the value's line (or the label line just above it)
    assert spans(spec, "locker\n4821") == [("4821", "LOCKER", 0.65, "context")]
    assert spans(spec, "locker\nroom\n4821") == []


def test_context_words_match_whole_words_and_phrases() -> None:
    ctx = ContextWords(["card", "security code"])
    assert ctx.near("the security  code 123", 19, 22)
    assert ctx.near("CARDS: 123", 7, 10)
    assert not ctx.near("discarded 123", 10, 13)
    assert enhance(0.9, True) == 1.0 and enhance(0.1, True) == 0.45 and enhance(0.2, False) == 0.2


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("luhn", "4111-1111-1111-1111", "4111-1111-1111-1112"),
        ("iban", "GB82 WEST 1234 5698 7654 32", "GB83 WEST 1234 5698 7654 32"),
        ("ssn", "078-05-1121", "000-12-3456"),
        ("phone", "(415) 555-2671", "123"),
        ("us_rtn", "011000015", "011000016"),
        ("in_pan", "AAPPV8261K", "AAPPV82610"),
        ("vin", "1M8GDM9AXKP042788", "1M8GDM9AXKP042789"),
        ("ipv6", "2001:db8::1", "2001:db8::g"),
        ("email", "a.b@example.org", "a@b"),
    ],
)
def test_validators(name: str, good: str, bad: str) -> None:
    assert VALIDATORS[name](good)
    assert not VALIDATORS[name](bad)


def test_yaml_text_and_file(tmp_path: Path) -> None:
    text = """
recognizers:
  - name: badge
    entity_type: BADGE
    patterns:
      - regex: 'BDG\\d{4}'
        score: 0.8
    context: [badge]
    languages: [en, de]
"""
    [spec] = load_recognizers_yaml(text)
    assert spec == RecognizerSpec("badge", "BADGE", (PatternSpec(r"BDG\d{4}", 0.8),), ("badge",), ("en", "de"))
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    assert load_recognizers_yaml(path) == [spec]
    assert load_recognizers_yaml(str(path)) == [spec]
    assert RecognizerSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    ("text", "field", "mentions"),
    [
        ("- name: a\n  entity_type: A\n  patterns: [{regex: '(', score: 0.5}]", "recognizers[0].patterns[0].regex", "'a'"),
        ("- name: a\n  entity_type: A\n  patterns: [{regex: 'x', score: 0.5}]\n"
         "- name: b\n  entity_type: B\n  validator: nope\n  patterns: [{regex: 'x', score: 0.5}]",
         "recognizers[1].validator", "'b'"),
        ("- name: a\n  entity_type: A\n  patterns: [{regex: 'x'}]\n- name: a\n  entity_type: A\n"
         "  patterns: [{regex: 'y'}]", "recognizers[1].name", "named 'a'"),
        ("key: [unclosed", "recognizers", "parse"),
        ("just a string", "recognizers", "list"),
    ],
)
def test_yaml_errors_name_the_entry(text: str, field: str, mentions: str) -> None:
    with pytest.raises(InvalidInputError) as err:
        load_recognizers_yaml(text)
    assert err.value.field == field
    assert mentions in err.value.message


def test_missing_yaml_file() -> None:
    with pytest.raises(InvalidInputError) as err:
        load_recognizers_yaml(Path("/nonexistent/recognizers.yaml"))
    assert err.value.field == "path"


def test_registry_per_language() -> None:
    registry = default_registry()
    names = {r.name for r in registry}
    assert {s.name for s in builtin_specs()} <= names
    assert {"email", "ipv4", "phone", "credit_card", "ssn"} <= names
    french = {r.name for r in registry.for_language("fr")}
    assert {"email", "ipv4", "iban", "credit_card", "url"} <= french
    assert "phone" not in french and "ssn" not in french
    email = registry.get("email")
    assert email is not None and email.validator == "email" and email.patterns and email.languages
    own = RecognizerRegistry.from_specs([EMPLOYEE])
    assert own.entity_types() == {"EMPLOYEE_ID"} and len(own) == 1 and "employee" in own
    with pytest.raises(ValueError, match="already registered"):
        own.add(build_recognizer(RecognizerSpec.from_dict(EMPLOYEE)))


def test_custom_types_in_a_linked_batch_with_fakes(engine: TextDeidentifier) -> None:
    options = DeidentifyOptions(
        accuracy_mode="standard", custom_recognizers=[EMPLOYEE], link_batch=True, fake_entity_accuracy_mode="standard"
    )
    first, second = engine.deidentify(["employee EMP-123456 left", "EMP-123456 came back"], options)
    assert first.result == "employee [EMPLOYEE_ID_1] left" and second.result == "[EMPLOYEE_ID_1] came back"
    assert first.result_fake is not None and "EMP-123456" not in first.result_fake
    assert first.pii[0].fake_text == second.pii[0].fake_text  # the same value, the same fake
