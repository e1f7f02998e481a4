"""Flagged copies and one conflict row per batch (issue 20).

``attempts.integrity``: the code a PC sent in ``meta.integrity`` when its journal did not
verify (NULL: verified); such an attempt is withheld from exports until reviewed.
``conflicts.batch_key`` with a unique index on (attempt_id, batch_key): the same
conflicting batch sent again adds no row. Existing rows keep a NULL key.

Revision ID: s0003_integrity_conflicts
Revises: s0002_device_lifecycle
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0003_integrity_conflicts"
down_revision = "s0002_device_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("integrity", sa.String(64), nullable=True))
    op.add_column("conflicts", sa.Column("batch_key", sa.String(64), nullable=True))
    op.create_index("ux_conflicts_batch", "conflicts", ["attempt_id", "batch_key"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("ux_conflicts_batch", "conflicts")
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_column("batch_key")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("integrity")
