"""Commit a validated upload as one batch, all or nothing: archive the raw file by sha256, then one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.engine import Engine

from indicators import config, store
from indicators.upload.cells import (  # noqa: F401  (COLUMNS, Issue, ParsedRow and parse_period are used via ingest.)
    BASIS,
    COLUMNS,
    Issue,
    ParsedRow,
    clean_cell,
    conversion_factor,
    convert_by,
    is_plain_number,
    map_header,
    parse_period,
    parse_value,
    period_bounds,
    previous_month,
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
    batch_id: int | None
    written: int
    unchanged: int
    message_zh: str
    message_en: str
    written_rows: list[ParsedRow] = field(default_factory=list, repr=False)
    previous: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)  # stored values before

    @property
    def changes(self) -> list[Change]:
        """Every value written, with the one it replaced; built when asked, as a large file writes 100,000."""
        previous = self.previous
        return [Change(p.target_id, p.period, previous.get((p.target_id, p.period)), p.value)
                for p in self.written_rows]


# Where each of store.OBSERVATION_COLUMNS sits in a ParsedRow: parsed rows are inserted as they are.
_OBSERVATION_POSITIONS = tuple(ParsedRow._fields.index("row" if name == "row_number" else name)
                               for name in store.OBSERVATION_COLUMNS)


def archive(data: bytes, sha256: str, directory: Path | None = None) -> Path:
    """Keep the raw upload under data/actuals/archive/<sha256>; the uploaded file name never touches the path."""
    directory = Path(directory or archive_dir())
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sha256}.bin"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a half-written archive is never left under the final name
    return path


def commit_upload(
    engine: Engine,
    report: ValidationReport,
    data: bytes,
    uploader: str,
    is_demo: bool = False,
    archive_dir: Path | None = None,
    before_commit: Callable[[], None] | None = None,
) -> CommitResult:
    """Write a valid report as one batch in one transaction; an identical re-upload changes nothing.

    ``before_commit`` runs inside the transaction after all rows are written (tests use it to inject a failure).
    """
    if not report.ok:
        raise ValueError("cannot commit an upload with errors")
    if report.duplicate_of is not None:
        return CommitResult(None, 0, len(report.parsed),
                            f"与已提交的批次 {report.duplicate_of} 完全相同，未做任何更改",
                            f"identical to committed batch {report.duplicate_of}; nothing changed")
    path = archive(data, report.sha256, archive_dir)
    with paused_gc(), store.write_transaction(engine) as conn:
        current = store.latest_values(conn, set(map(_target_id_of, report.parsed)))
        written = report.parsed
        if current:  # a value equal to the stored one is not written again
            written = [p for p in written if not _same(current.get((p.target_id, p.period)), p.value)]
        batch_id = conn.execute(store.batches.insert().values(
            file_name=Path(report.file_name).name[:255], sha256=report.sha256, archived_path=str(path),
            uploader=uploader, uploaded_at=store.now(), rows_total=report.rows_total, rows_written=len(written),
            rows_skipped=report.rows_skipped, status="committed", is_demo=is_demo,
        )).inserted_primary_key[0]
        store.insert_observations(conn, batch_id, written, _OBSERVATION_POSITIONS)
        store.bump_version(conn)
        if before_commit is not None:
            before_commit()
    unchanged = len(report.parsed) - len(written)
    return CommitResult(batch_id, len(written), unchanged,
                        f"已提交批次 {batch_id}：写入 {len(written)} 条，{unchanged} 条与现有数值相同",
                        f"committed batch {batch_id}: {len(written)} values written, {unchanged} unchanged",
                        written, current)


def _same(old: float | None, new: float) -> bool:
    return old is not None and abs(old - new) <= 1e-9 * max(1.0, abs(old))
