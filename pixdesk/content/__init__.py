"""PixDesk content layer (see docs/architecture.md)."""
