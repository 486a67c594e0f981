"""``USERSCRIPTS_ANONYMOUS_CALLS``: the userscripts anyone may call without a login, and its check.

Only with ``LOGIN_REQUIRED = False``, and only the modules named here: a ``call()`` may write,
and "no login required" means anonymous *reading*, in NetBox as here. The check is importable
before Django is set up, so a host checks the value while it reads its configuration.
"""
from netbox_userscripts.conf import setting
from netbox_userscripts.exceptions import ConfigurationError

SETTING = "USERSCRIPTS_ANONYMOUS_CALLS"


def checked_anonymous_calls(value):
    """``value`` as a tuple of userscript names; ``ConfigurationError`` naming the setting when it is not one."""
    if value is None:
        return ()
    names = value if isinstance(value, (list, tuple)) else None
    if names is None or not all(isinstance(name, str) and name.isidentifier() for name in names):
        raise ConfigurationError(f"{SETTING} must be a list of userscript names like ['free_ips'], got {value!r}.")
    return tuple(names)


def anonymous_may_call(name):
    """Whether an anonymous request may call the userscript ``name`` (``LOGIN_REQUIRED`` off and ``name`` listed).

    The value was checked at start-up (``checked_anonymous_calls``); here, on every call, only
    that it is still a list, so that a string is never searched for a substring of itself.
    """
    if setting("LOGIN_REQUIRED"):
        return False
    names = setting(SETTING)
    return isinstance(names, (list, tuple)) and name in names
