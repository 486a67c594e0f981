"""Where the userscripts come from: a plain folder (the default), ``USERSCRIPTS_GIT``, or a NetBox data source.

``origin()`` is the one answer every part of ``fleet`` asks: None for a plain folder, a
``GitSource`` for ``USERSCRIPTS_GIT``, a ``DataSourceOrigin`` for ``USERSCRIPTS_DATA_SOURCE``
(the name of a NetBox data source: git, S3, local, whatever NetBox's backends reach, synced
by NetBox's own sync job). Each origin records its version in its own ``SyncedVersion`` row
(``kind``). Reading a data source needs NetBox's models: the plugin registers that reader
in ``READERS`` at start-up (``netbox_plugin.datasource``).
"""
from dataclasses import dataclass
from typing import ClassVar

from netbox_userscripts.conf import is_netbox, setting
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitconf import git_source

READERS = {}  # kind -> function(origin) -> Snapshot (its commit: the version), raising SourceError


@dataclass(frozen=True)
class DataSourceOrigin:
    name: str
    kind: ClassVar[str] = "datasource"
    interval = None  # NetBox's sync job has its own interval
    timeout = None  # and its own fetch: reading its files here waits for no server

    def describe(self):
        return {"data_source": self.name}

    def __str__(self):
        return f"data source {self.name!r}"


def origin():
    """The checked origin of the userscripts, or None for a plain folder; ``ConfigurationError`` when wrong."""
    git = git_source()
    name = setting("USERSCRIPTS_DATA_SOURCE")
    if not name:
        return git
    if git is not None:
        raise ConfigurationError("USERSCRIPTS_GIT and USERSCRIPTS_DATA_SOURCE are both set: the userscripts come "
                                 "from one of them; remove the other.")
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"USERSCRIPTS_DATA_SOURCE must be the name of a NetBox data source, got {name!r}.")
    if not is_netbox():
        raise ConfigurationError("USERSCRIPTS_DATA_SOURCE names a NetBox data source, which exists only inside "
                                 "NetBox; outside it use USERSCRIPTS_GIT.")
    return DataSourceOrigin(name.strip())
