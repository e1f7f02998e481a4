"""The device security journal's runs (``POST /v1/devices/{d}/journal/{run}/events``).

``device_runs`` (one row per run: head, sealed key, integrity code), ``device_run_events``
(the records as written), ``device_run_receipts`` (the signed receipt per batch) and
``device_run_conflicts`` (contradicting batches kept aside, one row per batch).

Revision ID: s0005_device_journal
Revises: s0004_review_publication
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0005_device_journal"
down_revision = "s0004_review_publication"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_runs",
        sa.Column("run_id", sa.String(128), primary_key=True),
        sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.device_id"),
                  nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("sealed_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("integrity", sa.String(64), nullable=True),
    )
    op.create_index("ix_device_runs_device_id", "device_runs", ["device_id"])
    op.create_table(
        "device_run_events",
        sa.Column("run_id", sa.String(128), sa.ForeignKey("device_runs.run_id"),
                  primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("schema", sa.Integer(), nullable=False),
        sa.Column("mono_elapsed_ms", sa.BigInteger(), nullable=False),
        sa.Column("wall_time_ms", sa.BigInteger(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "device_run_receipts",
        sa.Column("run_id", sa.String(128), primary_key=True),
        sa.Column("idempotency_key", sa.String(64), primary_key=True),
        sa.Column("signed", sa.Text(), nullable=False),
    )
    op.create_table(
        "device_run_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("batch_key", sa.String(64), nullable=False),
    )
    op.create_index("ux_device_run_conflicts_batch", "device_run_conflicts",
                    ["run_id", "batch_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_device_run_conflicts_batch", "device_run_conflicts")
    op.drop_table("device_run_conflicts")
    op.drop_table("device_run_receipts")
    op.drop_table("device_run_events")
    op.drop_index("ix_device_runs_device_id", "device_runs")
    op.drop_table("device_runs")
