"""``veil text deid [FILE|-]``: de-identify a text file or standard input.

Without ``--url`` the text is processed here by the library (``veil.text``); with
``--url`` (or ``VEIL_URL``) it is sent to a running service through the SDK. The whole
input is one text (use ``--lines`` for one text per line). Prints the de-identified
text, or the seed's JSON response with ``--json``. ``--recognizers FILE.yaml`` adds
user-defined recognizers to a local run; ``veil text recognizers ...`` manages the ones
stored in a service.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, print_json

app = typer.Typer(help="Text de-identification (seed 002).", no_args_is_help=True)


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    return Path(file).read_text(encoding="utf-8")


@app.command("deid")
def deid(
    file: Annotated[str, typer.Argument(help="Text file to de-identify, or '-' for standard input.")] = "-",
    as_json: Annotated[bool, typer.Option("--json", help="Print the full JSON response.")] = False,
    classes: Annotated[
        list[str] | None, typer.Option("--classes", "-c", help="Entity classes to remove (repeatable).")
    ] = None,
    fake: Annotated[bool, typer.Option("--fake", help="Replace entities with realistic fakes.")] = False,
    lines: Annotated[bool, typer.Option("--lines", help="One text per line instead of one text.")] = False,
    link_batch: Annotated[bool, typer.Option("--link-batch", help="With --lines: share context between lines.")] = False,
    accuracy_mode: Annotated[str, typer.Option("--accuracy-mode", "-m", help="standard, standard_high or high.")] = "high",
    marker_format: Annotated[str | None, typer.Option("--marker-format", help="E.g. '<<CLASS_NAME>>'.")] = None,
    allow: Annotated[list[str] | None, typer.Option("--allow", help="Allow-listed entity text (repeatable).")] = None,
    recognizers: Annotated[
        Path | None,
        typer.Option("--recognizers", help="YAML file of extra recognizers (local runs; a service uses its stored ones)."),
    ] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """De-identify FILE (or standard input) and print the result."""
    with cli_errors():
        raw = _read(file)
        text: str | list[str] = raw.splitlines() if lines else raw
        options: dict[str, Any] = {
            "accuracy_mode": accuracy_mode,
            "link_batch": link_batch if lines else None,
            "enabled_classes": list(classes) if classes else None,
            "marker_format": marker_format,
            "allow_list": list(allow) if allow else None,
            "fake_entity_accuracy_mode": "standard" if fake else None,
        }
        if url and recognizers is not None:
            from veil.errors import InvalidInputError

            raise InvalidInputError(
                "--recognizers is for local runs; store them in the service with "
                "'veil text recognizers add --file FILE'",
                field="recognizers",
            )
        if url:
            from veil.client.text import TextClient

            with TextClient(url, api_key=api_key, timeout=300) as client:
                response = client.deidentify(text, **options)
            results = response if isinstance(response, list) else [response]
        else:
            from veil.text import DeidentifyOptions, deidentify

            values = {k: v for k, v in options.items() if v is not None}
            if recognizers is not None:
                from veil.text.registry import load_recognizers_yaml

                values["custom_recognizers"] = list(load_recognizers_yaml(recognizers))
            opts = DeidentifyOptions(**values)
            results = [r.to_dict() for r in deidentify(text, opts)]
        if as_json:
            print_json(results if isinstance(text, list) else results[0])
            return
        key = "result_fake" if fake else "result"
        for r in results:
            sys.stdout.write(str(r[key]) + ("\n" if lines or not str(r[key]).endswith("\n") else ""))


@app.command("entity-types")
def entity_types(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the supported entity types."""
    from veil.text import list_entity_types

    types = list_entity_types()
    if as_json:
        print_json(types)
        return
    for t in types:
        sys.stdout.write(f"{t['name']:<32} {t['description']}\n")


def _add_recognizer_commands() -> None:
    from veil.cli.text_recognizers import app as recognizers_app

    app.add_typer(recognizers_app, name="recognizers")


_add_recognizer_commands()
