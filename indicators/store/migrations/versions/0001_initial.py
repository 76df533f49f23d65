"""Initial schema: plans, targets, upload batches, observations, data version.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_en", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("doc_number", sa.String(80), nullable=False),
        sa.Column("jurisdiction", sa.String(80), nullable=False),
        sa.Column("period_start", sa.String(7), nullable=False),
        sa.Column("period_end", sa.String(7), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("synced_at", TZ, nullable=False),
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("plan_id", sa.String(80), sa.ForeignKey("plans.id"), nullable=False, index=True),
        sa.Column("jurisdiction", sa.String(80), nullable=False, index=True),
        sa.Column("clause", sa.String(40), nullable=False),
        sa.Column("chapter", sa.Text, nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("task", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("comparator", sa.String(8), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("value_max", sa.Float),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("deadline", sa.String(7), nullable=False),
        sa.Column("recurrence", sa.String(16)),
        sa.Column("baseline_value", sa.Float),
        sa.Column("baseline_unit", sa.String(40)),
        sa.Column("baseline_period", sa.String(7)),
        sa.Column("lead_units", sa.JSON, nullable=False),
        sa.Column("profile", sa.JSON),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.Column("retired_at", TZ),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("archived_path", sa.Text, nullable=False),
        sa.Column("uploader", sa.String(80), nullable=False),
        sa.Column("uploaded_at", TZ, nullable=False),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("rows_written", sa.Integer, nullable=False),
        sa.Column("rows_skipped", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rolled_back_at", TZ),
        sa.Column("rolled_back_by", sa.String(80)),
        sa.Column("is_demo", sa.Boolean, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target_id", sa.String(160), sa.ForeignKey("targets.id"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("value_raw", sa.String(80), nullable=False),
        sa.Column("unit_raw", sa.String(40)),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False, index=True),
    )
    op.create_index("ix_observations_target_period", "observations", ["target_id", "period", "id"])
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("data_version", "observations", "batches", "targets", "plans"):
        op.drop_table(table)
