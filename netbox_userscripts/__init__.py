"""netbox_userscripts: run your own Python files inside a Django source of truth.

Public API::

    from netbox_userscripts import AbortEvent, AbortScript, bulk_edit
    from netbox_userscripts.signals import post_save, pre_bulk_edit, ...
    from netbox_userscripts.jobs import Job, Script, StringVar, ...
"""

__all__ = ["AbortEvent", "AbortScript", "ConfigurationError", "bulk_edit"]

from netbox_userscripts.exceptions import AbortEvent, AbortScript, ConfigurationError

__version__ = "0.1.0"


def bulk_edit(queryset, request=None, **changes):
    """Validate and edit every object of ``queryset`` in one UPDATE (see ``netbox_userscripts.bulk``)."""
    from netbox_userscripts.bulk import bulk_edit as _bulk_edit

    return _bulk_edit(queryset, request=request, **changes)
