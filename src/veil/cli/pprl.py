"""`veil pprl ...` commands (owned by the pprl domain; see docs/architecture.md)."""

import typer

app = typer.Typer(help="pprl commands.", no_args_is_help=True)
