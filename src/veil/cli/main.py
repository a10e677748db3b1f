"""``veil``: serve, keys, jobs, audit, and the domain commands (pprl, text, tabular, dp).

Imports of heavy modules happen inside commands so that ``veil --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli import dp as dp_cli
from veil.cli import pprl as pprl_cli
from veil.cli import tabular as tabular_cli
from veil.cli import tabular_registry as tabular_registry_cli
from veil.cli import text as text_cli
from veil.cli import uploads as uploads_cli
from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console, out, print_json

app = typer.Typer(
    name="veil",
    help="Veil: a self-hosted privacy engine (text de-identification, anonymization, DP, linkage hashing).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
keys_app = typer.Typer(
    help="Manage API keys (stored hashed; creating one turns auth on).", no_args_is_help=True
)
jobs_app = typer.Typer(help="Inspect and cancel background jobs on a running service.", no_args_is_help=True)
audit_app = typer.Typer(help="Read the audit log of a running service.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(jobs_app, name="jobs")
app.add_typer(audit_app, name="audit")
app.add_typer(pprl_cli.app, name="pprl")
app.add_typer(text_cli.app, name="text")
app.add_typer(tabular_cli.app, name="tabular")
tabular_registry_cli.register(tabular_cli.app)
app.add_typer(dp_cli.app, name="dp")
uploads_cli.register(app, jobs_app)


def _settings(data_dir: Path | None = None, **overrides: Any) -> Any:
    from veil.settings import Settings

    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)


@app.command()
def version() -> None:
    """Print the version."""
    from veil import __version__

    out.print(__version__)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (VEIL_HOST, default 127.0.0.1).")] = None,
    port: Annotated[
        int | None, typer.Option(help="Port (VEIL_PORT, default 8000).", min=1, max=65535)
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory (VEIL_DATA_DIR, default ./.veil).")
    ] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Allow a non-loopback bind with auth off.")
    ] = False,
) -> None:
    """Apply migrations and start the service."""
    import uvicorn

    from veil.api import create_app
    from veil.logs import configure_logging
    from veil.service.container import Services
    from veil.settings import is_loopback_host

    with cli_errors():
        settings = _settings(data_dir, host=host, port=port, insecure=insecure or None)
        log_config = configure_logging(settings.log_level, settings.log_format)
        services = Services(settings)
        if not is_loopback_host(settings.host) and not services.auth.enabled() and not settings.insecure:
            services.close()
            console.print(
                f"[red]refusing to serve on {settings.host} with authentication off.[/red] "
                "Create a key (`veil keys create NAME`), set VEIL_API_KEYS, or pass --insecure."
            )
            raise typer.Exit(2)
        app_ = create_app(settings, services=services)
        console.print(f"Veil listening on http://{settings.host}:{settings.port} (data: {settings.data_dir})")
        uvicorn.run(app_, host=settings.host, port=settings.port, log_config=log_config, access_log=False)


def _auth(data_dir: Path | None) -> Any:
    from veil.service.auth import AuthService
    from veil.store.db import Database

    settings = _settings(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    db.upgrade()
    return AuthService(db, settings)


DATA_DIR_OPTION = typer.Option("--data-dir", help="Data directory of the service (VEIL_DATA_DIR).")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="A name for the key (who or what uses it).")],
    tier: Annotated[str, typer.Option(help="free, standard or enterprise.")] = "enterprise",
    feature: Annotated[
        list[str] | None, typer.Option("--feature", help="Restrict to these features.")
    ] = None,
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Create an API key. The key is printed once; only its hash is stored."""
    with cli_errors():
        created = _auth(data_dir).create_key(name, tier=tier, features=feature or None)
    console.print(f"Created key [bold]{created['name']}[/bold] ({created['id']}, tier {created['tier']}).")
    console.print("Store it now: it cannot be shown again.")
    out.print(created["key"], markup=False, highlight=False)


@keys_app.command("list")
def keys_list(data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None) -> None:
    """List API keys (never the keys themselves)."""
    from rich.table import Table

    with cli_errors():
        keys = _auth(data_dir).list_keys()
    table = Table("id", "name", "prefix", "tier", "created", "revoked")
    for k in keys:
        table.add_row(
            k["id"],
            k["name"],
            k["prefix"] + "…",
            k["tier"],
            k["created_at"][:19],
            (k["revoked_at"] or "")[:19],
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="Key id or name.")],
    data_dir: Annotated[Path | None, DATA_DIR_OPTION] = None,
) -> None:
    """Revoke an API key."""
    with cli_errors():
        row = _auth(data_dir).revoke_key(key_id)
    console.print(f"Revoked {row['name']} ({row['id']}).")


def _client(url: str | None, api_key: str | None) -> Any:
    from veil.client.jobs import VeilClient

    return VeilClient(url, api_key=api_key)


@jobs_app.command("list")
def jobs_list(
    status: Annotated[
        str | None, typer.Option(help="pending, running, completed, failed or cancelled.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """List jobs, newest first."""
    from rich.table import Table

    with cli_errors():
        page = _client(url, api_key).list_jobs(status=status, limit=limit, offset=offset)
    if as_json:
        print_json(page)
        return
    table = Table("job_id", "kind", "status", "progress", "step", "created", title=f"{page['total']} job(s)")
    for j in page["jobs"]:
        table.add_row(
            j["job_id"],
            j["kind"],
            j["status"],
            f"{j['progress']:.0f}%",
            j["step"] or "",
            j["created_at"][:19],
        )
    out.print(table)


@jobs_app.command("show")
def jobs_show(
    job_id: str,
    watch: Annotated[bool, typer.Option("--watch", help="Follow progress until the job ends.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Show a job (with --watch, a progress bar until it finishes)."""
    import time

    from rich.progress import Progress

    with cli_errors():
        client = _client(url, api_key)
        job = client.get_job(job_id)
        if watch and job["status"] in ("pending", "running"):
            with Progress(console=console) as progress:
                task = progress.add_task(job["kind"], total=100)
                while job["status"] in ("pending", "running"):
                    progress.update(
                        task, completed=job["progress"], description=f"{job['kind']}: {job['step'] or ''}"
                    )
                    time.sleep(0.5)
                    job = client.get_job(job_id)
                progress.update(task, completed=job["progress"])
    print_json(job)


@jobs_app.command("cancel")
def jobs_cancel(
    job_id: str,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Cancel a pending or running job."""
    with cli_errors():
        job = _client(url, api_key).cancel_job(job_id)
    console.print(f"{job['job_id']}: {job['status']} ({job['message']})")


@audit_app.command("list")
def audit_list(
    operation: Annotated[str | None, typer.Option(help="Filter by operation.")] = None,
    status: Annotated[str | None, typer.Option(help="success or error.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """List audit entries, newest first."""
    from rich.table import Table

    with cli_errors():
        page = _client(url, api_key).audit_list(
            operation=operation, status=status, limit=limit, offset=offset
        )
    if as_json:
        print_json(page)
        return
    table = Table(
        "time", "operation", "principal", "status", "ms", "records", title=f"{page['total']} entries"
    )
    for e in page["entries"]:
        table.add_row(
            e["timestamp"][:19],
            e["operation"],
            e["principal"],
            e["status"],
            f"{e['duration_ms']:.0f}",
            "" if e["record_count"] is None else str(e["record_count"]),
        )
    out.print(table)


def _optional_commands() -> None:
    """Command modules that add themselves to a sub-app when present (e.g. ``veil text deid-batch``)."""
    import importlib.util

    for name in ("veil.cli.text_batch",):
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


_optional_commands()

if __name__ == "__main__":
    app()
