"""Alembic migrations of the journal, applied by ``Journal.open`` (see ``store.db``)."""
