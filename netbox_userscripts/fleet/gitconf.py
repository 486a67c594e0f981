"""``USERSCRIPTS_GIT``, checked: the repository, branch, sub-folder, interval and timeout, or one clear error.

Also where this host keeps its dulwich cache and what it last materialised, both inside
``USERSCRIPTS_ROOT`` (the checkout the engine manages) under a hidden folder the loader
and the watcher skip.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from netbox_userscripts.conf import setting, userscripts_root
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitsource import SourceError, clean_path

CACHE_FOLDER = ".userscripts-cache"
KEYS = {"url", "branch", "path", "interval", "timeout"}
DEFAULT_TIMEOUT = 30.0  # seconds a fetch may take before it fails (the next sync tries again)
MAX_TIMEOUT = 3600.0


@dataclass(frozen=True)
class GitSource:
    url: str
    branch: str = "main"
    path: str = ""
    interval: float = None
    timeout: float = DEFAULT_TIMEOUT
    kind: ClassVar[str] = "git"  # its row in SyncedVersion

    def describe(self):
        return {"url": self.url, "branch": self.branch, "path": self.path}

    def __str__(self):
        return f"{self.url} {self.branch}"

    @property
    def cache(self):
        return userscripts_root() / CACHE_FOLDER

    @property
    def repository(self):
        return self.cache / "repo.git"


def git_source(value=None):
    """The checked ``USERSCRIPTS_GIT``, or None for a plain folder (the default)."""
    value = setting("USERSCRIPTS_GIT") if value is None else value
    if not value:
        return None
    if not isinstance(value, dict):
        raise ConfigurationError(f"USERSCRIPTS_GIT must be a dict like {{'url': ..., 'branch': 'main'}}, "
                                 f"got {type(value).__name__}.")
    unknown = set(value) - KEYS
    if unknown:
        raise ConfigurationError(f"USERSCRIPTS_GIT has unknown keys {sorted(unknown)} (known: {sorted(KEYS)}).")
    url, branch = value.get("url"), value.get("branch") or "main"
    if not isinstance(url, (str, Path)) or not str(url).strip():
        raise ConfigurationError("USERSCRIPTS_GIT needs 'url': a repository URL or a local path.")
    if not isinstance(branch, str):
        raise ConfigurationError(f"USERSCRIPTS_GIT branch must be a string, got {branch!r}.")
    interval = value.get("interval")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, (int, float))
                                 or interval <= 0):
        raise ConfigurationError(f"USERSCRIPTS_GIT interval must be a number of seconds > 0, got {interval!r}.")
    timeout = value.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise ConfigurationError(f"USERSCRIPTS_GIT timeout must be a number of seconds > 0 and <= {MAX_TIMEOUT:g}, "
                                 f"got {timeout!r}.")
    try:
        path = clean_path(value.get("path") or "")
    except SourceError as exc:
        raise ConfigurationError(str(exc)) from None
    return GitSource(url=str(url), branch=branch, path=path, interval=interval, timeout=float(timeout))
