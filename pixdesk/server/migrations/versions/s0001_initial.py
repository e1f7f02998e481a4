"""The server schema as ``Base.metadata.create_all`` made it before migrations existed.

Devices, enrolment tokens, sessions, sealed content keys, attempts with their raw events,
conflicts, signed receipts and results. A database made by that older code has exactly
these tables and is stamped at this revision instead of being migrated.

Revision ID: s0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(64), primary_key=True),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("hostname", sa.String(255), nullable=False),
        sa.Column("signing_public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("sealing_public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("enrolled_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_devices_centre_id", "devices", ["centre_id"])
    op.create_table(
        "enrol_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("used_at", sa.String(32), nullable=True),
        sa.Column("used_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("package_id", sa.String(128), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_sessions_centre_id", "sessions", ["centre_id"])
    op.create_table(
        "content_keys",
        sa.Column("package_id", sa.String(128), primary_key=True),
        sa.Column("sealed_key", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(128), nullable=False),
        sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.device_id"),
                  nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("version_id", sa.String(64), nullable=False),
        sa.Column("package_id", sa.String(128), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("sealed_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("attempt_id"),
    )
    op.create_index("ix_attempts_session_id", "attempts", ["session_id"])
    op.create_table(
        "events",
        sa.Column("attempt_id", sa.String(128), sa.ForeignKey("attempts.attempt_id"),
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
        "conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_conflicts_attempt_id", "conflicts", ["attempt_id"])
    op.create_table(
        "receipts",
        sa.Column("attempt_id", sa.String(128), primary_key=True),
        sa.Column("idempotency_key", sa.String(64), primary_key=True),
        sa.Column("signed", sa.Text(), nullable=False),
    )
    op.create_table(
        "results",
        sa.Column("attempt_id", sa.String(128), sa.ForeignKey("attempts.attempt_id"),
                  primary_key=True),
        sa.Column("claimed", sa.Text(), nullable=True),
        sa.Column("rescored", sa.Text(), nullable=True),
        sa.Column("assessed", sa.Text(), nullable=False),
        sa.Column("rescored_seq", sa.Integer(), nullable=False),
        sa.Column("match", sa.Boolean(), nullable=True),
        sa.Column("error", sa.String(64), nullable=True),
        sa.Column("rescored_at", sa.String(32), nullable=False),
        sa.Column("verification_code", sa.String(16), nullable=True),
        sa.Column("certificate_issued_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("verification_code"),
    )


def downgrade() -> None:
    op.drop_table("results")
    op.drop_table("receipts")
    op.drop_index("ix_conflicts_attempt_id", "conflicts")
    op.drop_table("conflicts")
    op.drop_table("events")
    op.drop_index("ix_attempts_session_id", "attempts")
    op.drop_table("attempts")
    op.drop_table("content_keys")
    op.drop_index("ix_sessions_centre_id", "sessions")
    op.drop_table("sessions")
    op.drop_table("enrol_tokens")
    op.drop_index("ix_devices_centre_id", "devices")
    op.drop_table("devices")
