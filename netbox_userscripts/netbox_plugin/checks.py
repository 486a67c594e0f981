"""The plugin's settings checked at start-up, each problem one line naming the setting.

``PLUGINS_CONFIG["netbox_userscripts"]`` is checked as the sandbox checks its
``configuration.py`` (``sandbox/netbox/config.py``): types, ranges, the log level, the git
source and the log stream, the folder and the log file. A ``USERSCRIPTS_ROOT`` that does not
exist is created (an empty folder: no userscripts yet); one that cannot be created is a
problem. With a problem the engine does not start in this process (nothing is loaded and
nothing is watched, so no traceback from deep inside), and the problems are Django system
check errors: ``netbox check``, ``migrate``, ``runserver`` and ``rqworker`` print them, one
line each, and stop.
"""
import os
from pathlib import Path

from django.core import checks

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitconf import git_source
from netbox_userscripts.log.stream import client_for
from netbox_userscripts.metrics.slowhooks import SETTING as SLOW_HOOK_SECONDS
from netbox_userscripts.metrics.slowhooks import checked_threshold
from netbox_userscripts.web.anonymous import SETTING as ANONYMOUS_CALLS
from netbox_userscripts.web.anonymous import checked_anonymous_calls

PREFIX = 'PLUGINS_CONFIG["netbox_userscripts"]'
PATH = (str, os.PathLike)
# name: (the types it may have, the smallest whole number it may be); None is "use the default" but for the paths
TYPES = {
    "USERSCRIPTS_ROOT": (PATH, None),
    "USERSCRIPTS_LOG_FILE": (PATH, None),
    "USERSCRIPTS_LOG_MAX_SIZE": (int, 1),
    "USERSCRIPTS_LOG_BACKUP_COUNT": (int, 0),
    "USERSCRIPTS_LOG_LEVEL": (str, None),
    "USERSCRIPTS_AUTORELOAD": (bool, None),
    "USERSCRIPTS_GIT": (dict, None),
    "USERSCRIPTS_DATA_SOURCE": (str, None),
    "USERSCRIPTS_LOG_STREAM": (str, None),
    "USERSCRIPTS_LOG_STREAM_MAX": (int, 1),
    "USERSCRIPTS_LOG_STREAM_MAX_BYTES": (int, 1),
    "USERSCRIPTS_GIT_MAX_FILES": (int, 1),
    "USERSCRIPTS_GIT_MAX_BYTES": (int, 1),
    "USERSCRIPTS_ANONYMOUS_CALLS": ((list, tuple), None),
    "USERSCRIPTS_SLOW_HOOK_SECONDS": ((int, float), None),  # checked by metrics.slowhooks
}
REQUIRED = ("USERSCRIPTS_ROOT", "USERSCRIPTS_LOG_FILE")  # NetBox's required_settings: no default inside NetBox
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Problems:
    """This process's verdict on the settings: the problems found (empty when the engine may start)."""

    def __init__(self):
        self.found = []
        self.unknown = []  # settings this version does not know: a warning (a typo, or a newer version's)
        self.created_root = None  # the folder made because it was missing, for the log

    def check(self, plugin_settings):
        """Check ``plugin_settings``; True when they are usable."""
        self.found = list(problems_of(plugin_settings))
        self.unknown = [f"{PREFIX}: unknown setting {name!r}, ignored (known: {', '.join(sorted(TYPES))})."
                        for name in sorted(set(plugin_settings) - set(TYPES))]
        if not self.found:
            if plugin_settings.get("USERSCRIPTS_LOG_LEVEL"):  # logging knows "INFO", not "info"
                plugin_settings["USERSCRIPTS_LOG_LEVEL"] = plugin_settings["USERSCRIPTS_LOG_LEVEL"].upper()
            self.created_root = create_root(plugin_settings["USERSCRIPTS_ROOT"])
            if isinstance(self.created_root, str):  # the reason it could not be made
                self.found.append(self.created_root)
                self.created_root = None
        return not self.found

    def messages(self):
        """One system check ``Error`` per problem, one ``Warning`` per unknown setting."""
        return ([checks.Error(problem, id="netbox_userscripts.E001") for problem in self.found]
                + [checks.Warning(unknown, id="netbox_userscripts.W001") for unknown in self.unknown])


problems = Problems()


def system_check(app_configs=None, **kwargs):
    """Django's system check (registered in ``ready()``): this process's verdict on the settings."""
    return problems.messages()


def named(name):
    """How ``configuration.py`` spells the setting: ``PLUGINS_CONFIG["netbox_userscripts"]["NAME"]``."""
    return f'{PREFIX}["{name}"]'


def problems_of(values):
    """One line per unusable setting of ``values``, in a stable order."""
    for name, (types, minimum) in TYPES.items():
        value = values.get(name)
        if value is None:
            if name in REQUIRED:
                yield f"{named(name)} is required: an absolute path."
            continue
        if not isinstance(value, types) or (types is int and isinstance(value, bool)):
            expected = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
            yield f"{named(name)} must be of type {expected}, got {type(value).__name__} {value!r}."
        elif minimum is not None and value < minimum:
            yield f"{named(name)} must be a whole number of at least {minimum}, got {value}."
        elif types is PATH and not os.path.isabs(value):
            yield f"{named(name)} must be an absolute path, got {value!r}."
    level = values.get("USERSCRIPTS_LOG_LEVEL")
    if isinstance(level, str) and level.upper() not in LOG_LEVELS:
        yield f"{named('USERSCRIPTS_LOG_LEVEL')} must be one of {', '.join(LOG_LEVELS)}, got {level!r}."
    checked = (("USERSCRIPTS_GIT", git_source), ("USERSCRIPTS_LOG_STREAM", client_for),
               (ANONYMOUS_CALLS, checked_anonymous_calls), (SLOW_HOOK_SECONDS, checked_threshold))
    for name, check in checked:
        if isinstance(values.get(name), TYPES[name][0]) and values[name]:
            try:
                check(values[name])
            except ConfigurationError as exc:
                yield f"{PREFIX}: {exc}"
    log_file = values.get("USERSCRIPTS_LOG_FILE")
    if isinstance(log_file, PATH) and os.path.isabs(log_file):
        yield from _log_file_problems(Path(log_file))


def _log_file_problems(log_file):
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)  # as the sandbox makes the central log's folder
    except OSError as exc:
        yield f"{named('USERSCRIPTS_LOG_FILE')} {log_file}: cannot create its folder ({exc.strerror})."
        return
    writable = os.access(log_file.parent, os.W_OK) and not (log_file.exists() and not os.access(log_file, os.W_OK))
    if log_file.is_dir() or not writable:
        yield f"{named('USERSCRIPTS_LOG_FILE')} {log_file} is not a writable file."


def create_root(root):
    """Make a missing ``USERSCRIPTS_ROOT``: its path when made, None when it was there, else why not (a str)."""
    root = Path(root)
    if root.is_dir():
        return None
    if root.exists():
        return f"{named('USERSCRIPTS_ROOT')} {root} is not a directory."
    try:
        root.mkdir(parents=True)
    except FileExistsError:  # another NetBox process made it first
        return None
    except OSError as exc:
        return f"{named('USERSCRIPTS_ROOT')} {root} does not exist and cannot be created ({exc.strerror})."
    return root
