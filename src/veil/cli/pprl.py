"""`veil pprl ...`: hash a CSV into CLKs locally (like clkhash's command-line tool), check a schema.

``veil pprl hash DATA.csv SCHEMA.json --secret S -o clks.json`` writes ``{"clks": [...]}``;
``--keys K1 K2`` hashes like clkhash 0.11-0.14. The secret may also come from
``VEIL_PPRL_SECRET`` so that it stays out of the shell history.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import cli_errors, console, print_json

app = typer.Typer(help="Record-linkage hashing (clkhash-compatible CLKs).", no_args_is_help=True)


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from a file, for the progress bar."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n: int = self.raw.readinto(buffer)
        self.count += n or 0
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _load_schema(path: Path) -> Any:
    from veil.pprl import load_schema_json

    return load_schema_json(path.read_bytes())


@app.command("hash")
def hash_command(
    data: Annotated[Path, typer.Argument(help="CSV file of records (UTF-8).", exists=True, dir_okay=False)],
    schema: Annotated[Path, typer.Argument(help="Linkage schema JSON (v1, v2 or v3).", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write {\"clks\": [...]}.")],
    secret: Annotated[
        str | None, typer.Option(help="Single secret (clkhash >= 0.15).", envvar="VEIL_PPRL_SECRET")
    ] = None,
    keys: Annotated[
        tuple[str, str] | None, typer.Option(help="Two keys KEY1 KEY2 (clkhash <= 0.14).")
    ] = None,
    header: Annotated[bool, typer.Option("--header/--no-header", help="The first row names the features.")] = True,
    workers: Annotated[int, typer.Option(min=1, max=256, help="Worker processes.")] = 1,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Hash every record of DATA.csv; fails (exit 2, nothing written) if any record is invalid."""
    with cli_errors():
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        from veil.errors import InvalidInputError
        from veil.pprl import ClkEncoder, iter_csv_clks

        if (secret is None) == (keys is None):
            raise InvalidInputError("give exactly one of --secret or --keys KEY1 KEY2", field="secret")
        key_args = {"secret": secret} if secret is not None else {"key1": keys[0], "key2": keys[1]}  # type: ignore[index]
        encoder = ClkEncoder(_load_schema(schema), **key_args)
        size = data.stat().st_size
        tmp = output.with_name(output.name + ".part")
        errors: list[str] = []
        count = invalid = 0
        raw = _CountingReader(open(data, "rb", buffering=0))  # noqa: SIM115 - closed below
        stream = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")
        bar = Progress(
            TextColumn("hashing"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[records]} records"),
            TimeRemainingColumn(), console=console, disable=not progress, transient=True,
        )
        try:
            with bar, open(tmp, "w", encoding="utf-8") as fh:
                task = bar.add_task("hash", total=size, records=0)
                fh.write('{"clks": [')
                for result in iter_csv_clks(stream, encoder, header=header, workers=workers):
                    if result.error is not None:
                        invalid += 1
                        if len(errors) < 10:
                            errors.append(result.error)
                        continue
                    fh.write(("," if count else "") + json.dumps(result.clk))
                    count += 1
                    if count % 5000 == 0:
                        bar.update(task, completed=raw.count, records=count)
                fh.write("]}\n")
                bar.update(task, completed=size, records=count)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        finally:
            stream.close()
        if errors:
            tmp.unlink(missing_ok=True)
            for message in errors:
                console.print(f"[red]invalid record:[/red] {message}")
            raise InvalidInputError(f"{invalid} invalid records; no CLKs written", field="data")
        os.replace(tmp, output)
        console.print(f"wrote {count} CLKs to {output}")


@app.command("validate-schema")
def validate_schema(
    schema: Annotated[Path, typer.Argument(help="Linkage schema JSON (v1, v2 or v3).", exists=True, dir_okay=False)],
) -> None:
    """Check a linkage schema; print its summary, or the error and its JSON path (exit 2)."""
    with cli_errors():
        from veil.pprl import parse_schema

        print_json({"valid": True, **parse_schema(_load_schema(schema)).summary()})
