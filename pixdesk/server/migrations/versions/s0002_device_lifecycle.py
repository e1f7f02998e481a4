"""Device lifecycle: a device can be revoked, an enrolment token expires.

``devices.revoked_at``/``revoked_reason`` (``pixdesk-server revoke-device``) and
``enrol_tokens.expires_at``. Tokens made before this revision have no expiry stored; they
expire ``DEFAULT_TOKEN_HOURS`` after their creation like new ones.

Revision ID: s0002_device_lifecycle
Revises: s0001_initial
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0002_device_lifecycle"
down_revision = "s0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("revoked_at", sa.String(32), nullable=True))
    op.add_column("devices", sa.Column("revoked_reason", sa.String(255), nullable=True))
    op.add_column("enrol_tokens", sa.Column("expires_at", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrol_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("revoked_reason")
        batch.drop_column("revoked_at")
