"""The journal: meta, attempts and hash-chained encrypted events.

Revision ID: 0001_journal
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_journal"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("attempt_id", sa.String(128), primary_key=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("meta_json", sa.String(4096), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary(), nullable=True),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column(
            "attempt_id",
            sa.String(128),
            sa.ForeignKey("attempts.attempt_id"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("schema", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("mono_elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("wall_time_ms", sa.Integer(), nullable=False),
        sa.UniqueConstraint("attempt_id", "nonce", name="uq_events_attempt_nonce"),
    )


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("attempts")
    op.drop_table("meta")
