"""netbox_userscripts: run your own Python files inside a Django source of truth.

Public API::

    from netbox_userscripts import AbortEvent, AbortScript, bulk_edit
    from netbox_userscripts.signals import post_save, pre_bulk_edit, ...
    from netbox_userscripts.jobs import Job, Script, StringVar, ...
"""

__all__ = ["AbortEvent", "AbortScript", "ConfigurationError", "bulk_edit"]

__version__ = "0.1.0"  # before the imports: the NetBox plugin config reads it while they run

from netbox_userscripts.exceptions import AbortEvent, AbortScript, ConfigurationError


def bulk_edit(queryset, request=None, **changes):
    """Validate and edit every object of ``queryset`` in one UPDATE (see ``netbox_userscripts.bulk``)."""
    from netbox_userscripts.bulk import bulk_edit as _bulk_edit

    return _bulk_edit(queryset, request=request, **changes)


def __getattr__(name):
    """``config``: the ``PluginConfig`` NetBox reads from a plugin's package (only where NetBox runs)."""
    if name == "config":
        from netbox_userscripts.netbox_plugin import config

        if config is not None:
            return config
    raise AttributeError(f"module 'netbox_userscripts' has no attribute {name!r}")
