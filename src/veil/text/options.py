"""Request options of a de-identification call and their validation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from veil.errors import InvalidInputError
from veil.text.entities import validate_classes
from veil.text.registry import RecognizerRegistry, RecognizerSpec

MAX_CUSTOM_RECOGNIZERS = 50

ENGLISH_MODES = ("standard", "standard_high", "high")
MULTILINGUAL_MODES = ("standard_high_multilingual", "high_multilingual")
FAKE_MODES = ("standard",)


@dataclass
class DeidentifyOptions:
    """The seed's request fields (everything but ``text`` and ``key``)."""

    accuracy_mode: str = "high"
    link_batch: bool = False
    enabled_classes: list[str] | None = None
    unique_pii_markers: bool = True
    marker_format: str | None = "[CLASS_NAME]"
    allow_list: list[str] = field(default_factory=list)
    block_list: dict[str, str] | None = None
    fake_entity_accuracy_mode: str | None = None
    preserve_relationships: bool = True
    # User-defined recognizers (RecognizerSpec, or their dict form), used by every accuracy mode
    # on top of the built-in ones; their entity types may be named in enabled_classes.
    custom_recognizers: list[RecognizerSpec] = field(default_factory=list)
    # Recognizers the operator configured for every call (the service's
    # VEIL_TEXT_RECOGNIZERS_FILE): used like custom_recognizers, outside their per-request
    # count; registered as "server:<name>", so they never clash with a caller's names.
    server_recognizers: list[RecognizerSpec] = field(default_factory=list)

    def validate(self, known_modes: tuple[str, ...] | None = None) -> None:
        """Raise ``InvalidInputError`` naming the first bad field; ``known_modes`` defaults to
        the accuracy modes the process-wide engine has (English plus any registered ones)."""
        if known_modes is None:
            from veil.text.engine import default_engine

            known_modes = default_engine().modes
        if self.accuracy_mode not in known_modes:
            if self.accuracy_mode in MULTILINGUAL_MODES:
                raise InvalidInputError(
                    f"accuracy_mode '{self.accuracy_mode}' (multilingual) is not available yet; "
                    f"use one of {', '.join(known_modes)}",
                    field="accuracy_mode",
                )
            raise InvalidInputError(
                f"unknown accuracy_mode; use one of {', '.join(known_modes)}", field="accuracy_mode"
            )
        fmt = self.marker_format if self.marker_format is not None else "[CLASS_NAME]"
        if "CLASS_NAME" not in fmt:
            raise InvalidInputError("marker_format must contain 'CLASS_NAME'", field="marker_format")
        if len(fmt) > 200:
            raise InvalidInputError("marker_format is longer than 200 characters", field="marker_format")
        custom = self.custom_registry()
        if self.enabled_classes is not None:
            validate_classes(self.enabled_classes, extra=custom.entity_types() if custom else frozenset())
        if self.fake_entity_accuracy_mode is not None and self.fake_entity_accuracy_mode not in FAKE_MODES:
            raise InvalidInputError(
                "fake_entity_accuracy_mode supports only 'standard'", field="fake_entity_accuracy_mode"
            )
        for i, item in enumerate(self.allow_list):
            if not isinstance(item, str):
                raise InvalidInputError("allow_list items must be strings", field=f"allow_list[{i}]")

    def custom_registry(self) -> RecognizerRegistry | None:
        """The request's user-defined recognizers, built (patterns compiled, each with a fresh
        matching-time budget); None when there are none. ``InvalidInputError`` names the field
        (``custom_recognizers[0].patterns[1].regex``)."""
        specs = self.custom_recognizers
        if not specs and not self.server_recognizers:
            return None
        if not isinstance(specs, list | tuple):
            raise InvalidInputError("custom_recognizers is a list of recognizers", field="custom_recognizers")
        if len(specs) > MAX_CUSTOM_RECOGNIZERS:
            raise InvalidInputError(
                f"at most {MAX_CUSTOM_RECOGNIZERS} custom recognizers per request", field="custom_recognizers"
            )
        registry = RecognizerRegistry.from_specs(specs, field="custom_recognizers")
        server = RecognizerRegistry.from_specs(self.server_recognizers, field="server_recognizers")
        for recognizer in server:
            registry.add(replace(recognizer, name=f"server:{recognizer.name}"))
        return registry

    @property
    def resolved_marker_format(self) -> str:
        return self.marker_format if self.marker_format is not None else "[CLASS_NAME]"

    @property
    def enabled(self) -> frozenset[str] | None:
        return None if self.enabled_classes is None else frozenset(self.enabled_classes)
