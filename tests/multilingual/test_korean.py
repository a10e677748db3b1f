from __future__ import annotations

import pytest

from veil.text.multilingual import detect_entities, strip_particles
from veil.text.multilingual.korean import find_entities, morphemes


@pytest.mark.parametrize(
    ("word", "noun"),
    [
        ("김철수는", "김철수"),
        ("서울에서", "서울"),
        ("이영희가", "이영희"),
        ("부산으로", "부산"),
        ("삼성전자의", "삼성전자"),
    ],
)
def test_strip_particles(word: str, noun: str) -> None:
    assert strip_particles(word) == noun


def test_entity_spans_leave_particles_outside() -> None:
    text = "김철수는 서울에서 삼성전자에 다닌다."
    found = {(text[s.start : s.end], s.label) for s in detect_entities(text)}
    assert ("김철수", "NAME") in found
    assert ("서울", "LOCATION_CITY") in found
    assert ("삼성전자", "ORGANIZATION") in found
    for s in find_entities(text):
        assert text[s.end : s.end + 1] in ("는", "에", " ", "")  # the particle is not inside


def test_title_after_a_name_makes_a_person() -> None:
    text = "박지민 교수는 연구 결과를 발표했다."
    assert ("박지민", "NAME") in {(text[s.start : s.end], s.label) for s in find_entities(text)}


def test_morpheme_offsets_point_into_the_text() -> None:
    text = "이순신 장군은 한산도에서 승리했다."
    for m in morphemes(text):
        assert 0 <= m.start < m.end <= len(text)


def test_long_text_is_cut_into_pieces_with_right_offsets() -> None:
    sentence = "김철수는 서울에서 삼성전자에 다닌다. "
    text = sentence * 300  # > 2,000 characters: several Kiwi pieces
    names = [s for s in find_entities(text) if s.label == "NAME"]
    assert len(names) == 300
    assert all(text[s.start : s.end] == "김철수" for s in names)
