"""Targets carry the catalogue's `pacing` (milestone | linear), read by the progress rules (issue 15).

Revision ID: 0003_judge
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_judge"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("pacing", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("pacing")
