"""Which host the engine runs in, asked without importing Django settings or any data app.

Imported by ``netbox_userscripts.exceptions`` while NetBox reads its settings (it imports
the plugin package then), so only the standard library and, when the host is NetBox,
NetBox's ``utilities.exceptions`` are imported here.
"""
import importlib.util


def is_netbox():
    """True inside a real NetBox: its ``netbox.plugins`` package exists (this project's ``netbox`` has none)."""
    try:
        return importlib.util.find_spec("netbox.plugins") is not None
    except (ImportError, ValueError):
        return False


def veto_base():
    """The base class of ``AbortEvent``: NetBox's ``AbortRequest`` inside NetBox, else ``Exception``."""
    if is_netbox():
        from utilities.exceptions import AbortRequest

        return AbortRequest
    return Exception
