"""The ``Userscript`` table: a row per userscript module, written from what this process loaded.

Each process that runs userscripts writes it from its heartbeat (``fleet.processes``), so
a new, changed, failed or deleted module shows within a few seconds of the reload. Only
what changed since this process's last write is written: a steady process costs one
comparison in memory. A module whose file is gone keeps its row, ``state = "deleted"``,
so what points at it (NetBox's event rules, object permissions) keeps pointing at a name.
"""
import hashlib

from django.apps import apps
from django.db import IntegrityError, transaction

DELETED = "deleted"


def file_version(path):
    """The first 12 hex digits of the SHA-256 of the file at ``path`` ("" when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


class ModuleTable:
    """This process's writer of the table; ``record(modules)`` is all it does."""

    def __init__(self):
        self._written = None  # name -> (state, loaded_at, error) last written by this process; None: nothing yet

    @staticmethod
    def model():
        return apps.get_model("netbox_userscripts", "Userscript")

    def record(self, modules):
        """Write the rows of ``modules`` (the registry's records) that changed; mark the vanished ones deleted."""
        model = self.model()
        paths = {m.name: m.path for m in modules}
        wanted = {m.name: (m.state, m.loaded_at, m.error) for m in modules}  # a reload gives a new loaded_at
        written = self._written or {}
        changed = {name: row for name, row in wanted.items() if written.get(name) != row}
        if self._written is not None and not changed and set(written) == set(wanted):
            return
        with transaction.atomic():
            for name, (state, loaded_at, error) in changed.items():
                defaults = {"state": state, "version": file_version(paths[name]), "last_loaded": loaded_at,
                            "error": error[:2000]}
                try:
                    with transaction.atomic():
                        model.objects.update_or_create(name=name, defaults=defaults)
                except IntegrityError:  # another process created it first: update that row
                    model.objects.filter(name=name).update(**defaults)
            # Gone from this process's folder, or (at its first write) from the folder before it started.
            model.objects.exclude(name__in=wanted).exclude(state=DELETED).update(state=DELETED)
        self._written = wanted

    def forget(self):
        """Write everything again at the next ``record`` (a forked child, a new database)."""
        self._written = None


module_table = ModuleTable()
