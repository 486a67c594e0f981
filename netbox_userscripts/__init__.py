"""netbox_userscripts: run your own Python files inside a Django source of truth.

Public API::

    from netbox_userscripts import AbortEvent, AbortScript, bulk_edit
    from netbox_userscripts.signals import post_save, pre_bulk_edit, ...
    from netbox_userscripts.jobs import Job, Script, StringVar, ...
"""

__all__ = ["AbortEvent", "AbortScript", "ConfigurationError", "bulk_edit"]

__version__ = "0.1.0"  # before the imports: the NetBox plugin config reads it while they run

from netbox_userscripts.bulk import bulk_edit
from netbox_userscripts.exceptions import AbortEvent, AbortScript, ConfigurationError

# The PluginConfig NetBox reads from a plugin's package; None outside NetBox, where nothing reads it.
from netbox_userscripts.netbox_plugin import config as config
