"""The examples of seed 002 (request options -> expected response), shared by the library and API tests.

Scores are not compared (the seed's are model-specific); everything else is.
"""

from __future__ import annotations

from typing import Any

SEED_EXAMPLES: list[tuple[str, dict[str, Any], Any]] = [
    (
        "unique markers",
        {"text": "Hi John, my name is Grace. John, could you pass me the salt please?"},
        {
            "result": "Hi [NAME_1], my name is [NAME_2]. [NAME_1], could you pass me the salt please?",
            "result_fake": None,
            "pii": [
                {"marker": "NAME_1", "text": "John", "best_label": "NAME", "stt_idx": 3, "end_idx": 7, "labels": ["NAME"]},
                {"marker": "NAME_2", "text": "Grace", "best_label": "NAME", "stt_idx": 20, "end_idx": 25, "labels": ["NAME"]},
                {"marker": "NAME_1", "text": "John", "best_label": "NAME", "stt_idx": 27, "end_idx": 31, "labels": ["NAME"]},
            ],
            "api_calls_used": 1,
            "output_checks_passed": True,
        },
    ),
    (
        "non-unique markers",
        {"text": "My name is John and my friend is Grace", "unique_pii_markers": False},
        {
            "result": "My name is [NAME] and my friend is [NAME]",
            "pii": [
                {"marker": "NAME", "text": "John", "best_label": "NAME", "stt_idx": 11, "end_idx": 15, "labels": ["NAME"]},
                {"marker": "NAME", "text": "Grace", "best_label": "NAME", "stt_idx": 33, "end_idx": 38, "labels": ["NAME"]},
            ],
            "api_calls_used": 1,
            "output_checks_passed": True,
        },
    ),
    (
        "enabled classes",
        {"text": "My name is John and my friend is Grace and we live in Barcelona", "enabled_classes": ["AGE", "LOCATION"]},
        {
            "result": "My name is John and my friend is Grace and we live in [LOCATION_1]",
            "pii": [
                {"marker": "LOCATION_1", "text": "Barcelona", "best_label": "LOCATION", "stt_idx": 54, "end_idx": 63, "labels": ["LOCATION"]},
            ],
            "api_calls_used": 1,
            "output_checks_passed": True,
        },
    ),
    (
        "batch",
        {"text": ["My password is: 4XDX63F8O1", "My password is: 33LMVLLDHNasdfsda"]},
        [
            {
                "result": "My password is: [PASSWORD_1]",
                "result_fake": None,
                "pii": [{"marker": "PASSWORD_1", "text": "4XDX63F8O1", "best_label": "PASSWORD", "stt_idx": 16, "end_idx": 26, "labels": ["PASSWORD"]}],
                "api_calls_used": 1,
                "output_checks_passed": True,
            },
            {
                "result": "My password is: [PASSWORD_1]",
                "result_fake": None,
                "pii": [{"marker": "PASSWORD_1", "text": "33LMVLLDHNasdfsda", "best_label": "PASSWORD", "stt_idx": 16, "end_idx": 33, "labels": ["PASSWORD"]}],
                "api_calls_used": 1,
                "output_checks_passed": True,
            },
        ],
    ),
    (
        "link batch",
        {
            "text": [
                "Hi, my name is Penelope, could you tell me your phone number please?",
                "Sure, x234",
                "and your DOB please?",
                "fourth of Feb nineteen 86",
            ],
            "link_batch": True,
        },
        [
            {
                "result": "Hi, my name is [NAME_1], could you tell me your phone number please?",
                "result_fake": None,
                "pii": [{"marker": "NAME_1", "text": "Penelope", "best_label": "NAME", "stt_idx": 15, "end_idx": 23, "labels": ["NAME"]}],
                "api_calls_used": 1,
                "output_checks_passed": True,
            },
            {
                "result": "Sure, [PHONE_NUMBER_1]",
                "result_fake": None,
                "pii": [{"marker": "PHONE_NUMBER_1", "text": "x234", "best_label": "PHONE_NUMBER", "stt_idx": 6, "end_idx": 10, "labels": ["PHONE_NUMBER"]}],
                "api_calls_used": 1,
                "output_checks_passed": True,
            },
            {"result": "and your DOB please?", "result_fake": None, "pii": [], "api_calls_used": 1, "output_checks_passed": True},
            {
                "result": "[DOB_1]",
                "result_fake": None,
                "pii": [{"marker": "DOB_1", "text": "fourth of Feb nineteen 86", "best_label": "DOB", "stt_idx": 0, "end_idx": 25, "labels": ["DOB"]}],
                "api_calls_used": 1,
                "output_checks_passed": True,
            },
        ],
    ),
    (
        "allow list",
        {"text": "Hello Xavier, Rudolph here. Did you see Jane?", "allow_list": ["Xavier", "Rudolph"]},
        {
            "result": "Hello Xavier, Rudolph here. Did you see [NAME_1]?",
            "result_fake": None,
            "pii": [{"marker": "NAME_1", "text": "Jane", "best_label": "NAME", "stt_idx": 40, "end_idx": 44, "labels": ["NAME"]}],
            "api_calls_used": 1,
            "output_checks_passed": True,
        },
    ),
    (
        "block list",
        {"text": "Hello Xavier, Rudolph here. Did you see Jane?", "block_list": {"CUSTOMER_NAME": "Rudolph"}},
        {
            "result": "Hello [NAME_1], [CUSTOMER_NAME_1] here. Did you see [NAME_2]?",
            "result_fake": None,
            "pii": [
                {"marker": "NAME_1", "text": "Xavier", "best_label": "NAME", "stt_idx": 6, "end_idx": 12, "labels": ["NAME"]},
                {"marker": "CUSTOMER_NAME_1", "text": "Rudolph", "best_label": "CUSTOMER_NAME", "stt_idx": 14, "end_idx": 21, "labels": ["CUSTOMER_NAME"]},
                {"marker": "NAME_2", "text": "Jane", "best_label": "NAME", "stt_idx": 40, "end_idx": 44, "labels": ["NAME"]},
            ],
            "api_calls_used": 1,
            "output_checks_passed": True,
        },
    ),
]

FAKE_EXAMPLE = {
    "text": "My name is John and my friend is Grace and we live in Barcelona",
    "fake_entity_accuracy_mode": "standard",
}
FAKE_EXPECTED_RESULT = "My name is [NAME_1] and my friend is [NAME_2] and we live in [LOCATION_1]"


def comparable(response: Any) -> Any:
    """A response with scores dropped (labels reduced to their sorted names)."""
    if isinstance(response, list):
        return [comparable(r) for r in response]
    out = dict(response)
    out["pii"] = [{**p, "labels": sorted(p["labels"])} for p in response["pii"]]
    return out


def expected_comparable(expected: Any) -> Any:
    if isinstance(expected, list):
        return [expected_comparable(e) for e in expected]
    out = {"result_fake": None, **expected}
    out["pii"] = [{**p, "labels": sorted(p["labels"])} for p in expected["pii"]]
    return out
