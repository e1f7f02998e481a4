"""Alembic environment: always run online, on the connection ``store.db`` hands over.

The caller has already begun the transaction, so the whole upgrade commits or rolls back
as one piece.
"""

from __future__ import annotations

from alembic import context

from pixdesk.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
