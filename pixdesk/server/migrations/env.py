"""Alembic environment: always online, on the connection ``server.db.migrate`` hands over.

That connection already holds the migration lock and an open transaction, so the whole
upgrade commits or rolls back as one piece and no other process migrates meanwhile.
"""

from __future__ import annotations

from alembic import context

from pixdesk.server.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
