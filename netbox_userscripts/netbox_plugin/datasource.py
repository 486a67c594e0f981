"""``USERSCRIPTS_DATA_SOURCE`` inside NetBox: a NetBox data source's files are the userscripts' version.

NetBox's own sync (its sync job in ``rqworker``, or "Sync" in its UI or REST API) fetches
the source's files into ``DataFile`` rows, from git, S3 or a local folder. When a sync of
the named source ends (``core.signals.post_sync``), its files are tried and recorded as the
version every process runs (``fleet.sync``: a failed import keeps the last good version and
says why); the version is a hash of the files' paths and NetBox's hashes of them.
``userscripts_sync`` and the sync API record what NetBox's last sync of it left.
"""
import hashlib

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet import sync as fleet_sync
from netbox_userscripts.fleet.gitsource import SourceError, files_snapshot
from netbox_userscripts.fleet.origin import READERS, DataSourceOrigin, origin


def read(source):
    """The ``Snapshot`` of the data source ``source.name`` as NetBox last synced it; raises ``SourceError``."""
    from core.models import DataSource

    data_source = DataSource.objects.filter(name=source.name).first()
    if data_source is None:
        raise SourceError(f"NetBox has no data source named {source.name!r} (Operations > Data Sources)")
    if data_source.last_synced is None:
        raise SourceError(f"data source {source.name!r} was never synced: sync it in NetBox first")
    rows = list(data_source.datafiles.order_by("path").values_list("path", "hash", "data"))
    digest = hashlib.sha1(usedforsecurity=False)
    for path, file_hash, _ in rows:
        digest.update(f"{path}\0{file_hash}\n".encode())
    return files_snapshot(digest.hexdigest(), [(path, bytes(data)) for path, _, data in rows],
                          f"data source {source.name!r}", "USERSCRIPTS_DATA_SOURCE")


def after_sync(sender, instance, **kwargs):
    """``core.signals.post_sync``: a sync of the configured data source records its files."""
    try:
        source = origin()
    except ConfigurationError:
        return  # said by the command, the API and the page
    if isinstance(source, DataSourceOrigin) and instance.name == source.name:
        fleet_sync.sync(source)


def install():
    from core.signals import post_sync

    READERS[DataSourceOrigin.kind] = read
    post_sync.connect(after_sync, dispatch_uid="userscripts-data-source")
