"""Sync delivery state: the acknowledged cursor and verified receipts per attempt.

Revision ID: 0002_outbox
Revises: 0001_journal
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_outbox"
down_revision = "0001_journal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_attempts",
        sa.Column(
            "attempt_id", sa.String(128), sa.ForeignKey("attempts.attempt_id"), primary_key=True
        ),
        sa.Column("acked_through_seq", sa.Integer(), nullable=False),
        sa.Column("acked_hash", sa.LargeBinary(), nullable=True),
        sa.Column("sealed_for", sa.String(64), nullable=True),
        sa.Column("result_match", sa.Boolean(), nullable=True),
        sa.Column("last_error", sa.String(128), nullable=True),
        sa.Column("updated", sa.String(32), nullable=False),
    )
    op.create_table(
        "outbox_receipts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "attempt_id", sa.String(128), sa.ForeignKey("attempts.attempt_id"), nullable=False
        ),
        sa.Column("acked_through_seq", sa.Integer(), nullable=False),
        sa.Column("receipt_json", sa.String(4096), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("stored", sa.String(32), nullable=False),
    )
    op.create_index("ix_outbox_receipts_attempt_id", "outbox_receipts", ["attempt_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_receipts_attempt_id", "outbox_receipts")
    op.drop_table("outbox_receipts")
    op.drop_table("outbox_attempts")
