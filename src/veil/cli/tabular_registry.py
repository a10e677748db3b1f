"""``veil tabular models`` and ``veil tabular patterns ...``: the MLflow model registry and the
custom detection patterns file.

With ``--url`` the commands go to a running Veil service through the SDK (as the API key's
caller); without it they open the local data directory (``VEIL_DATA_DIR``, or
``--data-dir``) as the ``local`` caller of a service without authentication.

    veil tabular models --all-metrics
    veil tabular patterns export -o patterns.yaml
    veil tabular patterns import patterns.yaml
    veil tabular patterns reload
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console, out, print_json

patterns_app = typer.Typer(
    help="Custom detection patterns as a YAML file: export, import, reload.", no_args_is_help=True
)
DATA_DIR_OPTION = typer.Option("--data-dir", help="Local data directory (without --url).")
LOCAL_PRINCIPAL = "local"


def register(tabular_app: typer.Typer) -> None:
    """Add ``models`` and the ``patterns`` group to ``veil tabular``."""
    tabular_app.command("models")(models)
    tabular_app.add_typer(patterns_app, name="patterns")


@contextmanager
def _local(data_dir: Path | None) -> Iterator[Any]:
    from veil.service.container import Services
    from veil.settings import Settings

    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    services = Services(settings, start_executor=False)
    try:
        yield services
    finally:
        services.close()


def _call(
    url: str | None,
    api_key: str | None,
    data_dir: Path | None,
    remote: Callable[[Any], dict[str, Any]],
    local: Callable[[Any], dict[str, Any]],
    mlops_config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    with cli_errors():
        if url:
            from veil.client import AnonymizationClient

            with AnonymizationClient(url, api_key=api_key, mlops_config=mlops_config) as sdk:
                return remote(sdk)
        with _local(data_dir) as services:
            return local(services)


def models(
    model_type: Annotated[str | None, typer.Option(help="Privacy model, e.g. k-anonymity.")] = None,
    all_metrics: Annotated[bool, typer.Option("--all-metrics", help="Every metric, not only the promotion metric.")]
    = False,
    tracking_uri: Annotated[str | None, typer.Option(help="An http(s) MLflow tracking server to read.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Anonymization models in production in the MLflow registry, with their promotion metric."""
    from veil.service import mlops

    def remote(sdk: Any) -> dict[str, Any]:
        result: dict[str, Any] = sdk.list_models(model_type=model_type, all_metrics=all_metrics)
        return result

    def local(services: Any) -> dict[str, Any]:
        return mlops.list_models(
            services.settings, LOCAL_PRINCIPAL, model_type=model_type, all_metrics=all_metrics,
            tracking_uri=tracking_uri,
        )

    result = _call(url, api_key, data_dir, remote, local, {"tracking_uri": tracking_uri} if tracking_uri else None)
    if as_json:
        print_json(result)
        return
    from rich.table import Table

    table = Table(title=f"Models in production ({result.get('tracking_uri', 'registry')})")
    for head in ("name", "version", "privacy model", "job_id", "metrics"):
        table.add_column(head)
    for m in result["models"]:
        shown = ", ".join(
            f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in (m.get("metrics") or {}).items()
        )
        table.add_row(str(m["name"]), str(m["version"]), str(m.get("privacy_model")), str(m.get("job_id")), shown)
    out.print(table)


@patterns_app.command("export")
def patterns_export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Also save the YAML here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Write the custom patterns to the patterns file (and print or save the YAML)."""
    from veil.service import patterns_file

    result = _call(
        url, api_key, data_dir,
        lambda sdk: dict(sdk.export_patterns()),
        lambda services: patterns_file.export(services, LOCAL_PRINCIPAL),
    )
    if output is not None:
        output.write_text(result["content"], encoding="utf-8")
    if as_json:
        print_json(result)
    elif output is None:
        typer.echo(result["content"], nl=False)
    console.print(f"{result['count']} pattern(s) written to {result['path']}")


@patterns_app.command("import")
def patterns_import(
    file: Annotated[Path, typer.Argument(help="A patterns YAML file.", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Replace the custom patterns with FILE (all or nothing; a bad entry is named)."""
    from veil.service import patterns_file

    text = file.read_text(encoding="utf-8-sig")
    result = _call(
        url, api_key, data_dir,
        lambda sdk: dict(sdk.import_patterns(text)),
        lambda services: patterns_file.import_text(services, LOCAL_PRINCIPAL, text),
    )
    _counts(result, as_json)


@patterns_app.command("reload")
def patterns_reload(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Re-read the patterns file after a manual edit and sync the stored patterns to it."""
    from veil.service import patterns_file

    result = _call(
        url, api_key, data_dir,
        lambda sdk: dict(sdk.reload_patterns()),
        lambda services: patterns_file.reload(services, LOCAL_PRINCIPAL),
    )
    _counts(result, as_json)


def _counts(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    out.print(
        f"added {result.get('added', 0)}, updated {result.get('updated', 0)}, removed {result.get('removed', 0)}, "
        f"unchanged {result.get('unchanged', 0)}; {result.get('custom_count', 0)} custom pattern(s) "
        f"({result.get('path')})"
    )
