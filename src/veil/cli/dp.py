"""`veil dp ...` commands (owned by the dp domain; see docs/architecture.md)."""

import typer

app = typer.Typer(help="dp commands.", no_args_is_help=True)
