from __future__ import annotations

import pytest

from tests.multilingual.examples import EXAMPLES, SEED_GERMAN
from veil.text.multilingual import LANGUAGES, detect_language


@pytest.mark.parametrize("lang", sorted(EXAMPLES))
def test_examples_are_identified(lang: str) -> None:
    assert detect_language(EXAMPLES[lang][0]) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (SEED_GERMAN, "de"),
        ("The meeting with the board has been moved to next Thursday afternoon.", "en"),
        ("Je voudrais réserver une table pour deux personnes ce soir.", "fr"),
        ("¿Dónde está la estación de tren más cercana?", "es"),
        ("Vorrei prenotare un tavolo per due persone stasera.", "it"),
        ("Onde fica a estação de comboios mais próxima?", "pt"),
        ("내일 오후에 회의가 있습니다.", "ko"),
        ("Samsung Galaxy 신제품이 출시되었다", "ko"),  # Korean with Latin brand names
    ],
)
def test_short_sentences(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_no_letters_defaults_to_english() -> None:
    assert detect_language("") == "en"
    assert detect_language("+49 30 1234567") == "en"


def test_result_is_always_a_supported_language() -> None:
    for text in ("Dziękuję bardzo", "Tack så mycket", "Спасибо", "ありがとう", "x"):
        assert detect_language(text) in LANGUAGES
