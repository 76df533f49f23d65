"""The reporting cycle: each target's reporting frequency and reporter; a batch's approval state.

Revision ID: 0003_reporting
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_reporting"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("targets") as table:
        table.add_column(sa.Column("frequency", sa.String(16)))  # monthly | quarterly | yearly (resolved at sync)
        table.add_column(sa.Column("reporter", sa.Text))  # the catalogue's named reporter, when it names one
    with op.batch_alter_table("batches") as table:
        # NULL: no approval needed (counts at once); submitted | approved | rejected when approval_required is on
        table.add_column(sa.Column("approval", sa.String(16)))
        table.add_column(sa.Column("decided_by", sa.String(80)))
        table.add_column(sa.Column("decided_at", TZ))
        table.add_column(sa.Column("decision_comment", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("batches") as table:
        for name in ("decision_comment", "decided_at", "decided_by", "approval"):
            table.drop_column(name)
    with op.batch_alter_table("targets") as table:
        table.drop_column("reporter")
        table.drop_column("frequency")
