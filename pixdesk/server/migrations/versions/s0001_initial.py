"""The server schema as ``Base.metadata.create_all`` made it before migrations existed.

Devices, enrolment tokens, sessions, sealed content keys, attempts with their raw events,
conflicts, signed receipts and results. A database made by that older code has exactly
these tables (``SCHEMA``) and is stamped at this revision, then migrated from it.

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


SCHEMA = sa.MetaData()
"""The tables of this revision, also what a pre-migration database is compared with
(``server.db._stamp_unversioned``): the models have moved on since."""

sa.Table(
    "devices", SCHEMA,
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("centre_id", sa.String(64), nullable=False),
    sa.Column("hostname", sa.String(255), nullable=False),
    sa.Column("signing_public_key", sa.LargeBinary(32), nullable=False),
    sa.Column("sealing_public_key", sa.LargeBinary(32), nullable=False),
    sa.Column("enrolled_at", sa.String(32), nullable=False),
)
sa.Index("ix_devices_centre_id", SCHEMA.tables["devices"].c.centre_id)
sa.Table(
    "enrol_tokens", SCHEMA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("centre_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("used_at", sa.String(32), nullable=True),
    sa.Column("used_by", sa.String(64), nullable=True),
)
sa.Table(
    "sessions", SCHEMA,
    sa.Column("session_id", sa.String(64), primary_key=True),
    sa.Column("centre_id", sa.String(64), nullable=False),
    sa.Column("package_id", sa.String(128), nullable=False),
    sa.Column("document", sa.Text(), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
sa.Index("ix_sessions_centre_id", SCHEMA.tables["sessions"].c.centre_id)
sa.Table(
    "content_keys", SCHEMA,
    sa.Column("package_id", sa.String(128), primary_key=True),
    sa.Column("sealed_key", sa.LargeBinary(), nullable=False),
)
sa.Table(
    "attempts", SCHEMA,
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
sa.Index("ix_attempts_session_id", SCHEMA.tables["attempts"].c.session_id)
sa.Table(
    "events", SCHEMA,
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
sa.Table(
    "conflicts", SCHEMA,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(128), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("record", sa.Text(), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
)
sa.Index("ix_conflicts_attempt_id", SCHEMA.tables["conflicts"].c.attempt_id)
sa.Table(
    "receipts", SCHEMA,
    sa.Column("attempt_id", sa.String(128), primary_key=True),
    sa.Column("idempotency_key", sa.String(64), primary_key=True),
    sa.Column("signed", sa.Text(), nullable=False),
)
sa.Table(
    "results", SCHEMA,
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


def upgrade() -> None:
    SCHEMA.create_all(op.get_bind())


def downgrade() -> None:
    SCHEMA.drop_all(op.get_bind())
