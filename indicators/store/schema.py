"""The store's tables (SQLAlchemy Core).

Nothing is ever deleted: a correction is a new revision, a wrong upload is undone by marking its batch rolled back,
a target removed from the catalogue is retired.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("title", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("issuer", Text, nullable=False),
    Column("doc_number", String(80), nullable=False),
    Column("jurisdiction", String(80), nullable=False),
    Column("period_start", String(7), nullable=False),
    Column("period_end", String(7), nullable=False),
    Column("source", Text, nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False),
)

targets = Table(
    "targets",
    metadata,
    Column("id", String(160), primary_key=True),
    Column("plan_id", String(80), ForeignKey("plans.id"), nullable=False, index=True),
    Column("jurisdiction", String(80), nullable=False, index=True),
    Column("clause", String(40), nullable=False),
    Column("chapter", Text, nullable=False),
    Column("sector", String(40), nullable=False),
    Column("task", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("comparator", String(8), nullable=False),
    Column("value", Float, nullable=False),
    Column("value_max", Float),
    Column("unit", String(40), nullable=False),
    Column("deadline", String(7), nullable=False),
    Column("recurrence", String(16)),
    Column("baseline_value", Float),
    Column("baseline_unit", String(40)),
    Column("baseline_period", String(7)),
    Column("lead_units", JSON, nullable=False),
    Column("profile", JSON),
    Column("pacing", String(16)),  # milestone | linear | NULL (the default rule), migration 0003_judge
    Column("quote", Text, nullable=False),
    Column("retired", Boolean, nullable=False, default=False),
    Column("retired_at", DateTime(timezone=True)),
    Column("frequency", String(16)),  # monthly | quarterly | yearly, resolved at sync (0003_reporting)
    Column("reporter", Text),  # the department the catalogue names as reporter; NULL = the first lead unit
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("archived_path", Text, nullable=False),
    Column("uploader", String(80), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_total", Integer, nullable=False),
    Column("rows_written", Integer, nullable=False),
    Column("rows_skipped", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # committed | rolled_back
    Column("rolled_back_at", DateTime(timezone=True)),
    Column("rolled_back_by", String(80)),
    Column("is_demo", Boolean, nullable=False, default=False),
    # approval (0003_reporting): NULL = none needed; submitted | approved | rejected when approval_required is on
    Column("approval", String(16)),
    Column("decided_by", String(80)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_comment", Text),
    # One committed batch per file content: two uploads of the same file at the same moment cannot both commit.
    Index("uq_batches_committed_sha256", "sha256", unique=True,
          sqlite_where=text("status = 'committed'"), postgresql_where=text("status = 'committed'")),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_id", String(160), ForeignKey("targets.id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("value", Float, nullable=False),  # cumulative (累计) value in the target's own unit
    Column("value_raw", String(80), nullable=False),  # the cell as uploaded
    Column("unit_raw", String(40)),  # the unit cell as uploaded (None = target's unit)
    Column("basis", String(8), nullable=False),  # 累计 | 当月
    Column("note", Text),
    Column("row_number", Integer, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False, index=True),
    Index("ix_observations_target_period", "target_id", "period", "id"),
)

# One row, bumped on every write: the UI keys its caches on it.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# Accounts (indicators.accounts): roles viewer | statistician | admin; scopes = jurisdictions or plan ids (statisticians).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("password_hash", Text),  # argon2id; NULL = no password login (single sign-on only)
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("email", String(254), unique=True),  # lower-cased; matches the single sign-on identity
)

# Who did what when: logins (success and failure), commits, rollbacks, account changes. Rows are only ever added.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(80), nullable=False, index=True),
    Column("action", String(32), nullable=False, index=True),
    Column("target", Text),
    Column("detail", JSON),
    Column("ok", Boolean, nullable=False),
)
