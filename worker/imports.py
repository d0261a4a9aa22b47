"""The import job: an export an owner uploaded (``service/importing/api.py``), run through the
same engine as ``parley import``. Progress goes to the ``imports`` row as batches commit; the
uploaded bytes are dropped once the import has finished, either way."""

from __future__ import annotations

import io
import logging

import sqlalchemy as sa

from service.importing.engine import ImportOptions, run_import
from service.importing.files import open_stream
from service.importing.records import ImportFileError
from service.importing.sources import reader_for
from service.models import ImportJob, Site, utcnow
from worker import runtime

log = logging.getLogger(__name__)


def _finish(rt, import_id: int, **values) -> None:
    with rt.session() as session:
        session.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == import_id)
            .values(payload=None, finished_at=utcnow(), **values)
        )
        session.commit()


def run_import_job(import_id: int) -> str:
    rt = runtime.get()
    with rt.session() as session:
        # Compare-and-set: a second delivery of the same job finds it running and leaves.
        claimed = session.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == import_id, ImportJob.state == "queued")
            .values(state="running")
        ).rowcount
        session.commit()
        if not claimed:
            return "not queued"
        job = session.get(ImportJob, import_id)
        payload, fmt, opts = job.payload or b"", job.format, dict(job.options or {})
        options = ImportOptions(
            source=fmt,
            map_url=tuple((old, new) for old, new in opts.get("map_url", [])),
            keep_spam=bool(opts.get("keep_spam")),
            with_pingbacks=bool(opts.get("with_pingbacks")),
            dry_run=bool(opts.get("dry_run")),
            actor=job.created_by,
            filename=job.filename,
        )
        site_id = job.site_id

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage != "importing":
            return
        with rt.session() as tick:
            tick.execute(
                sa.update(ImportJob)
                .where(ImportJob.id == import_id)
                .values(processed=done, total=total)
            )
            tick.commit()

    try:
        with rt.session() as session:
            site = session.get(Site, site_id)
            stream = open_stream(io.BytesIO(payload))
            report = run_import(
                session, site, reader_for(fmt)(stream), options, rt.settings.secret_key, progress
            )
    except ImportFileError as error:
        _finish(rt, import_id, state="failed", error=str(error)[:2000])
        return "failed"
    except Exception:
        log.exception("import %s failed", import_id)
        _finish(rt, import_id, state="failed", error="the import stopped on an internal error")
        return "failed"
    _finish(rt, import_id, state="done", report=report.as_dict())
    return "done"
