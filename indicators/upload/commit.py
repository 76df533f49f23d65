"""Commit a validated upload as one batch, all or nothing: archive the raw file by sha256, then one transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from indicators import config, store
from indicators.upload.cells import (
    ParsedRow,
)
from indicators.upload.validate import ValidationReport, _target_id_of, paused_gc


def archive_dir() -> Path:
    """Where raw uploads are kept: INDICATORS_ARCHIVE_DIR, else data/actuals/archive (read at call time)."""
    return config.archive_dir()


# --- committing ---------------------------------------------------------------------------------------------------
class Change(NamedTuple):
    """One value a commit writes: the value it replaces (None: a month not reported before) and the new one."""

    target_id: str
    period: str
    old: float | None
    new: float


@dataclass
class CommitResult:
    """What a commit did: its batch (None: identical to a committed one), values new or changed, values equal."""

    batch_id: int | None
    written: int
    unchanged: int
    duplicate_of: int | None = None
    written_rows: list[ParsedRow] = field(default_factory=list, repr=False)
    previous: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)  # stored values before
    archived: Path | None = field(default=None, repr=False)
    archived_new: bool = field(default=False, repr=False)  # this commit created the archive file

    def message(self, lang: str = "zh") -> str:
        """The sentence for this result, from the i18n catalogue."""
        from indicators.i18n import t

        if self.batch_id is None:
            return t("commit.identical", lang, batch_id=self.duplicate_of)
        return t("commit.done", lang, batch_id=self.batch_id, written=self.written, unchanged=self.unchanged)

    @property
    def changes(self) -> list[Change]:
        """Every value written, with the one it replaced; built when asked, as a large file writes 100,000."""
        previous = self.previous
        return [Change(p.target_id, p.period, previous.get((p.target_id, p.period)), p.value)
                for p in self.written_rows]


# Where each of store.OBSERVATION_COLUMNS sits in a ParsedRow: parsed rows are inserted as they are.
_OBSERVATION_POSITIONS = tuple(ParsedRow._fields.index("row" if name == "row_number" else name)
                               for name in store.OBSERVATION_COLUMNS)


def archive(data: bytes, sha256: str, directory: Path | None = None) -> tuple[Path, bool]:
    """Keep the raw upload under data/actuals/archive/<sha256>.bin; the uploaded file name never touches the path.

    Returns the path and whether this call created it (a failed commit removes only what it created).
    """
    directory = Path(directory or archive_dir())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sha256}.bin"
    if path.exists():
        return path, False
    tmp = directory / f"{sha256}.{os.getpid()}.part"
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a half-written archive is never left under the final name
    return path, True


def commit_upload(
    engine: Engine,
    report: ValidationReport,
    data: bytes,
    uploader: str,
    is_demo: bool = False,
    archive_dir: Path | None = None,
    before_commit: Callable[[], None] | None = None,
    in_transaction: Callable[[Connection, CommitResult], None] | None = None,
    submitted_at: dt.datetime | None = None,
) -> CommitResult:
    """Write a valid report as one batch in one transaction; an identical re-upload changes nothing.

    The batch holds every value the file reported, equal to the live one or not, so that rolling back an earlier
    batch never removes a value this one also reported. ``in_transaction(conn, result)`` runs inside the
    transaction after the rows are written (the service writes the audit row there); ``before_commit`` runs last
    (tests inject failures with it). The archive file appears only when the transaction commits.
    ``submitted_at``: the batch's time when not now (only service.commit passes it, for the demo data).
    """
    if not report.ok:
        raise ValueError("cannot commit an upload with errors")
    if report.duplicate_of is not None:
        return CommitResult(None, 0, len(report.parsed), report.duplicate_of)
    created = None
    try:
        with paused_gc(), store.write_transaction(engine, serialise=True) as conn:
            duplicate = store.committed_batch_of(conn, report.sha256)  # a twin committed since validation
            if duplicate is not None:
                result = CommitResult(None, 0, len(report.parsed), duplicate)
            else:
                result = _write_batch(conn, report, data, uploader, is_demo, archive_dir, submitted_at)
                created = result.archived if result.archived_new else None
                if in_transaction is not None:
                    in_transaction(conn, result)
                if before_commit is not None:
                    before_commit()
    except IntegrityError:  # the unique committed-sha256 index: a twin committed at the same moment
        _remove(created)
        with engine.connect() as conn:
            duplicate = store.committed_batch_of(conn, report.sha256)
        if duplicate is None:
            raise
        return CommitResult(None, 0, len(report.parsed), duplicate)
    except BaseException:
        _remove(created)
        raise
    return result


def _write_batch(conn: Connection, report: ValidationReport, data: bytes, uploader: str, is_demo: bool,
                 archive_dir: Path | None, submitted_at: dt.datetime | None = None) -> CommitResult:
    """Insert the batch and every parsed row; count what changed against the live values (read under the lock)."""
    current = store.previous_values(conn, set(map(_target_id_of, report.parsed)))
    # months never reported before (a new month's file: the usual case) are all changes, without a look-up each
    changed = [p for p in report.parsed if not _same(current.get((p.target_id, p.period)), p.value)] if current \
        else list(report.parsed)
    path, created = archive(data, report.sha256, archive_dir)
    # with approval_required a batch waits as "submitted" until approved (DESIGN §9); demo data never waits
    approval = "submitted" if config.load_settings().approval_required and not is_demo else None
    batch_id = store.insert_batch(conn, submitted_at, file_name=Path(report.file_name).name[:255], sha256=report.sha256,
                                  archived_path=str(path), uploader=uploader, rows_total=report.rows_total,
                                  rows_written=len(report.parsed), rows_skipped=report.rows_skipped, is_demo=is_demo,
                                  approval=approval)
    store.insert_observations(conn, batch_id, report.parsed, _OBSERVATION_POSITIONS)
    store.bump_version(conn)
    return CommitResult(batch_id, len(changed), len(report.parsed) - len(changed), None, changed, current,
                        path, created)


def _remove(path: Path | None) -> None:
    """Remove an archive file this commit created, when the commit did not happen."""
    if path is not None:
        path.unlink(missing_ok=True)


def _same(old: float | None, new: float) -> bool:
    return old is not None and abs(old - new) <= 1e-9 * max(1.0, abs(old))
