"""One committed batch per file content: a partial unique index on batches.sha256 where status = 'committed'.

Revision ID: 0003_write
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_write"
down_revision = "0002"
branch_labels = None
depends_on = None

_COMMITTED = sa.text("status = 'committed'")


def upgrade() -> None:
    op.create_index("uq_batches_committed_sha256", "batches", ["sha256"], unique=True,
                    sqlite_where=_COMMITTED, postgresql_where=_COMMITTED)


def downgrade() -> None:
    op.drop_index("uq_batches_committed_sha256", table_name="batches")
