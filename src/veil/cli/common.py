"""Helpers shared by the CLI commands: the SDK client from options, error display, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console

console = Console(stderr=True)
out = Console()
T = TypeVar("T")

URL_OPTION = typer.Option("--url", envvar="VEIL_URL", help="Base URL of a running Veil service.")
API_KEY_OPTION = typer.Option("--api-key", envvar="VEIL_API_KEY", help="API key for the service.")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


@contextmanager
def cli_errors() -> Iterator[None]:
    """Show Veil and SDK errors as one red line and exit 1 (2 for bad input), never a traceback."""
    from veil.client.exceptions import AnonymizationClientError
    from veil.errors import VeilError

    try:
        yield
    except VeilError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except AnonymizationClientError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        console.print(f"[red]error:[/red] {exc.strerror}: {exc.filename}")
        raise typer.Exit(2) from None


def run_with_errors(fn: Callable[[], T]) -> T:
    with cli_errors():
        return fn()
