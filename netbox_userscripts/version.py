"""The engine's version: the one place it is written (``pyproject.toml`` and the NetBox plugin read it)."""

__version__ = "0.1.0"
