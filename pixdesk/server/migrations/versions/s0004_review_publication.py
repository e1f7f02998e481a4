"""Review decisions, session finalisation and the score's precision (issue 14).

``audit_log``: append-only, one row per human decision (a review, a finalisation), with
who and when; triggers refuse any UPDATE or DELETE of it on both databases.
``session_reports``: a finalised session's report (one row per session, written once).
``results.pix_error``: the half-width in Pix of the score's 68 % interval, computed when
the result is re-scored (NULL for results re-scored before this revision).

Revision ID: s0004_review_publication
Revises: s0003_integrity_conflicts
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0004_review_publication"
down_revision = "s0003_integrity_conflicts"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE FUNCTION pixdesk_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    op.create_table(
        "session_reports",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("finalised_at", sa.String(32), nullable=False),
        sa.Column("finalised_by", sa.String(128), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.add_column("results", sa.Column("pix_error", sa.Integer, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION pixdesk_audit_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON "
                       "audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION pixdesk_audit_append_only()")
    with op.batch_alter_table("results") as batch:
        batch.drop_column("pix_error")
    op.drop_table("session_reports")
    op.drop_index("ix_audit_log_subject", "audit_log")
    op.drop_table("audit_log")
