"""netbox_userscripts: run your own Python files inside a Django source of truth.

Public API::

    from netbox_userscripts import AbortEvent, AbortScript, bulk_edit
    from netbox_userscripts.signals import post_save, pre_bulk_edit, ...
    from netbox_userscripts.jobs import Job, Script, StringVar, ...
"""

__all__ = ["AbortEvent", "AbortScript", "ConfigurationError", "bulk_edit"]

from netbox_userscripts.commits.bulk import bulk_edit
from netbox_userscripts.exceptions import AbortEvent, AbortScript, ConfigurationError
from netbox_userscripts.netbox_plugin import config as config  # NetBox's PluginConfig; None outside NetBox
from netbox_userscripts.version import __version__ as __version__
