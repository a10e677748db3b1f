"""Service layer of the record-linkage hashing API (seed 000) over :mod:`veil.pprl`.

* A **project** holds a linkage schema and the caller's keys, encrypted with the server's
  ``SecretBox``; keys are never returned, logged or written to the audit log.
* An **upload** is streamed to the object store by the API, then cut into chunks of whole CSV
  records (:func:`veil.pprl.split_csv`, no full parse); each chunk becomes an object and a
  ``pprl.hash_chunk`` job. The project's next index is advanced in the same transaction
  that records the chunks, so indices are global within the project and only grow.
* A **chunk job** claims its chunk, hashes it, stores one ``pprl_clks`` row per record (CLK
  or per-record error) and deletes the chunk's raw rows from the store.
* Deleting a range removes computed CLKs, drops pending chunks it covers (their raw rows and
  their jobs), blanks the deleted records of partially covered pending chunks, and records
  the range so a chunk being hashed right now discards those records.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from veil.errors import ConflictError, InvalidInputError, JobCancelledError, NotFoundError, VeilError
from veil.jobs import register_task
from veil.pprl import ClkEncoder, check_header, make_keys, parse_chunk, parse_schema, split_csv
from veil.store.models.base import new_id, utcnow
from veil.store.models.pprl import PprlChunk, PprlClk, PprlDeletion, PprlProject

if TYPE_CHECKING:
    from veil.jobs import JobContext
    from veil.service.container import Services

KIND = "pprl.hash_chunk"
CHUNK_ROWS = 10_000
MAX_FETCH = 100_000
MAX_KEY_CHARS = 4096
PROJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
QUEUED, IN_PROGRESS, DONE, ERROR = "queued", "in_progress", "done", "error"
_INSERT_BATCH = 2_000


# --------------------------------------------------------------------------- helpers


def _check_project_id(project_id: str) -> str:
    if not isinstance(project_id, str) or not PROJECT_ID.fullmatch(project_id):
        raise InvalidInputError(
            "project ids are 1-128 characters: letters, digits, '.', '_', '~', '-' (not first)",
            field="project_id",
        )
    return project_id


def _load(s: Session, principal: str, project_id: str, *, lock: bool = False) -> PprlProject:
    query = select(PprlProject).where(PprlProject.principal == principal, PprlProject.project_id == project_id)
    if lock:
        query = query.with_for_update()
    project = s.execute(query).scalar_one_or_none()
    if project is None:
        raise NotFoundError(f"project '{project_id[:128]}' not found", field="project_id")
    return project


def _chunk_key(project_uuid: str, chunk_id: str) -> str:
    return f"pprl/{project_uuid}/chunks/{chunk_id}.csv"


def upload_key() -> str:
    """Object key for a raw upload being streamed in (deleted once it is cut into chunks)."""
    return f"pprl/uploads/{new_id()}.csv"


_ENCODERS: OrderedDict[str, ClkEncoder] = OrderedDict()
_ENCODERS_LOCK = threading.Lock()


def _encoder(services: Any, project_uuid: str, schema: dict[str, Any], keys_token: str) -> ClkEncoder:
    """Encoders are kept per project (bounded) so their caches stay warm across chunks."""
    cache_key = project_uuid + ":" + hashlib.sha256(keys_token.encode()).hexdigest()
    with _ENCODERS_LOCK:
        cached = _ENCODERS.get(cache_key)
        if cached is not None:
            _ENCODERS.move_to_end(cache_key)
            return cached
    keys = json.loads(services.secrets.decrypt(keys_token))
    encoder = ClkEncoder(schema, **keys)
    with _ENCODERS_LOCK:
        _ENCODERS[cache_key] = encoder
        while len(_ENCODERS) > 8:
            _ENCODERS.popitem(last=False)
    return encoder


def _forget_encoders(project_uuid: str) -> None:
    with _ENCODERS_LOCK:
        for key in [k for k in _ENCODERS if k.startswith(project_uuid + ":")]:
            del _ENCODERS[key]


# --------------------------------------------------------------------------- projects


def create_project(
    services: Services,
    principal: str,
    project_id: str,
    schema: Any,
    *,
    key1: str | None = None,
    key2: str | None = None,
    secret: str | None = None,
) -> dict[str, Any]:
    """Validate the schema and keys, then store the project (keys encrypted). 409 if it exists."""
    _check_project_id(project_id)
    for name, value in (("key1", key1), ("key2", key2), ("secret", secret)):
        if value is not None and (not isinstance(value, str) or len(value) > MAX_KEY_CHARS):
            raise InvalidInputError(f"{name} must be a string of at most {MAX_KEY_CHARS} characters", field=name)
    if not isinstance(schema, dict):
        raise InvalidInputError("the request body must be a linkage schema (a JSON object)", field="schema")
    keys = make_keys(secret=secret, key1=key1, key2=key2)
    parsed = parse_schema(schema)
    ClkEncoder(parsed, keys=keys)  # mode-specific checks (e.g. HKDF length) before anything is stored
    stored_keys = {"secret": secret} if keys.mode == "secret" else {"key1": key1, "key2": key2}
    project = PprlProject(
        id=new_id(),
        principal=principal,
        project_id=project_id,
        mode=keys.mode,
        schema=schema,
        keys_token=services.secrets.encrypt(json.dumps(stored_keys)),
        next_index=0,
        created_at=utcnow(),
    )
    with services.db.session() as s:
        exists = s.execute(
            select(PprlProject.id).where(PprlProject.principal == principal, PprlProject.project_id == project_id)
        ).first()
        if exists is not None:
            raise ConflictError(f"project '{project_id}' already exists", field="project_id")
        s.add(project)
    return {
        "project_id": project_id,
        "mode": keys.mode,
        "schema_version": parsed.version,
        "features": len(parsed.features),
        "created_at": project.created_at.isoformat(),
    }


def list_projects(services: Services, principal: str) -> list[str]:
    with services.db.session() as s:
        rows = s.execute(
            select(PprlProject.project_id).where(PprlProject.principal == principal).order_by(PprlProject.project_id)
        ).scalars()
        return list(rows)


def delete_project(services: Services, principal: str, project_id: str) -> None:
    """Delete the project, its CLKs and raw rows, and cancel its hashing jobs."""
    with services.db.session() as s:
        project = _load(s, principal, project_id)
        project_uuid = project.id
        job_ids = [j for j in s.execute(select(PprlChunk.job_id).where(PprlChunk.project == project_uuid)).scalars() if j]
        s.execute(delete(PprlClk).where(PprlClk.project == project_uuid))
        s.execute(delete(PprlChunk).where(PprlChunk.project == project_uuid))
        s.execute(delete(PprlDeletion).where(PprlDeletion.project == project_uuid))
        s.delete(project)
    _cancel_jobs(services, job_ids)
    services.jobs.cancel_where(KIND, lambda params: params.get("project") == project_uuid)
    services.store.delete_prefix(f"pprl/{project_uuid}")
    _forget_encoders(project_uuid)


def _cancel_jobs(services: Services, job_ids: Iterable[str]) -> None:
    for job_id in job_ids:
        with contextlib.suppress(ConflictError, NotFoundError):
            services.jobs.cancel(job_id)


# --------------------------------------------------------------------------- uploads


def require_project(services: Services, principal: str, project_id: str) -> None:
    """404 before an upload is streamed in for a project that does not exist."""
    with services.db.session() as s:
        _load(s, principal, project_id)


def ingest_upload(
    services: Services, principal: str, project_id: str, key: str, *, header: bool = True
) -> dict[str, int]:
    """Cut an uploaded CSV (object ``key``) into chunks, allocate indices and queue the jobs.

    The upload object is always deleted. A wrong header, invalid UTF-8 or malformed CSV is a
    400 and leaves nothing behind.
    """
    written: list[tuple[str, str, int, int]] = []  # chunk id, object key, first record, rows
    try:
        with services.db.session() as s:
            project = _load(s, principal, project_id)
            project_uuid, schema = project.id, project.schema
        with services.store.open(key, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            header_cells, chunks = split_csv(text, CHUNK_ROWS, header=header)
            if header_cells is not None:
                check_header(parse_schema(schema), header_cells)
            for chunk in chunks:
                chunk_id = new_id()
                object_key = _chunk_key(project_uuid, chunk_id)
                services.store.put(object_key, chunk.text.encode("utf-8"))
                written.append((chunk_id, object_key, chunk.first, chunk.rows))
    except BaseException:
        for _, object_key, _, _ in written:
            services.store.delete(object_key)
        raise
    finally:
        services.store.delete(key)
    total = sum(rows for *_, rows in written)
    jobs: list[tuple[str, str]] = []
    try:
        with services.db.session() as s:
            project = _load(s, principal, project_id, lock=True)
            if project.id != project_uuid:
                raise NotFoundError(f"project '{project_id}' not found", field="project_id")
            start = project.next_index
            project.next_index = start + total
            now = utcnow()
            for chunk_id, object_key, first, rows in written:
                job_id = new_id()
                jobs.append((job_id, chunk_id))
                s.add(PprlChunk(
                    id=chunk_id, project=project_uuid, principal=principal, start_index=start + first,
                    row_count=rows, status=QUEUED, object_key=object_key, job_id=job_id,
                    created_at=now, updated_at=now,
                ))
    except BaseException:
        for _, object_key, _, _ in written:
            services.store.delete(object_key)
        raise
    for job_id, chunk_id in jobs:
        services.jobs.submit(
            KIND, {"project": project_uuid, "chunk_id": chunk_id}, principal,
            job_id=job_id, message="hashing queued",
        )
    return {"clk_number": total, "clk_start_index": start}


# --------------------------------------------------------------------------- the job


def hash_chunk_task(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Hash one pending chunk (idempotent: a chunk already taken or deleted is skipped)."""
    chunk_id = str(params.get("chunk_id", ""))
    with ctx.db.session() as s:
        claimed = s.execute(
            update(PprlChunk)
            .where(
                PprlChunk.id == chunk_id,
                or_(PprlChunk.status == QUEUED,
                    and_(PprlChunk.status == IN_PROGRESS, PprlChunk.job_id == ctx.job_id)),
            )
            .values(status=IN_PROGRESS, job_id=ctx.job_id, updated_at=utcnow())
        ).rowcount  # type: ignore[attr-defined]
        if not claimed:
            return {"skipped": True}
        chunk = s.get(PprlChunk, chunk_id)
        assert chunk is not None
        project = s.get(PprlProject, chunk.project)
        if project is None:
            return {"skipped": True}
        start, count, object_key = chunk.start_index, chunk.row_count, chunk.object_key
        project_uuid, mode, schema, token = project.id, project.mode, project.schema, project.keys_token
    ctx.progress(5, step="hashing", force=True)
    try:
        encoder = _encoder(ctx.services, project_uuid, schema, token)
        try:
            text = ctx.store.get(object_key or "").decode("utf-8")
        except NotFoundError:
            return {"skipped": True}  # deleted while we started
        rows = parse_chunk(text, strip_cells=mode == "two-key")
        del text
        if len(rows) != count:
            raise InvalidInputError("the stored chunk does not match its record count", field="data")
        ctx.check_cancelled()
        clks, errors = encoder.encode_chunk(rows, start)
        del rows
        ctx.check_cancelled()
        ctx.progress(70, step="storing", force=True)
        written = _store_results(ctx, chunk_id, project_uuid, start, clks, errors)
    except JobCancelledError:
        _fail_chunk(ctx, chunk_id, object_key, "hashing was cancelled")
        raise
    except VeilError as exc:
        _fail_chunk(ctx, chunk_id, object_key, exc.message)
        raise
    except Exception:
        _fail_chunk(ctx, chunk_id, object_key, "internal error while hashing")
        raise
    ctx.store.delete(object_key or "")
    return {"records": written, "errors": len(errors)}


def _store_results(
    ctx: JobContext, chunk_id: str, project_uuid: str, start: int, clks: list[str | None], errors: dict[int, str]
) -> int:
    end = start + len(clks)
    with ctx.db.session() as s:
        # First statement takes the chunk's row lock (PostgreSQL) / the write lock (SQLite), so a
        # concurrent range deletion is either fully visible here or runs after this commit.
        mine = s.execute(
            update(PprlChunk)
            .where(PprlChunk.id == chunk_id, PprlChunk.status == IN_PROGRESS, PprlChunk.job_id == ctx.job_id)
            .values(updated_at=utcnow())
        ).rowcount  # type: ignore[attr-defined]
        if not mine:
            return 0
        deleted = [
            (a, b)
            for a, b in s.execute(
                select(PprlDeletion.start_index, PprlDeletion.end_index).where(
                    PprlDeletion.project == project_uuid, PprlDeletion.end_index > start, PprlDeletion.start_index < end
                )
            ).all()
        ]
        keep = [True] * len(clks)
        for a, b in deleted:
            for i in range(max(a, start), min(b, end)):
                keep[i - start] = False
        values = [
            {"project": project_uuid, "idx": start + i, "status": DONE if clk is not None else ERROR,
             "clk": clk, "err_msg": None if clk is not None else errors.get(i, "invalid record")}
            for i, clk in enumerate(clks)
            if keep[i]
        ]
        for b in range(0, len(values), _INSERT_BATCH):
            s.execute(insert(PprlClk), values[b:b + _INSERT_BATCH])
        s.execute(delete(PprlChunk).where(PprlChunk.id == chunk_id))
    return len(values)


def _fail_chunk(ctx: JobContext, chunk_id: str, object_key: str | None, message: str) -> None:
    """A chunk that cannot be hashed is reported as an error range; its raw rows are dropped."""
    with contextlib.suppress(Exception), ctx.db.session() as s:
        s.execute(
            update(PprlChunk)
            .where(PprlChunk.id == chunk_id, PprlChunk.status == IN_PROGRESS)
            .values(status=ERROR, error=message[:1000], object_key=None, updated_at=utcnow())
        )
    if object_key:
        with contextlib.suppress(Exception):
            ctx.store.delete(object_key)


register_task(KIND, "veil.service.pprl:hash_chunk_task")


# --------------------------------------------------------------------------- reading and deleting


def _snapshot(s: Session) -> None:
    """Make the session's reads one consistent snapshot (PostgreSQL defaults to per-statement).

    Status and fetches read the pending chunks and the computed CLKs in two statements; a chunk
    finishing in between must not be counted twice. On SQLite a read transaction is a snapshot,
    but Python's sqlite3 driver opens none before a SELECT (each statement reads the newest
    data), so one is begun here explicitly; the session's commit or rollback ends it.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    conn = s.connection()
    raw = conn.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        conn.exec_driver_sql("BEGIN")


def _check_range(next_index: int, offset: int, limit: int) -> int:
    if offset < 0:
        raise InvalidInputError("offset must be at least 0", field="offset")
    if limit < 0:
        raise InvalidInputError("limit must be at least 0", field="limit")
    if limit > 0 and offset >= next_index:
        raise InvalidInputError(
            f"offset {offset} is out of range: the project has {next_index} records", field="offset"
        )
    return min(offset + limit, next_index)


def _subtract(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) minus the (sorted or not) holes, as sorted disjoint pieces."""
    pieces = [(start, end)]
    for a, b in holes:
        nxt = []
        for s0, e0 in pieces:
            if b <= s0 or a >= e0:
                nxt.append((s0, e0))
                continue
            if s0 < a:
                nxt.append((s0, a))
            if b < e0:
                nxt.append((b, e0))
        pieces = nxt
    return pieces


def _pending_ranges(
    s: Session, project_uuid: str, lo: int, hi: int
) -> list[tuple[int, int, str, str | None]]:
    """(start, end, status, error) of chunk ranges within [lo, hi), deletions removed."""
    chunks = s.execute(
        select(PprlChunk.start_index, PprlChunk.row_count, PprlChunk.status, PprlChunk.error).where(
            PprlChunk.project == project_uuid,
            PprlChunk.start_index < hi,
            PprlChunk.start_index + PprlChunk.row_count > lo,
        )
    ).all()
    if not chunks:
        return []
    holes = [
        (a, b)
        for a, b in s.execute(
            select(PprlDeletion.start_index, PprlDeletion.end_index).where(
                PprlDeletion.project == project_uuid, PprlDeletion.end_index > lo, PprlDeletion.start_index < hi
            )
        ).all()
    ]
    out = []
    for start, rows, status, error in chunks:
        for a, b in _subtract(max(start, lo), min(start + rows, hi), holes):
            out.append((a, b, status, error))
    return sorted(out)


def clks_status(services: Services, principal: str, project_id: str) -> list[dict[str, Any]]:
    """Contiguous ranges of records with status queued, in_progress, done or error."""
    with services.db.session() as s:
        _snapshot(s)
        project = _load(s, principal, project_id)
        ranges: list[tuple[int, int, str]] = [
            (a, b, status) for a, b, status, _ in _pending_ranges(s, project.id, 0, project.next_index)
        ]
        run_start = run_end = -1
        run_status = ""
        rows = s.execute(
            select(PprlClk.idx, PprlClk.status).where(PprlClk.project == project.id).order_by(PprlClk.idx)
        ).yield_per(10_000)
        for idx, status in rows:
            if idx == run_end and status == run_status:
                run_end += 1
                continue
            if run_start >= 0:
                ranges.append((run_start, run_end, run_status))
            run_start, run_end, run_status = idx, idx + 1, status
        if run_start >= 0:
            ranges.append((run_start, run_end, run_status))
    ranges.sort()
    merged: list[list[Any]] = []
    for a, b, status in ranges:
        if merged and merged[-1][1] == a and merged[-1][2] == status:
            merged[-1][1] = b
        else:
            merged.append([a, b, status])
    return [{"index": a, "count": b - a, "status": status} for a, b, status in merged]


def get_clks(services: Services, principal: str, project_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """One entry per existing record in [offset, offset + limit): index, status, hash, errMsg."""
    if limit > MAX_FETCH:
        raise InvalidInputError(f"limit must be at most {MAX_FETCH}", field="limit")
    with services.db.session() as s:
        _snapshot(s)
        project = _load(s, principal, project_id)
        end = _check_range(project.next_index, offset, limit)
        if end <= offset:
            return []
        entries: dict[int, dict[str, Any]] = {}
        for a, b, status, error in _pending_ranges(s, project.id, offset, end):
            message = error if status == ERROR else None
            for i in range(a, b):
                entries[i] = {"index": i, "status": status, "hash": None, "errMsg": message}
        for idx, status, clk, err in s.execute(
            select(PprlClk.idx, PprlClk.status, PprlClk.clk, PprlClk.err_msg).where(
                PprlClk.project == project.id, PprlClk.idx >= offset, PprlClk.idx < end
            )
        ).all():
            entries[idx] = {"index": idx, "status": status, "hash": clk, "errMsg": err}
    return [entries[i] for i in sorted(entries)]


def delete_clks(services: Services, principal: str, project_id: str, offset: int, limit: int) -> int:
    """Delete computed CLKs in range, drop pending work and raw rows; returns records affected."""
    objects: list[str] = []
    jobs: list[str] = []
    rewrites: list[tuple[str, int, list[tuple[int, int]]]] = []
    with services.db.session() as s:
        project = _load(s, principal, project_id)
        end = _check_range(project.next_index, offset, limit)
        if end <= offset:
            return 0
        chunks = s.execute(
            select(PprlChunk)
            .where(
                PprlChunk.project == project.id,
                PprlChunk.start_index < end,
                PprlChunk.start_index + PprlChunk.row_count > offset,
            )
            .with_for_update()
        ).scalars().all()
        recorded = False
        for chunk in chunks:
            c_end = chunk.start_index + chunk.row_count
            if offset <= chunk.start_index and c_end <= end:
                if chunk.object_key:
                    objects.append(chunk.object_key)
                if chunk.job_id:
                    jobs.append(chunk.job_id)
                s.delete(chunk)
                continue
            if not recorded:
                s.add(PprlDeletion(id=new_id(), project=project.id, start_index=offset, end_index=end,
                                   created_at=utcnow()))
                recorded = True
            if chunk.status == QUEUED and chunk.object_key:
                lo, hi = max(offset, chunk.start_index), min(end, c_end)
                rewrites.append((chunk.object_key, chunk.start_index, [(lo, hi)]))
        s.execute(delete(PprlClk).where(PprlClk.project == project.id, PprlClk.idx >= offset, PprlClk.idx < end))
    _cancel_jobs(services, jobs)
    for key in objects:
        services.store.delete(key)
    for key, first, ranges in rewrites:
        _blank_records(services, key, first, ranges)
    return end - offset


def _blank_records(services: Services, key: str, first: int, ranges: list[tuple[int, int]]) -> None:
    """Replace deleted records of a pending chunk by empty lines (the count stays the same)."""
    try:
        text = services.store.get(key).decode("utf-8")
    except NotFoundError:
        return  # hashed (and deleted) in the meantime
    _, records = split_csv(io.StringIO(text, newline=""), 1, header=False)
    parts = []
    for chunk in records:
        index = first + chunk.first
        gone = any(a <= index < b for a, b in ranges)
        parts.append("\n" if gone else chunk.text)
    with contextlib.suppress(NotFoundError):
        if services.store.exists(key):
            services.store.put(key, "".join(parts).encode("utf-8"))
