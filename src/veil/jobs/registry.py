"""Task registry: job kinds -> importable top-level functions.

A task is ``def task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any] | None``.
It is named by ``"module:function"`` so any executor (threads here, Dask workers in
another process) can import it; ``params`` is plain JSON data (storage keys, not frames).
``queue`` selects a concurrency lane (``anonymize`` runs one at a time by default).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veil.jobs.context import JobContext

TaskFn = Callable[["JobContext", dict[str, Any]], "dict[str, Any] | None"]

#: Modules that register tasks when imported (the service layer of each domain).
TASK_MODULES = (
    "veil.service.pprl",
    "veil.service.text",
    "veil.service.tabular",
    "veil.service.dp",
    "veil.service.text_batch",
)


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    target: str
    queue: str = "default"


_REGISTRY: dict[str, TaskSpec] = {}


def register_task(kind: str, target: str, *, queue: str = "default") -> TaskSpec:
    spec = TaskSpec(kind=kind, target=target, queue=queue)
    _REGISTRY[kind] = spec
    return spec


def load_task_modules() -> None:
    import importlib.util

    for name in TASK_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def get_spec(kind: str) -> TaskSpec:
    if kind not in _REGISTRY:
        load_task_modules()
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"no task registered for job kind '{kind}'") from None


def resolve(kind: str) -> TaskFn:
    module_name, _, attr = get_spec(kind).target.partition(":")
    fn: TaskFn = getattr(importlib.import_module(module_name), attr)
    return fn


def registered() -> dict[str, TaskSpec]:
    load_task_modules()
    return dict(_REGISTRY)
