"""POST /deidentify_text with the multilingual accuracy modes (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.multilingual.examples import EXAMPLES, SEED_GERMAN

KEY = "<customer key>"
MODES = ("high_multilingual", "standard_high_multilingual")

SEED_GERMAN_EXPECTED = {
    "result": "Hallo [NAME_1], ich bin [NAME_2]",
    "result_fake": None,
    "pii": [
        {"marker": "NAME_1", "text": "Günther", "best_label": "NAME", "stt_idx": 6, "end_idx": 13, "labels": ["NAME"]},
        {"marker": "NAME_2", "text": "Pieter", "best_label": "NAME", "stt_idx": 23, "end_idx": 29, "labels": ["NAME"]},
    ],
    "api_calls_used": 1,
    "output_checks_passed": True,
}


def deid(client: Any, body: dict[str, Any]) -> Any:
    r = client.post("/deidentify_text", json={"key": KEY, **body})
    assert r.status_code == 200, r.text
    return r.json()


def _comparable(response: dict[str, Any]) -> dict[str, Any]:
    return {**response, "pii": [{**p, "labels": sorted(p["labels"])} for p in response["pii"]]}


@pytest.mark.parametrize("mode", MODES)
def test_seed_german_example(client: Any, mode: str) -> None:
    out = deid(client, {"text": SEED_GERMAN, "accuracy_mode": mode})
    assert _comparable(out) == SEED_GERMAN_EXPECTED


def test_one_example_per_language(client: Any) -> None:
    langs = sorted(EXAMPLES)
    out = deid(client, {"text": [EXAMPLES[lang][0] for lang in langs], "accuracy_mode": "high_multilingual"})
    assert isinstance(out, list) and len(out) == len(langs)
    for lang, res in zip(langs, out, strict=True):
        text, expected = EXAMPLES[lang]
        found = {(p["text"], p["best_label"]) for p in res["pii"]}
        assert expected <= found, (lang, expected - found)
        # Korean particles attach to the word ("[NAME_1]입니다"); check (2) counts a Hangul
        # syllable right after a marker as a boundary, so every language passes both checks.
        assert res["output_checks_passed"] is True
        rebuilt = res["result"]
        for p in res["pii"]:
            rebuilt = rebuilt.replace(f"[{p['marker']}]", p["text"], 1)
        assert rebuilt == text
        for p in res["pii"]:
            assert text[p["stt_idx"] : p["end_idx"]] == p["text"]
            assert f"[{p['marker']}]" in res["result"]


def test_fakes_are_in_the_texts_locale(client: Any) -> None:
    text, _ = EXAMPLES["ko"]
    out = deid(client, {"text": text, "accuracy_mode": "high_multilingual", "fake_entity_accuracy_mode": "standard"})
    names = [p for p in out["pii"] if p["best_label"] == "NAME"]
    assert names
    for p in names:
        fake = p["fake_text"][0]
        assert any("\uac00" <= ch <= "\ud7a3" for ch in fake), fake  # a Korean fake name
        assert out["result_fake"][p["fake_stt_idx"] : p["fake_end_idx"]] == fake


def test_link_batch_and_enabled_classes(client: Any) -> None:
    out = deid(
        client,
        {
            "text": ["Hallo, ich bin Günther.", "Günther hier, meine Nummer ist 030 1234567."],
            "accuracy_mode": "high_multilingual",
            "link_batch": True,
            "enabled_classes": ["PHONE_NUMBER"],
        },
    )
    assert [[p["best_label"] for p in r["pii"]] for r in out] == [[], ["PHONE_NUMBER"]]


def test_link_batch_fakes_follow_each_message_language(client: Any) -> None:
    out = deid(
        client,
        {
            "text": ["Hallo, ich bin Günther Schmidt aus Berlin.", "김철수 씨는 서울에 삽니다."],
            "accuracy_mode": "high_multilingual",
            "link_batch": True,
            "fake_entity_accuracy_mode": "standard",
        },
    )
    german, korean = out
    assert german["pii"] and korean["pii"]
    hangul = [p for p in korean["pii"] if p["best_label"] == "NAME"]
    assert hangul, korean["pii"]
    # the Korean message's fake names are Korean, the German message's are not
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in p["fake_text"][0]) for p in hangul)
    assert not any("\uac00" <= ch <= "\ud7a3" for p in german["pii"] for ch in p["fake_text"][0])
