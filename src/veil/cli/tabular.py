"""``veil tabular ...``: detection, risk, anonymization, apply, validation and measurement of
local CSV / Parquet / JSON files.

Everything runs here through the library (``veil.tabular``); ``anonymize`` and ``apply``
go through a Veil service instead when ``--url`` is given (a job with a progress bar, the
solution stored on the service). Tables are printed with Rich; ``--json`` prints JSON.

    veil tabular detect people.csv
    veil tabular risk people.csv --qi age --qi zip
    veil tabular anonymize adult.csv --qi age=age.csv --qi sex -k 5 --max-suppression 0.04 -o out.csv
    veil tabular apply new.csv --solution solution.json -o new_out.csv
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.cli.common import API_KEY_OPTION, URL_OPTION, cli_errors, console, out, print_json

app = typer.Typer(help="Tabular anonymization: detect, risk, anonymize, apply, validate, measure.",
                  no_args_is_help=True)

QI_HELP = "Quasi-identifier, optionally with a hierarchy CSV: NAME or NAME=PATH (repeat)."


def _attributes(qi: list[str] | None, sensitive: list[str] | None, identifier: list[str] | None,
                attributes_file: Path | None, insensitive: list[str] | None = None) -> list[dict[str, Any]]:
    """The listed columns; every other column is typed by detection (identifiers removed,
    quasi-identifiers generalized, only confidently non-sensitive columns kept)."""
    from veil.errors import InvalidInputError

    if attributes_file is not None:
        data = json.loads(attributes_file.read_text(encoding="utf-8"))
        attrs = data.get("attributes", data) if isinstance(data, dict) else data
        if not isinstance(attrs, list):
            raise InvalidInputError("the attributes file must hold a list (or {\"attributes\": [...]})",
                                    field="attributes")
        return list(attrs)
    result: list[dict[str, Any]] = []
    for spec in qi or []:
        name, _, path = spec.partition("=")
        entry: dict[str, Any] = {"name": name, "type": "quasi_identifier"}
        if path:
            entry["hierarchy"] = path
        result.append(entry)
    result += [{"name": s, "type": "sensitive"} for s in sensitive or []]
    result += [{"name": s, "type": "identifier"} for s in identifier or []]
    result += [{"name": s, "type": "insensitive"} for s in insensitive or []]
    return result


def _columns_table(columns: list[dict[str, Any]]) -> None:
    """What happened to every input column."""
    from rich.table import Table

    table = Table(title="Columns")
    for head in ("column", "class", "treatment", "reason"):
        table.add_column(head)
    for c in columns:
        table.add_row(str(c.get("name")), str(c.get("class")), str(c.get("treatment")), str(c.get("reason")))
    out.print(table)


def _load(path: str) -> Any:
    from veil.io import load_table

    return load_table(path)


def _metrics_table(title: str, values: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=title)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for k, v in values.items():
        table.add_row(str(k), f"{v:.6g}" if isinstance(v, float) else str(v))
    out.print(table)


@app.command("detect")
def detect(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file.")],
    mode: Annotated[str, typer.Option(help="auto, heuristic or ml (the shipped column classifier).")] = "auto",
    sampling_method: Annotated[str, typer.Option(help="fast, full or adaptive.")] = "fast",
    max_quasi_identifiers: Annotated[int, typer.Option(help="Most QIs to keep.")] = 10,
    cumulative_importance_threshold: Annotated[float, typer.Option(help="Stop at this cumulative importance.")] = 0.8,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Classify the columns as DI / QI / SI / NSI."""
    with cli_errors():
        from rich.table import Table

        import veil.tabular as vt

        det = vt.detect_qi(_load(file), mode=mode, sampling_method=sampling_method,
                           max_quasi_identifiers=max_quasi_identifiers,
                           cumulative_importance_threshold=cumulative_importance_threshold)
        if as_json:
            print_json(det.to_dict())
            return
        table = Table(title=f"Columns of {Path(file).name}")
        for col in ("column", "class", "confidence", "method", "importance", "uniqueness", "reason"):
            table.add_column(col)
        for a in det.attributes:
            table.add_row(a.name, a.classification, f"{a.confidence:.2f}", a.method,
                          "" if a.importance is None else f"{a.importance:.3f}", f"{a.uniqueness:.3f}", a.reason)
        out.print(table)
        out.print(f"quasi-identifiers: {', '.join(det.quasi_identifiers) or '-'}")
        mm = det.model_metrics
        if mm:
            out.print(f"model {mm['model']} {mm['version']} (card {mm['training_data_card']}): held-out "
                      f"macro-F1 {mm['f1']}, decided {mm['columns_decided_by_model']} of {mm['columns_scored']} columns")


@app.command("risk")
def risk(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file.")],
    qi: Annotated[list[str] | None, typer.Option("--qi", help="Quasi-identifier column (repeat); default all.")] = None,
    threshold: Annotated[float, typer.Option(help="Risk threshold.")] = 0.2,
    suppress_value: Annotated[str, typer.Option(help="Value marking suppressed cells.")] = "*",
    sampling_fraction: Annotated[float | None, typer.Option(help="Sample / population, for population "
                                                                  "uniqueness.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Prosecutor / journalist / marketer risk and equivalence-class statistics."""
    with cli_errors():
        import veil.tabular as vt

        rep = vt.calculate_risk(_load(file), qi, risk_threshold=threshold, suppress_value=suppress_value,
                                sampling_fraction=sampling_fraction)
        if as_json:
            print_json(rep.to_dict())
            return
        p = rep.prosecutor
        assert p is not None
        values: dict[str, Any] = {
            "records at risk": p.records_at_risk, "highest risk": p.highest_risk, "average risk": p.average_risk,
            "marketer": rep.marketer, "sample uniqueness": rep.sample_uniqueness, "k": rep.k_anonymity,
            "classes": rep.equivalence_classes["count"], "suppressed": rep.suppressed_records,
            "risk level": rep.highest_risk_level,
        }
        if rep.population is not None:
            values["population uniqueness"] = rep.population.dankar
            values["population model"] = rep.population.dankar_model
        _metrics_table(f"Re-identification risk (threshold {threshold})", values)


@app.command("anonymize")
def anonymize(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file (or a cloud URI with --url).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result here.")] = None,
    qi: Annotated[list[str] | None, typer.Option("--qi", help=QI_HELP)] = None,
    sensitive: Annotated[list[str] | None, typer.Option("--sensitive", help="Sensitive column (repeat).")] = None,
    identifier: Annotated[list[str] | None, typer.Option("--identifier", help="Column to remove (repeat).")] = None,
    insensitive: Annotated[list[str] | None, typer.Option("--insensitive", help="Column to keep as is (repeat); "
                                                                                "unlisted columns are typed by "
                                                                                "detection.")] = None,
    attributes: Annotated[Path | None, typer.Option(help="JSON file with the attributes list.")] = None,
    privacy_model: Annotated[list[str] | None, typer.Option("--model", help="k-anonymity, l-diversity, "
                                                                            "t-closeness (repeat).")] = None,
    k: Annotated[int, typer.Option("-k", help="k (1 turns k-anonymity off).")] = 5,
    l: Annotated[float | None, typer.Option("-l", help="l for l-diversity.")] = None,
    t: Annotated[float | None, typer.Option("-t", help="t for t-closeness.")] = None,
    diversity_type: Annotated[str, typer.Option(help="distinct, entropy or recursive.")] = "distinct",
    distance_metric: Annotated[str, typer.Option(help="equal, ordered or hierarchical.")] = "equal",
    max_suppression: Annotated[float, typer.Option(help="Largest fraction of suppressed records.")] = 0.0,
    metric: Annotated[str, typer.Option(help="loss, discernibility, precision, aecs, entropy, entropy_nm, "
                                             "height.")] = "loss",
    aggregate: Annotated[str | None, typer.Option(help="sum, max, arithmetic_mean, geometric_mean or rank "
                                                       "(multi-dimensional metrics; default: the metric's).")] = None,
    solution_out: Annotated[Path | None, typer.Option(help="Write the solution JSON here (for apply).")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Find the optimal generalization and write the anonymized table."""
    with cli_errors():
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        attrs = _attributes(qi, sensitive, identifier, attributes, insensitive)
        models: Any = privacy_model[0] if privacy_model and len(privacy_model) == 1 else (privacy_model or
                                                                                          "k-anonymity")
        opts: dict[str, Any] = {"diversity_type": diversity_type, "distance_metric": distance_metric,
                                "metric": metric}
        if aggregate is not None:
            opts["aggregate"] = aggregate
        progress = Progress(TextColumn("[bold]anonymizing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                            TimeElapsedColumn(), console=console, transient=True)
        if url:
            summary = _anonymize_remote(url, api_key, file, attrs, models, k, l, t, max_suppression, opts, progress)
            frame = None
            if output is not None and summary.get("job_id"):  # streamed from the service, any size
                from veil.cli.uploads import download_result_to

                summary.pop("data", None)
                download_result_to(url, api_key, str(summary["job_id"]), output)
            elif summary.get("data") is not None:
                import pandas as pd

                frame = pd.DataFrame(summary.pop("data"))
        else:
            import veil.tabular as vt

            with progress:
                task = progress.add_task("search", total=100)
                res = vt.anonymize(_load(file), attrs, privacy_model=models, k=k, l=l, t=t,
                                   max_suppression=max_suppression,
                                   progress=lambda f: progress.update(task, completed=100 * f), **opts)
            frame = res.data
            summary = res.to_dict(include_data=False)
            if solution_out is not None:
                solution_out.write_text(json.dumps(res.solution.to_dict(), indent=2), encoding="utf-8")
        if output is not None and frame is not None:
            from veil.io import write_table

            write_table(frame, str(output))
        if as_json:
            print_json({k_: v for k_, v in summary.items() if k_ != "solution"})
            return
        _columns_table(summary.get("columns") or [])
        _metrics_table("Anonymization", {
            "levels": ", ".join(f"{a}={v}" for a, v in summary["levels"].items()),
            "records": summary["row_count"], "suppressed": summary["suppressed_count"],
            **{f"metric {m}": v for m, v in summary["metrics"].items()},
            "optimal": summary.get("optimal"), "job_id": summary.get("job_id", "-"),
        })
        if output is not None:
            out.print(f"written to {output}")


def _anonymize_remote(url: str, api_key: str | None, file: str, attrs: list[dict[str, Any]], models: Any, k: int,
                      l: float | None, t: float | None, max_suppression: float, opts: dict[str, Any],
                      progress: Any) -> dict[str, Any]:
    from veil.cli.uploads import upload_if_large
    from veil.client import AnonymizationClient

    with AnonymizationClient(url, api_key=api_key) as sdk:
        file = upload_if_large(sdk, file)  # big local files are streamed first, with a progress bar
    with AnonymizationClient(url, api_key=api_key) as sdk, progress:
        job = sdk.submit_job(file, privacy_model=models, k=k, l=l, t=t, attributes=attrs,
                             max_suppression=max_suppression, **opts)
        task = progress.add_task("job", total=100)
        status = sdk.wait_for_job(job.job_id, poll_interval=0.5, timeout=24 * 3600,
                                  callback=lambda s: progress.update(task, completed=s.progress))
        result: dict[str, Any] = dict(status.context.get("result") or {})
        result.setdefault("job_id", job.job_id)
        return result


@app.command("apply")
def apply(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file with the same columns.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result here.")] = None,
    solution: Annotated[Path | None, typer.Option(help="Solution JSON written by anonymize --solution-out.")] = None,
    job_id: Annotated[str | None, typer.Option(help="Stored solution on the service (with --url).")] = None,
    url: Annotated[str | None, URL_OPTION] = None,
    api_key: Annotated[str | None, API_KEY_OPTION] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Re-apply a solution to new data (no new search)."""
    with cli_errors():
        import pandas as pd

        from veil.errors import InvalidInputError

        if url and job_id:
            from veil.client import AnonymizationClient

            with AnonymizationClient(url, api_key=api_key) as sdk:
                res = sdk.apply_anon(job_id, file)
            frame = pd.DataFrame(res.data or [])
            summary = {"row_count": res.row_count, "suppressed_count": res.suppressed_count, "levels": res.levels,
                       "within_suppression_limit": res.within_suppression_limit,
                       "columns": [{"name": c.name, "class": c.classification, "treatment": c.treatment,
                                    "reason": c.reason} for c in res.columns]}
        elif solution is not None:
            import veil.tabular as vt

            applied = vt.apply_solution(json.loads(solution.read_text(encoding="utf-8")), _load(file))
            frame = applied.data
            summary = {"row_count": applied.row_count, "suppressed_count": applied.suppressed_count,
                       "levels": applied.levels, "within_suppression_limit": applied.within_suppression_limit,
                       "columns": applied.columns}
        else:
            raise InvalidInputError("give --solution FILE, or --job-id with --url", field="solution")
        if output is not None:
            from veil.io import write_table

            write_table(frame, str(output))
        if as_json:
            print_json(summary)
        else:
            _columns_table(summary.get("columns") or [])
            _metrics_table("Apply", {**{k: v for k, v in summary.items() if k not in ("levels", "columns")},
                                     "levels": ", ".join(f"{a}={v}" for a, v in summary["levels"].items())})


@app.command("validate")
def validate(
    file: Annotated[str, typer.Argument(help="CSV, Parquet or JSON file.")],
    qi: Annotated[list[str] | None, typer.Option("--qi", help="Quasi-identifier column (repeat).")] = None,
    sensitive: Annotated[list[str] | None, typer.Option("--sensitive", help="Sensitive column (repeat).")] = None,
    k: Annotated[int, typer.Option("-k", help="Required k.")] = 5,
    l: Annotated[float | None, typer.Option("-l", help="Required l.")] = None,
    t: Annotated[float | None, typer.Option("-t", help="Required t.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check k / l / t and list violating classes; exit code 1 when the data fails."""
    with cli_errors():
        from rich.table import Table

        import veil.tabular as vt

        rep = vt.validate(_load(file), qi, k=k, l=l, t=t, sensitive_attributes=sensitive)
        if as_json:
            print_json(rep.to_dict())
        else:
            _metrics_table(f"Validation ({rep.model_type})", {"valid": rep.is_valid, **rep.statistics})
            if rep.violations:
                table = Table(title=f"Violating classes (first {len(rep.violations)} of {rep.violation_count})")
                table.add_column("class")
                table.add_column("size", justify="right")
                table.add_column("failed")
                for v in rep.violations[:20]:
                    table.add_row(", ".join(f"{a}={b}" for a, b in v["class"].items()), str(v["size"]),
                                  json.dumps(v["failed"]))
                out.print(table)
        if not rep.is_valid:
            raise typer.Exit(1)


@app.command("measure")
def measure(
    original: Annotated[str, typer.Argument(help="Original CSV, Parquet or JSON file.")],
    anonymized: Annotated[str, typer.Argument(help="Anonymized file (same records, same order).")],
    qi: Annotated[list[str] | None, typer.Option("--qi", help="Quasi-identifier column (repeat).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Information loss and quality metrics of an anonymized table."""
    with cli_errors():
        import veil.tabular as vt

        rep = vt.measure(_load(original), _load(anonymized), qi)
        if as_json:
            print_json(rep.to_dict())
        else:
            _metrics_table("Quality", {"information loss": rep.information_loss, **rep.metrics,
                                       "classes": rep.statistics["equivalence_classes"],
                                       "suppressed": rep.statistics["suppressed_records"]})
