"""NetBox's ``utilities.exceptions``: ``AbortScript`` (and ``AbortTransaction``) for scripts."""

__all__ = ["AbortScript", "AbortTransaction"]

from netbox_userscripts.exceptions import AbortScript


class AbortTransaction(Exception):
    """NetBox raises this to roll a script's changes back; here the runner rolls back by itself."""
