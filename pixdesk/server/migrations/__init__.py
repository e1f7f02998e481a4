"""Alembic migrations of the server database, applied by ``pixdesk.server.db.migrate``."""
