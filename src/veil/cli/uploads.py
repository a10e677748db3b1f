"""``veil upload FILE`` and ``veil jobs result ID -o FILE``: big tables to and from a running
service, streamed, with Rich progress bars.

    veil upload people.csv --url http://127.0.0.1:8000        # -> veil://uploads/<id>
    veil jobs result 3f2c... -o anonymized.parquet --url http://127.0.0.1:8000
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console, out, print_json


def _bytes_progress(label: str) -> Any:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    return Progress(TextColumn(f"[bold]{label}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=console, transient=True)


def upload(
    file: Annotated[Path, typer.Argument(help="CSV, Parquet or JSON Lines file (other tables are sent as Parquet).")],
    format: Annotated[str | None, typer.Option(help="csv, parquet or jsonl (default: from the extension).")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the upload's metadata as JSON.")] = False,
) -> None:
    """Stream a local table to the service; prints the veil://uploads/<id> to pass as data."""
    with cli_errors():
        from veil.client import AnonymizationClient

        if not file.is_file():
            raise FileNotFoundError(2, "no such file", str(file))
        progress = _bytes_progress("uploading")
        with AnonymizationClient(url or "http://localhost:8000", api_key=api_key) as sdk, progress:
            task = progress.add_task("upload", total=file.stat().st_size)
            info = sdk.upload(file, format=format, progress=lambda n: progress.advance(task, n))
        if as_json:
            print_json(info.raw)
            return
        out.print(info.data)
        console.print(f"{info.rows} rows, {info.columns} columns, {info.bytes} bytes ({info.format}); "
                      f"expires {info.expires_at}")


def job_result(
    job_id: Annotated[str, typer.Argument(help="Job id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[str | None, typer.Option(help="csv, parquet, json or jsonl (default: from the extension).")]
    = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Download the result table of a completed job (streamed)."""
    with cli_errors():
        path = download_result_to(url, api_key, job_id, output, format)
        console.print(f"written to {path} ({Path(path).stat().st_size} bytes)")


def download_result_to(url: str | None, api_key: str | None, job_id: str, output: Path,
                       format: str | None = None) -> Path:
    """Stream a job's result table to ``output`` with a progress bar (used by the tabular commands)."""
    from veil.client import AnonymizationClient

    progress = _bytes_progress("downloading")
    with AnonymizationClient(url or "http://localhost:8000", api_key=api_key) as sdk, progress:
        task = progress.add_task("download", total=None)
        path = sdk.download_result(job_id, output, format=format, progress=lambda n: progress.advance(task, n))
    return Path(path)


def upload_if_large(sdk: Any, file: str) -> str:
    """A local file above the SDK's upload threshold is uploaded here (with a progress bar)
    and replaced by its ``veil://uploads/<id>``; anything else is returned as is."""
    path = Path(file.removeprefix("file://"))
    if "://" in file and not file.startswith("file://"):
        return file
    if not path.is_file() or path.stat().st_size <= sdk.upload_threshold:
        return file
    progress = _bytes_progress("uploading")
    with progress:
        task = progress.add_task("upload", total=path.stat().st_size)
        info = sdk.upload(path, progress=lambda n: progress.advance(task, n))
    return str(info.data)


def register(app: typer.Typer, jobs_app: typer.Typer) -> None:
    """Add ``upload`` to the top-level app and ``result`` to ``veil jobs``."""
    app.command("upload")(upload)
    jobs_app.command("result")(job_result)
