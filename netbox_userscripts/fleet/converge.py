"""Bring this process to the recorded version: materialise its files into the root, reload.

With ``USERSCRIPTS_GIT`` (or a NetBox data source), ``ensure_current()`` reads the recorded commit (one indexed
query), and when it is not the one this process runs, writes that version into this host's
``USERSCRIPTS_ROOT`` (once per host, under a file lock) and swaps every module to it. The
heartbeat calls it every second in every process; ``runjob`` calls it before it looks the
job up. With a plain folder this process's version is the folder's hash and nothing else
changes.
"""
import logging
import threading

from django.apps import apps

from netbox_userscripts.conf import userscripts_root
from netbox_userscripts.fleet.materialise import folder_hash, held, materialise
from netbox_userscripts.fleet.origin import origin
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log.central import logger_for
from netbox_userscripts.metrics import families
from netbox_userscripts.metrics.observe import set_gauge, state

logger = logging.getLogger("netbox_userscripts.converge")


class Convergence:
    """This process's version and the one step that moves it to the recorded one."""

    def __init__(self):
        self.commit = ""  # the synced commit this process runs ("" before any)
        self._folder_version = None
        self._signature = None
        self._lock = threading.Lock()

    def start_from_disk(self):
        """At start-up, before the database may be asked: what this host's root already holds."""
        self.commit = held(userscripts_root())[0] if origin() else ""

    @property
    def version(self):
        """The commit this process runs, or a hash of the plain folder's files as loaded."""
        if self.commit:
            return self.commit
        signature = tuple((m.name, m.loaded_at) for m in registry.modules())
        if signature != self._signature or self._folder_version is None:
            self._signature, self._folder_version = signature, folder_hash(registry.root or userscripts_root())
        return self._folder_version

    def recorded_commit(self, kind="git"):
        model = apps.get_model("netbox_userscripts", "SyncedVersion")
        return model.objects.filter(source=kind).values_list("commit", flat=True).first() or ""

    def ensure_current(self):
        """Move to the recorded commit if this process runs another; True when it moved."""
        source = origin()
        if source is None:
            return False
        recorded = self.recorded_commit(source.kind)
        if not recorded or recorded == self.commit:
            return False
        with self._lock:
            if recorded == self.commit:
                return False
            model = apps.get_model("netbox_userscripts", "SyncedVersion")
            row = model.objects.filter(source=source.kind, commit=recorded).values("commit", "files").first()
            if row is None:
                return False  # replaced by a newer sync meanwhile: the next check takes that one
            root = userscripts_root()
            materialise(root, row["commit"], row["files"])
            if registry.root != root:
                registry.load_all(root)
            else:
                registry.refresh()
            old, self.commit = self.commit, row["commit"]
            logger_for("userscripts_sync").info("this process moved from %s to %s", old[:12] or "the folder",
                                                self.commit[:12])
            return True


convergence = Convergence()


class VersionGauge:
    """``userscripts_version_info{commit}``: 1 for the version this process runs, 0 for the one it ran before."""

    def __init__(self):
        self.reported = None

    def report(self):
        """A heartbeat's chore: set the gauge when the version changed (and metrics are on)."""
        if not state.enabled:
            return
        version = convergence.version
        if version != self.reported:
            if self.reported is not None:
                set_gauge(families.VERSION, 0, self.reported)
            set_gauge(families.VERSION, 1, version)
            self.reported = version


version_gauge = VersionGauge()
