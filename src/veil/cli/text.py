"""`veil text ...` commands (owned by the text domain; see docs/architecture.md)."""

import typer

app = typer.Typer(help="text commands.", no_args_is_help=True)
