"""`veil tabular ...` commands (owned by the tabular domain; see docs/architecture.md)."""

import typer

app = typer.Typer(help="tabular commands.", no_args_is_help=True)
