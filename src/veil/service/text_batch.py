"""Batch text de-identification: a job over a JSONL or CSV file of texts.

Flow of a ``text.deid_batch`` job:

1. The input is an object in the store (an upload streamed there by the API) or a cloud
   URI read with ``VEIL_CLOUD_STORAGE_OPTIONS``. It is read as a stream and cut into
   partitions of ``partition_size`` texts, each written to the store as normalised JSONL
   (``jobs/<id>/parts/in-00000.jsonl``).
2. ``ctx.map("veil.service.text_batch:deid_partition", partitions)`` runs each partition
   through :func:`veil.text.deidentify` — in this worker, or spread over the Dask workers
   when the service runs on a cluster. Each piece writes ``out-00000.jsonl``.
3. The job concatenates the outputs, in input order, into ``jobs/<id>/result.jsonl``
   (its ``result_path``) and removes the partitions (and an uploaded input).

Output: one JSON object per input text: ``index`` (0-based position), ``id`` (when an
``id_field`` is given), ``result``, ``result_fake``, ``pii`` (when ``include_pii``) and
``output_checks_passed``; or ``index``/``id``/``error`` for a text that could not be
processed (e.g. not a string). The same functions back ``veil text deid-batch`` when it
runs locally, without a service.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from veil.errors import InvalidInputError, VeilError
from veil.jobs import register_task

if TYPE_CHECKING:
    from veil.jobs import JobContext
    from veil.service.container import Services
    from veil.store.objects import ObjectStore

KIND = "text.deid_batch"
FORMATS = ("jsonl", "csv")
DEFAULT_PARTITION_SIZE = 500
MAX_PARTITION_SIZE = 10_000
#: Texts handed to the engine per call inside a partition (the engine caps calls at 10,000 texts).
ENGINE_BATCH = 64
#: Options a batch accepts (the seed's request fields; ``link_batch`` makes no sense across a file).
OPTION_NAMES = (
    "accuracy_mode",
    "enabled_classes",
    "unique_pii_markers",
    "marker_format",
    "allow_list",
    "block_list",
    "fake_entity_accuracy_mode",
    "preserve_relationships",
)


@dataclass(frozen=True)
class BatchSpec:
    """How to read the input and what to do with each text (validated, JSON-able)."""

    fmt: str = "jsonl"
    text_field: str = "text"
    id_field: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    include_pii: bool = True
    partition_size: int = DEFAULT_PARTITION_SIZE

    def to_dict(self) -> dict[str, Any]:
        return {
            "fmt": self.fmt,
            "text_field": self.text_field,
            "id_field": self.id_field,
            "options": dict(self.options),
            "include_pii": self.include_pii,
            "partition_size": self.partition_size,
        }


def detect_batch_format(name: str | None, fmt: str | None) -> str:
    """``jsonl`` or ``csv`` from an explicit format or the file name (``.jsonl``, ``.ndjson``, ``.csv``)."""
    if fmt:
        f = fmt.lower().lstrip(".")
        f = {"ndjson": "jsonl", "json": "jsonl"}.get(f, f)
        if f not in FORMATS:
            raise InvalidInputError("format must be jsonl or csv", field="format")
        return f
    lower = (name or "").lower()
    for suffix in (".gz", ".bz2", ".zst", ".xz"):
        lower = lower.removesuffix(suffix)
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    raise InvalidInputError("cannot tell the format from the name; give format jsonl or csv", field="format")


def make_spec(
    *,
    fmt: str,
    text_field: str = "text",
    id_field: str | None = None,
    options: Mapping[str, Any] | None = None,
    include_pii: bool = True,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    recognizers: list[dict[str, Any]] | None = None,
) -> BatchSpec:
    """Validate everything a batch needs before any work starts (errors name the field);
    ``recognizers``: the caller's stored ones (their types are valid ``enabled_classes``)."""
    if not text_field or len(text_field) > 256:
        raise InvalidInputError("text_field must be 1-256 characters", field="text_field")
    if id_field is not None and (not id_field or len(id_field) > 256):
        raise InvalidInputError("id_field must be 1-256 characters", field="id_field")
    if not 1 <= int(partition_size) <= MAX_PARTITION_SIZE:
        raise InvalidInputError(f"partition_size must be 1-{MAX_PARTITION_SIZE}", field="partition_size")
    opts = dict(options or {})
    for name in opts:
        if name not in OPTION_NAMES:
            raise InvalidInputError(
                f"unknown option '{name[:64]}'; use {', '.join(OPTION_NAMES)}", field=f"options.{name[:64]}"
            )
    build_options(opts, recognizers)  # validates values
    return BatchSpec(
        fmt=detect_batch_format(None, fmt),
        text_field=text_field,
        id_field=id_field,
        options=opts,
        include_pii=bool(include_pii),
        partition_size=int(partition_size),
    )


SERVER_MARK = "server"  # a definition from VEIL_TEXT_RECOGNIZERS_FILE among a job's recognizers


def batch_recognizers(services: Services, principal: str) -> list[dict[str, Any]]:
    """The recognizers a batch job of ``principal`` uses, fixed at submission: the caller's
    stored ones and the server-wide ones of ``VEIL_TEXT_RECOGNIZERS_FILE`` (marked)."""
    from veil.service.text import server_recognizers
    from veil.service.text_recognizers import stored_specs

    return stored_specs(services, principal) + [
        {**spec.to_dict(), SERVER_MARK: True} for spec in server_recognizers(services)
    ]


def build_options(opts: Mapping[str, Any], recognizers: list[dict[str, Any]] | None = None) -> Any:
    """``DeidentifyOptions`` from plain data, validated; ``recognizers`` are stored
    user-defined recognizers (JSON definitions, see ``veil.service.text_recognizers``)."""
    from veil.text import DeidentifyOptions

    values = dict(opts)
    own = [r for r in recognizers or () if not r.get(SERVER_MARK)]
    server = [r for r in recognizers or () if r.get(SERVER_MARK)]
    if own:
        from veil.service.text_recognizers import from_specs

        values["custom_recognizers"] = from_specs(own)
    if server:
        from veil.text import RecognizerSpec

        values["server_recognizers"] = [
            RecognizerSpec.from_dict({k: v for k, v in r.items() if k != SERVER_MARK}) for r in server
        ]
    try:
        options = DeidentifyOptions(**values)
    except TypeError as exc:
        raise InvalidInputError(f"invalid options: {exc}", field="options") from None
    try:
        options.validate()
    except InvalidInputError as exc:
        raise InvalidInputError(
            exc.message, field=f"options.{exc.field}" if exc.field else "options"
        ) from None
    return options


# --------------------------------------------------------------------------- reading input
def iter_records(fh: IO[bytes], spec: BatchSpec) -> Iterator[dict[str, Any]]:
    """Stream ``{"i", "id", "text"}`` records from a JSONL or CSV byte stream."""
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="strict", newline="")
    index = 0
    try:
        if spec.fmt == "jsonl":
            for line_no, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    raise InvalidInputError(f"line {line_no} is not valid JSON", field="file") from None
                if isinstance(obj, str):
                    yield {"i": index, "id": None, "text": obj}
                elif isinstance(obj, dict):
                    if spec.text_field not in obj:
                        raise InvalidInputError(
                            f"line {line_no} has no '{spec.text_field}' field", field="text_field"
                        )
                    yield {
                        "i": index,
                        "id": obj.get(spec.id_field) if spec.id_field else None,
                        "text": obj[spec.text_field],
                    }
                else:
                    raise InvalidInputError(f"line {line_no} must be a JSON object or string", field="file")
                index += 1
            return
        sample = text.read(65536)
        try:
            dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0] or ",", delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(_chain(sample, text), dialect=dialect)
        if reader.fieldnames is None:
            raise InvalidInputError("the CSV file is empty", field="file")
        if spec.text_field not in reader.fieldnames:
            raise InvalidInputError(f"the CSV has no '{spec.text_field}' column", field="text_field")
        if spec.id_field and spec.id_field not in reader.fieldnames:
            raise InvalidInputError(f"the CSV has no '{spec.id_field}' column", field="id_field")
        for row in reader:
            yield {
                "i": index,
                "id": row.get(spec.id_field) if spec.id_field else None,
                "text": row.get(spec.text_field),
            }
            index += 1
    except UnicodeDecodeError:
        raise InvalidInputError("the file is not UTF-8 text", field="file") from None
    except csv.Error as exc:
        raise InvalidInputError(f"malformed CSV: {str(exc)[:120]}", field="file") from None
    finally:
        text.detach()


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    buf = io.StringIO(first)
    yield from buf
    yield from rest


def partitions(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    part: list[dict[str, Any]] = []
    for rec in records:
        part.append(rec)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


# --------------------------------------------------------------------------- processing
def deid_records(
    records: list[dict[str, Any]],
    options: Mapping[str, Any],
    *,
    include_pii: bool = True,
    pseudonym_secret: bytes | None = None,
    recognizers: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """De-identify a list of ``{"i", "id", "text"}`` records; one output object per record.

    A record whose text is not a string, is not valid Unicode (a lone surrogate), or that
    the engine refuses, gets an ``error`` entry instead of failing the whole batch.
    """
    from veil.text import deidentify

    opts = build_options(options, recognizers)
    out: list[dict[str, Any] | None] = [None] * len(records)
    good = [(k, r) for k, r in enumerate(records) if _usable(r.get("text"))]
    for k, rec in enumerate(records):
        if not isinstance(rec.get("text"), str):
            out[k] = _error_line(rec, "the text is missing or not a string")
        elif not _usable(rec["text"]):
            out[k] = _error_line(rec, "the text is not valid Unicode (an unpaired surrogate)")
        if rec.get("id") is not None and not _encodable(rec["id"]):
            rec["id"] = None
    for start in range(0, len(good), ENGINE_BATCH):
        chunk = good[start : start + ENGINE_BATCH]
        results: list[Any]
        try:
            results = deidentify([r["text"] for _, r in chunk], opts, pseudonym_secret=pseudonym_secret)
        except VeilError:
            results = []
            for k, rec in chunk:  # find the offending text(s); keep the rest
                try:
                    results.extend(deidentify([rec["text"]], opts, pseudonym_secret=pseudonym_secret))
                except VeilError as exc:
                    out[k] = _error_line(rec, exc.message)
                    results.append(None)
        for (k, rec), res in zip(chunk, results, strict=True):
            if res is None:
                continue
            line = _base_line(rec)
            body = res.to_dict()
            line["result"] = body["result"]
            line["result_fake"] = body["result_fake"]
            if include_pii:
                line["pii"] = body["pii"]
            line["output_checks_passed"] = body["output_checks_passed"]
            out[k] = line
    return [o for o in out if o is not None]


def _usable(text: object) -> bool:
    return isinstance(text, str) and _encodable(text)


def _encodable(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return True


def _base_line(rec: Mapping[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = {"index": rec["i"]}
    if rec.get("id") is not None:
        line["id"] = rec["id"]
    return line


def _error_line(rec: Mapping[str, Any], message: str) -> dict[str, Any]:
    line = _base_line(rec)
    line["error"] = message
    return line


def dumps_lines(lines: Iterable[Mapping[str, Any]]) -> bytes:
    """JSONL bytes; a line holding text that is not valid Unicode (a lone surrogate read
    from a JSONL input) is written with ASCII escapes, so it reads back unchanged."""
    return b"".join(_dump_line(line) + b"\n" for line in lines)


def _dump_line(line: Mapping[str, Any]) -> bytes:
    try:
        return json.dumps(line, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(line).encode()


@lru_cache(maxsize=16)
def _store(root: str, options_json: str) -> ObjectStore:
    from veil.store.objects import ObjectStore

    return ObjectStore(root, json.loads(options_json))


def deid_partition(item: dict[str, Any]) -> dict[str, Any]:
    """One piece of a batch job (top-level so Dask workers can import it): read a partition
    from the store, de-identify it, write its output next to it. Returns counts only."""
    store = _store(item["root"], json.dumps(item.get("storage_options") or {}, sort_keys=True))
    records = [json.loads(line) for line in store.get(item["in"]).splitlines() if line.strip()]
    secret = bytes.fromhex(item["secret"]) if item.get("secret") else None
    lines = deid_records(
        records,
        item["options"],
        include_pii=item["include_pii"],
        pseudonym_secret=secret,
        recognizers=item.get("recognizers"),
    )
    store.put(item["out"], dumps_lines(lines))
    errors = sum(1 for line in lines if "error" in line)
    entities = sum(len(line.get("pii") or ()) for line in lines)
    return {"texts": len(lines), "errors": errors, "entities": entities}


# --------------------------------------------------------------------------- service API
def upload_key() -> str:
    return f"uploads/text_batch/{uuid.uuid4().hex}"


def submit_batch(
    services: Any,
    principal: str,
    spec: BatchSpec,
    *,
    input_key: str | None = None,
    input_uri: str | None = None,
    delete_input: bool = False,
    recognizers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Queue a ``text.deid_batch`` job over an object-store key or a cloud URI.

    ``recognizers``: the principal's stored recognizers (``None``: read them now); the job
    uses the ones stored at submission time."""
    from veil.io.tables import is_cloud_uri

    if (input_key is None) == (input_uri is None):
        raise InvalidInputError("give exactly one of an upload or input_uri", field="input_uri")
    if input_uri is not None and not is_cloud_uri(input_uri):
        raise InvalidInputError(
            "input_uri must be a cloud URI (s3://, gs://, az://); upload local files instead",
            field="input_uri",
        )
    if input_uri is not None:  # memory:// and other tenants' prefixes (veil.service.inputs)
        from veil.service.inputs import resolve_uri

        resolve_uri(services, principal, input_uri, field="input_uri")
    if recognizers is None:
        recognizers = batch_recognizers(services, principal)
    params = {
        "spec": spec.to_dict(),
        "recognizers": recognizers,
        "input_key": input_key,
        "input_uri": input_uri,
        "delete_input": bool(delete_input and input_key is not None),
    }
    return dict(services.jobs.submit(KIND, params, principal, message="queued"))


def _open_input(ctx: JobContext, params: Mapping[str, Any]) -> IO[bytes]:
    import fsspec

    if params.get("input_key"):
        return ctx.store.open(params["input_key"], "rb")
    uri = str(params["input_uri"])
    try:
        fh: IO[bytes] = fsspec.open(
            uri, "rb", compression="infer", **dict(ctx.settings.cloud_storage_options)
        ).open()
    except FileNotFoundError:
        raise InvalidInputError("input_uri does not exist", field="input_uri") from None
    except Exception as exc:
        raise InvalidInputError(f"cannot read input_uri: {type(exc).__name__}", field="input_uri") from None
    return fh


def deid_batch_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """The ``text.deid_batch`` job (see the module docstring)."""
    spec = BatchSpec(**params["spec"])
    prefix = f"jobs/{ctx.job_id}"
    store = ctx.store
    store.delete_prefix(f"{prefix}/parts")  # a re-run after a lost worker starts clean
    ctx.progress(0, step="partitioning", force=True)
    items: list[dict[str, Any]] = []
    secret = ctx.settings.pseudonym_secret
    try:
        with _open_input(ctx, params) as fh:
            for n, part in enumerate(partitions(iter_records(fh, spec), spec.partition_size)):
                ctx.check_cancelled()
                key_in, key_out = f"{prefix}/parts/in-{n:05d}.jsonl", f"{prefix}/parts/out-{n:05d}.jsonl"
                store.put(key_in, dumps_lines(part))
                items.append(
                    {
                        "root": store.root,
                        "storage_options": store.storage_options,
                        "in": key_in,
                        "out": key_out,
                        "options": spec.options,
                        "include_pii": spec.include_pii,
                        "recognizers": params.get("recognizers") or None,
                        "secret": secret.get_secret_value().encode().hex() if secret else None,
                    }
                )
        if not items:
            raise InvalidInputError("the file holds no texts", field="file")
        counts = ctx.map(
            "veil.service.text_batch:deid_partition", items, start=5, end=95, step="de-identifying"
        )
        ctx.check_cancelled()
        ctx.progress(95, step="writing result", force=True)
        result_key = f"{prefix}/result.jsonl"
        store.put_stream(result_key, (store.get(item["out"]) for item in items))
    finally:
        store.delete_prefix(f"{prefix}/parts")
    if params.get("delete_input") and params.get("input_key"):
        store.delete(params["input_key"])
    return {
        "result_path": store.uri(result_key),
        "result_key": result_key,
        "texts": sum(c["texts"] for c in counts),
        "errors": sum(c["errors"] for c in counts),
        "entities": sum(c["entities"] for c in counts),
        "partitions": len(items),
    }


def result_key(services: Any, job_id: str, principal: str) -> str:
    """The store key of a completed batch job's output (404 / 409 otherwise)."""
    from veil.errors import ConflictError, NotFoundError

    job = services.jobs.get(job_id, principal)
    if job["kind"] != KIND:
        raise NotFoundError(f"job '{job_id[:64]}' is not a text batch job", field="job_id")
    if job["status"] != "completed":
        raise ConflictError(
            f"the job is {job['status']}; the result exists once it completes", field="job_id"
        )
    key = (job.get("context") or {}).get("result", {}).get("result_key")
    if not key or not services.store.exists(key):
        raise NotFoundError("the result of this job is no longer stored", field="job_id")
    return str(key)


register_task(KIND, "veil.service.text_batch:deid_batch_task")
