"""PixDesk lockdown layer (see docs/architecture.md)."""
