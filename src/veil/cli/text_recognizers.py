"""``veil text recognizers add|list|show|delete``: user-defined recognizers of a running service.

Recognizers are stored per API key in the service (``--url`` / ``VEIL_URL``) and used by
every de-identification made with that key. ``add`` takes one recognizer from flags or
every recognizer of a YAML file (the format of ``veil.text.registry.load_recognizers_yaml``).
For a local run without a service, ``veil text deid --recognizers FILE.yaml`` uses a YAML
file directly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console, print_json

app = typer.Typer(help="User-defined recognizers stored in a Veil service.", no_args_is_help=True)


def _client(url: str | None, api_key: str | None) -> Any:
    from veil.client.text import TextClient
    from veil.errors import InvalidInputError

    if not url:
        raise InvalidInputError(
            "recognizers are stored in a service: give --url or set VEIL_URL "
            "(or use 'veil text deid --recognizers FILE.yaml' locally)",
            field="url",
        )
    return TextClient(url, api_key=api_key)


def spec_to_body(spec: Any) -> dict[str, Any]:
    """The REST body of a library ``RecognizerSpec`` (as loaded from YAML)."""
    languages = getattr(spec, "languages", None)
    return {
        "name": spec.name,
        "entity_type": spec.entity_type,
        "patterns": [{"regex": p.regex, "score": float(p.score)} for p in spec.patterns],
        "context": list(getattr(spec, "context", None) or []),
        "languages": list(languages) if languages else None,
        "validator": getattr(spec, "validator", None),
        "min_score": float(getattr(spec, "min_score", 0.0) or 0.0),
    }


def _flags_body(
    name: str | None,
    entity_type: str | None,
    patterns: list[str],
    scores: list[float],
    context: list[str],
    languages: list[str],
    validator: str | None,
) -> dict[str, Any]:
    from veil.errors import InvalidInputError

    if not name:
        raise InvalidInputError("give --name (or --file)", field="name")
    if not entity_type:
        raise InvalidInputError("give --entity-type (or --file)", field="entity_type")
    if not patterns:
        raise InvalidInputError("give at least one --pattern (or --file)", field="patterns")
    if len(scores) not in (0, 1, len(patterns)):
        raise InvalidInputError("give one --score for all patterns or one per --pattern", field="score")
    filled = scores * len(patterns) if len(scores) == 1 else scores or [0.5] * len(patterns)
    return {
        "name": name,
        "entity_type": entity_type,
        "patterns": [{"regex": p, "score": s} for p, s in zip(patterns, filled, strict=True)],
        "context": context,
        "languages": languages or None,
        "validator": validator,
    }


def _print(rec: dict[str, Any]) -> None:
    patterns = ", ".join(f"{p['regex']} ({p['score']:g})" for p in rec["patterns"])
    context = ", ".join(rec.get("context") or []) or "-"
    languages = ", ".join(rec.get("languages") or []) or "all"
    sys.stdout.write(
        f"{rec['id']}  {rec['name']}  {rec['entity_type']}\n"
        f"  patterns:  {patterns}\n  context:   {context}\n  languages: {languages}\n"
        f"  validator: {rec.get('validator') or '-'}\n"
    )


@app.command("add")
def add(
    name: Annotated[str | None, typer.Option("--name", help="Recognizer name (unique per key).")] = None,
    entity_type: Annotated[
        str | None, typer.Option("--entity-type", "-t", help="Entity type, e.g. EMPLOYEE_ID.")
    ] = None,
    pattern: Annotated[list[str] | None, typer.Option("--pattern", "-p", help="A regex (repeatable).")] = None,
    score: Annotated[
        list[float] | None, typer.Option("--score", help="Score in (0, 1]: one for all patterns or one each.")
    ] = None,
    context: Annotated[list[str] | None, typer.Option("--context", help="A context word (repeatable).")] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="ISO 639 code (repeatable; default: all).")
    ] = None,
    validator: Annotated[str | None, typer.Option("--validator", help="A checksum, e.g. luhn.")] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", min=0.0, max=1.0, help="Drop matches scoring below this.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="YAML file of recognizers (adds every one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Store a recognizer from flags, or every recognizer of a YAML file."""
    with cli_errors():
        if file is not None:
            from veil.text.registry import load_recognizers_yaml

            if any(v for v in (name, entity_type, pattern, score, context, language, validator, min_score)):
                from veil.errors import InvalidInputError

                raise InvalidInputError("give either --file or the recognizer flags, not both", field="file")
            bodies = [spec_to_body(s) for s in load_recognizers_yaml(file)]
        else:
            bodies = [
                _flags_body(
                    name, entity_type, list(pattern or []), list(score or []), list(context or []),
                    list(language or []), validator,
                )
            ]
            bodies[0]["min_score"] = min_score
        client = _client(url, api_key)
        created = []
        try:
            for body in bodies:
                created.append(
                    client.create_recognizer(
                        body["name"], body["entity_type"], body["patterns"], context=body["context"],
                        languages=body["languages"], validator=body["validator"],
                        min_score=body.get("min_score"),
                    )
                )
        finally:
            client.close()
            if created and not as_json:
                for rec in created:
                    console.print(f"Added recognizer [bold]{rec['name']}[/bold] ({rec['id']}, {rec['entity_type']}).")
        if as_json:
            print_json(created if file is not None else created[0])


@app.command("list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """List the recognizers of the key."""
    with cli_errors(), _client(url, api_key) as client:
        recs = client.list_recognizers()
    if as_json:
        print_json(recs)
        return
    for rec in recs:
        sys.stdout.write(f"{rec['id']}  {rec['name']:<24} {rec['entity_type']:<24} {len(rec['patterns'])} pattern(s)\n")
    if not recs:
        console.print("No recognizers.")


@app.command("show")
def show(
    recognizer: Annotated[str, typer.Argument(help="Id or name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Show one recognizer."""
    with cli_errors(), _client(url, api_key) as client:
        rec = client.get_recognizer(recognizer)
    if as_json:
        print_json(rec)
    else:
        _print(rec)


@app.command("delete")
def delete(
    recognizer: Annotated[str, typer.Argument(help="Id or name.")],
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Delete a recognizer."""
    with cli_errors(), _client(url, api_key) as client:
        rec = client.delete_recognizer(recognizer)
    console.print(f"Deleted recognizer [bold]{rec['name']}[/bold] ({rec['id']}).")
