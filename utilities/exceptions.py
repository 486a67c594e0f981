"""NetBox's ``utilities.exceptions``: ``AbortScript`` (and ``AbortTransaction``) for scripts."""
from netbox_userscripts.exceptions import AbortScript


class AbortTransaction(Exception):
    """NetBox raises this to roll a script's changes back; here the runner rolls back by itself."""


__all__ = ["AbortScript", "AbortTransaction"]
