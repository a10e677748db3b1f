"""``veil dp ...``: differential privacy from the command line.

``compute`` and ``advise`` run here through the library (``veil.dp``) unless ``--url``
names a Veil service, in which case they go through the SDK; ``budget`` and ``stream``
need a service, because budgets and stream sessions live in its database. Output is JSON.

    veil dp compute people.csv --mechanism mean --column age --bounds 0 120 --epsilon 1
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, print_json

app = typer.Typer(help="Differential privacy: statistics, budgets, streams, composition advice.",
                  no_args_is_help=True)
budget_app = typer.Typer(help="Privacy budget sessions (on a Veil service).", no_args_is_help=True)
stream_app = typer.Typer(help="Streaming DP sessions (on a Veil service).", no_args_is_help=True)
app.add_typer(budget_app, name="budget")
app.add_typer(stream_app, name="stream")


def _client(url: str | None, api_key: str | None) -> Any:
    from veil.client.core import SyncClient
    from veil.client.dp import DPMethods

    class DPClient(SyncClient, DPMethods):
        pass

    return DPClient(base_url=url, api_key=api_key)


def _need_url(url: str | None) -> str:
    if not url:
        from veil.errors import InvalidInputError

        raise InvalidInputError("this command needs a Veil service: pass --url or set VEIL_URL", field="url")
    return url


@app.command("compute")
def compute(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file, or a cloud URI.")],
    mechanism: Annotated[str, typer.Option(help="mean, sum, variance, count, histogram, exponential.")] = "mean",
    column: Annotated[str | None, typer.Option(help="Column to release.")] = None,
    columns: Annotated[list[str] | None, typer.Option("--columns", help="Several columns (repeat).")] = None,
    bounds: Annotated[
        tuple[float, float] | None, typer.Option(help="Clamping bounds LOWER UPPER (mean/sum/variance).")
    ] = None,
    epsilon: Annotated[float, typer.Option(help="Privacy loss epsilon (> 0).")] = 1.0,
    delta: Annotated[float, typer.Option(help="Privacy loss delta (>= 0, < 1).")] = 0.0,
    noise_type: Annotated[str, typer.Option(help="laplace or gaussian (needs delta > 0).")] = "laplace",
    group_by: Annotated[str | None, typer.Option(help="Column to group by.")] = None,
    group_keys: Annotated[list[str] | None, typer.Option("--group-key", help="Public group key (repeat).")] = None,
    min_group_size: Annotated[int | None, typer.Option(help="Suppress groups below this noisy size.")] = None,
    bins: Annotated[int | None, typer.Option(help="Histogram bins (numeric column).")] = None,
    histogram_range: Annotated[
        tuple[float, float] | None, typer.Option("--range", help="Histogram range MIN MAX.")
    ] = None,
    categories: Annotated[list[str] | None, typer.Option("--category", help="Public category (repeat).")] = None,
    predicate: Annotated[str | None, typer.Option(help="Row filter, e.g. '> 50' or \"dept == 'x'\".")] = None,
    candidates: Annotated[list[str] | None, typer.Option("--candidate", help="Exponential candidate.")] = None,
    utility_scores: Annotated[list[float] | None, typer.Option("--score", help="Utility score per candidate.")] = None,
    sensitivity: Annotated[float | None, typer.Option(help="Utility sensitivity (exponential).")] = None,
    privacy_unit: Annotated[str | None, typer.Option(help="Column identifying a unit (e.g. user_id); default: a row.")] = None,
    max_contributions: Annotated[int | None, typer.Option(help="Rows kept per unit (per group when grouped).")] = None,
    max_partitions: Annotated[int | None, typer.Option(help="Groups kept per unit (group_by).")] = None,
    session_id: Annotated[str | None, typer.Option(help="Budget session to charge (service only).")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Release one differentially private statistic of FILE."""
    params: dict[str, Any] = {
        "mechanism": mechanism, "column": column, "columns": columns or None, "bounds": bounds,
        "epsilon": epsilon, "delta": delta, "noise_type": noise_type, "group_by": group_by,
        "group_keys": group_keys or None, "min_group_size": min_group_size, "bins": bins,
        "histogram_range": histogram_range, "categories": categories or None, "predicate": predicate,
        "candidates": candidates or None, "utility_scores": utility_scores or None, "sensitivity": sensitivity,
        "privacy_unit": privacy_unit, "max_contributions": max_contributions, "max_partitions": max_partitions,
    }
    with cli_errors():
        if url:
            with _client(url, api_key) as client:
                result = client.dp_compute(file, session_id=session_id, **params)
            from dataclasses import asdict

            print_json(asdict(result))
            return
        if session_id is not None:
            _need_url(url)
        from veil.dp import compute as dp_compute
        from veil.io import load_table

        frame = load_table(file if "://" in file else Path(file), field="file")
        print_json(dp_compute(frame, **params).to_dict())


@app.command("advise")
def advise(
    epsilon_budget: Annotated[float, typer.Option(help="Total epsilon budget.")],
    num_queries: Annotated[int, typer.Option(help="Number of planned queries.")],
    delta_budget: Annotated[float, typer.Option(help="Total delta budget.")] = 0.0,
    delta_per_query: Annotated[float, typer.Option(help="Delta per query (Gaussian); 0 = Laplace.")] = 0.0,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Per-query epsilon under basic, advanced, RDP and PLD composition."""
    with cli_errors():
        if url:
            with _client(url, api_key) as client:
                print_json(client.dp_advise_composition(epsilon_budget, num_queries, delta_budget, delta_per_query))
            return
        from veil.dp.advisor import advise_composition

        print_json(advise_composition(epsilon_budget, num_queries, delta_budget, delta_per_query))


@budget_app.command("create")
def budget_create(
    session_id: Annotated[str, typer.Argument(help="Budget session id.")],
    epsilon_budget: Annotated[float, typer.Option(help="Total epsilon.")],
    delta_budget: Annotated[float, typer.Option(help="Total delta.")] = 0.0,
    composition: Annotated[str, typer.Option(help="basic, rdp or pld (rdp and pld need delta > 0).")] = "basic",
    privacy_unit: Annotated[str | None, typer.Option(help="Unit every charge must account for.")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Create a privacy budget session."""
    from dataclasses import asdict

    with cli_errors(), _client(_need_url(url), api_key) as client:
        print_json(asdict(client.dp_budget_create(session_id, epsilon_budget, delta_budget, composition,
                                                  privacy_unit)))


@budget_app.command("charges")
def budget_charges(
    session_id: Annotated[str, typer.Argument(help="Budget session id.")],
    charge_id: Annotated[str | None, typer.Option(help="Only this charge.")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """The budget's charges (or one, by the charge_id a query returned)."""
    with cli_errors(), _client(_need_url(url), api_key) as client:
        if charge_id is not None:
            print_json(client.dp_budget_charge(session_id, charge_id))
        else:
            print_json(client.dp_budget_charges(session_id))


@budget_app.command("status")
def budget_status(
    session_id: Annotated[str, typer.Argument(help="Budget session id.")],
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Spent and remaining budget with every charge."""
    from dataclasses import asdict

    with cli_errors(), _client(_need_url(url), api_key) as client:
        print_json(asdict(client.dp_budget_status(session_id)))


@budget_app.command("delete")
def budget_delete(
    session_id: Annotated[str, typer.Argument(help="Budget session id.")],
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Delete a privacy budget session."""
    with cli_errors(), _client(_need_url(url), api_key) as client:
        client.dp_budget_delete(session_id)
        print_json({"deleted": session_id})


@stream_app.command("update")
def stream_update(
    session_id: Annotated[str, typer.Argument(help="Stream session id.")],
    file: Annotated[str | None, typer.Argument(help="Batch file (CSV, Parquet, JSON) or cloud URI.")] = None,
    mechanism: Annotated[str | None, typer.Option(help="count, sum, mean, sliding_window, tumbling_window.")] = None,
    column: Annotated[str | None, typer.Option(help="Column to stream.")] = None,
    bounds: Annotated[tuple[float, float] | None, typer.Option(help="Clamping bounds LOWER UPPER.")] = None,
    epsilon: Annotated[float | None, typer.Option(help="Epsilon of the whole stream (first call).")] = None,
    delta: Annotated[float | None, typer.Option(help="Delta (first call).")] = None,
    noise_type: Annotated[str | None, typer.Option(help="laplace or gaussian.")] = None,
    window_size: Annotated[int | None, typer.Option(help="Window size in batches.")] = None,
    budget_session_id: Annotated[str | None, typer.Option(help="Budget to charge on the first call.")] = None,
    get_result: Annotated[bool, typer.Option("--result", help="Also print the current private result.")] = False,
    privacy_unit: Annotated[str | None, typer.Option(help="Column identifying a unit (e.g. user_id); default: a row.")] = None,
    max_contributions: Annotated[int | None, typer.Option(help="Rows kept per unit (per group when grouped).")] = None,
    max_partitions: Annotated[int | None, typer.Option(help="Groups kept per unit (group_by).")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Feed one batch into a streaming session (the first call fixes its settings)."""
    from dataclasses import asdict

    with cli_errors(), _client(_need_url(url), api_key) as client:
        out = client.dp_stream_update(
            session_id, file, mechanism=mechanism, column=column, bounds=bounds, epsilon=epsilon, delta=delta,
            noise_type=noise_type, window_size=window_size, budget_session_id=budget_session_id,
            get_result=get_result, privacy_unit=privacy_unit, max_contributions=max_contributions,
            max_partitions=max_partitions,
        )
        print_json(asdict(out))


@stream_app.command("list")
def stream_list(
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """List streaming sessions."""
    with cli_errors(), _client(_need_url(url), api_key) as client:
        print_json(client.dp_stream_list_sessions())


@stream_app.command("delete")
def stream_delete(
    session_id: Annotated[str, typer.Argument(help="Stream session id.")],
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
) -> None:
    """Delete a streaming session."""
    with cli_errors(), _client(_need_url(url), api_key) as client:
        client.dp_stream_delete(session_id)
        print_json({"deleted": session_id})
