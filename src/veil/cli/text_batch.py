"""``veil text deid-batch FILE -o OUT.jsonl``: de-identify a JSONL or CSV file of texts.

Without ``--url`` it runs here through the library (``veil.text``), partition by
partition; with ``--url`` it uploads the file to a Veil service, follows the
``text.deid_batch`` job (which the service may spread over Dask workers) and downloads
the result.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console
from veil.cli.text import app


def _options(
    accuracy_mode: str | None,
    marker_format: str | None,
    enabled_classes: list[str] | None,
    allow: list[str] | None,
    options_json: str | None,
) -> dict[str, Any]:
    from veil.errors import InvalidInputError

    opts: dict[str, Any] = {}
    if options_json:
        try:
            loaded = json.loads(options_json)
        except json.JSONDecodeError:
            raise InvalidInputError("--options must be a JSON object", field="options") from None
        if not isinstance(loaded, dict):
            raise InvalidInputError("--options must be a JSON object", field="options")
        opts.update(loaded)
    if accuracy_mode:
        opts["accuracy_mode"] = accuracy_mode
    if marker_format:
        opts["marker_format"] = marker_format
    if enabled_classes:
        opts["enabled_classes"] = list(enabled_classes)
    if allow:
        opts["allow_list"] = list(allow)
    return opts


@app.command("deid-batch")
def deid_batch(
    file: Annotated[Path, typer.Argument(help="JSONL (one object or string per line) or CSV file of texts.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the JSONL result.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: from the extension).")
    ] = None,
    text_field: Annotated[str, typer.Option(help="Field/column holding the text.")] = "text",
    id_field: Annotated[str | None, typer.Option(help="Field/column copied to the output as 'id'.")] = None,
    accuracy_mode: Annotated[str | None, typer.Option(help="standard, standard_high or high.")] = None,
    marker_format: Annotated[str | None, typer.Option(help="Marker format, e.g. '[CLASS_NAME]'.")] = None,
    enabled_class: Annotated[
        list[str] | None, typer.Option("--class", help="Entity class to detect (repeatable; default all).")
    ] = None,
    allow: Annotated[list[str] | None, typer.Option(help="Text never replaced (repeatable).")] = None,
    options_json: Annotated[
        str | None, typer.Option("--options", help="Further options as a JSON object.")
    ] = None,
    no_pii: Annotated[
        bool, typer.Option("--no-pii", help="Leave the detected entities out of the output.")
    ] = False,
    partition_size: Annotated[int, typer.Option(min=1, max=10_000, help="Texts per partition.")] = 500,
    recognizers: Annotated[
        Path | None,
        typer.Option("--recognizers", help="YAML file of extra recognizers (local runs; a service uses its stored ones)."),
    ] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """De-identify every text of FILE and write one JSON line per text to OUT."""
    with cli_errors():
        from veil.service import text_batch

        fmt_name = text_batch.detect_batch_format(file.name, fmt)
        opts = _options(accuracy_mode, marker_format, enabled_class, allow, options_json)
        if url and recognizers is not None:
            from veil.errors import InvalidInputError

            raise InvalidInputError(
                "--recognizers is for local runs; store them in the service with "
                "'veil text recognizers add --file FILE'",
                field="recognizers",
            )
        custom: list[dict[str, Any]] | None = None
        if recognizers is not None:
            from veil.cli.text_recognizers import spec_to_body
            from veil.text.registry import load_recognizers_yaml

            custom = [spec_to_body(s) for s in load_recognizers_yaml(recognizers)]
        spec = text_batch.make_spec(
            fmt=fmt_name,
            text_field=text_field,
            id_field=id_field,
            # a service checks the options itself: its stored recognizers add entity types
            options={k: v for k, v in opts.items() if k != "enabled_classes"} if url else opts,
            include_pii=not no_pii,
            partition_size=partition_size,
            recognizers=custom,
        )
        if url and "enabled_classes" in opts:
            import dataclasses

            spec = dataclasses.replace(spec, options=opts)
        if not file.is_file():
            raise FileNotFoundError(2, "No such file", str(file))
        summary = _remote(url, api_key, file, output, spec) if url else _local(file, output, spec, custom)
        console.print(
            f"[green]done:[/green] {summary.get('texts', 0)} texts, {summary.get('errors', 0)} errors "
            f"-> {output}"
        )


def _local(file: Path, output: Path, spec: Any, recognizers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from veil.service import text_batch

    texts = errors = 0
    tmp = output.with_name(output.name + ".part")
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        Progress(
            TextColumn("de-identifying"),
            BarColumn(),
            TextColumn("{task.completed:.0f} texts"),
            TimeElapsedColumn(),
            console=console,
        ) as progress,
        file.open("rb") as fh,
        tmp.open("wb") as out,
    ):
        task = progress.add_task("deid", total=None)
        try:
            for part in text_batch.partitions(text_batch.iter_records(fh, spec), spec.partition_size):
                lines = text_batch.deid_records(
                    part, spec.options, include_pii=spec.include_pii, recognizers=recognizers
                )
                out.write(text_batch.dumps_lines(lines))
                texts += len(lines)
                errors += sum(1 for line in lines if "error" in line)
                progress.update(task, completed=texts)
        except BaseException:
            out.close()
            tmp.unlink(missing_ok=True)
            raise
    if texts == 0:
        tmp.unlink(missing_ok=True)
        from veil.errors import InvalidInputError

        raise InvalidInputError("the file holds no texts", field="file")
    tmp.replace(output)
    return {"texts": texts, "errors": errors}


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            yield block


def _remote(
    url: str, api_key: str | None, file: Path, output: Path, spec: Any, *, http_client: Any = None
) -> dict[str, Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from veil.client.core import SyncClient, raise_for_response
    from veil.errors import InvalidInputError

    params: dict[str, Any] = {
        "format": spec.fmt,
        "text_field": spec.text_field,
        "id_field": spec.id_field,
        "include_pii": str(spec.include_pii).lower(),
        "partition_size": spec.partition_size,
    }
    if spec.options:
        params["options"] = json.dumps(spec.options)
    # octet-stream (with format=jsonl) gets the upload size limit; the body limit middleware
    # counts any "*json*" content type as a JSON body (VEIL_MAX_BODY_BYTES).
    content_type = "text/csv" if spec.fmt == "csv" else "application/octet-stream"
    with SyncClient(url, api_key=api_key, timeout=300, http_client=http_client) as client:
        job = client._request(
            "POST",
            "/v1/text/batch/upload",
            params=params,
            content=_file_chunks(file),
            headers={"Content-Type": content_type},
        )
        job_id = job["job_id"]
        console.print(f"job {job_id}")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("queued", total=100)
            while job["status"] in ("pending", "running"):
                time.sleep(0.5)
                job = client._request("GET", f"/v1/jobs/{job_id}")
                progress.update(task, completed=job["progress"], description=job.get("step") or job["status"])
        if job["status"] != "completed":
            raise InvalidInputError(
                f"job {job['status']}: {job.get('error') or job.get('message')}", field="job"
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".part")
        path = f"/v1/text/batch/{job_id}/result"
        with client._http.stream("GET", path, headers=client._headers, timeout=600) as resp:
            if resp.status_code >= 400:
                resp.read()
                raise_for_response(resp)
            with tmp.open("wb") as out:
                for block in resp.iter_bytes():
                    out.write(block)
        tmp.replace(output)
    result: dict[str, Any] = (job.get("context") or {}).get("result") or {}
    return result
