"""The invigilator's room console, its trust and protocol core (docs/room.md).

Qt-free and store-free, so the server can import the pure verification in ``commands`` to
re-check a command's proof when it re-scores an attempt.
"""
