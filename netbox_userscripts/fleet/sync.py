"""Sync: read the userscripts' origin, try them, and record the version as the one to run.

The origin (``origin.origin()``) is ``USERSCRIPTS_GIT``: its branch is fetched and the
version is the commit; or, inside NetBox, ``USERSCRIPTS_DATA_SOURCE``: the data source's
files as NetBox's last sync left them, the version a hash of them. ``userscripts_sync``,
``POST /api/userscripts/sync/``, the optional git interval and (for a data source) NetBox's
own sync all call ``sync()``. The version is recorded only when it was read and every flat
module of it imported (tried in a process of its own, ``trial``, so this process's modules are
untouched); otherwise the recorded version stays and the failure is recorded beside it
(shown by the page, the API and the command) and logged. Every process then converges on
the recorded version (``converge``).
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from netbox_userscripts.conf import userscripts_root
from netbox_userscripts.fleet.gitconf import DEFAULT_TIMEOUT
from netbox_userscripts.fleet.gitsource import SourceError, fetch, snapshot
from netbox_userscripts.fleet.origin import READERS, origin
from netbox_userscripts.fleet.synclock import one_sync_per_host
from netbox_userscripts.fleet.trial import try_import
from netbox_userscripts.log.central import logger_for

logger = logging.getLogger("netbox_userscripts.sync")


@dataclass
class Outcome:
    ok: bool
    commit: str  # the version recorded after this sync (the old one when it failed)
    message: str
    changed: bool = False

    def as_dict(self):
        return {"ok": self.ok, "commit": self.commit, "message": self.message, "changed": self.changed}


def versions():
    """The ``SyncedVersion`` model (asked of the app registry: this module loads before the models)."""
    return apps.get_model("netbox_userscripts", "SyncedVersion")


def recorded(source):
    """The recorded version's row of ``source``'s kind, or None before the first sync."""
    return versions().objects.filter(source=source.kind).first()


def sync_if_due(source=None):
    """With ``USERSCRIPTS_GIT["interval"]``: sync when the last attempt is that old; one process of all wins it."""
    source = source or origin()
    if source is None or not source.interval or not claim_due(source):
        return None
    return sync(source)


def claim_due(source):
    """Whether the interval's sync of ``source`` is due, claimed by this process if so (one process of all wins)."""
    model = versions()
    model.objects.get_or_create(source=source.kind)
    now = timezone.now()
    due = Q(attempted__isnull=True) | Q(attempted__lt=now - timedelta(seconds=source.interval))
    return bool(model.objects.filter(due, source=source.kind).update(attempted=now))


def read(source):
    """The ``Snapshot`` of ``source`` now (its ``commit`` is the version); raises ``SourceError``."""
    if source.kind == "git":
        commit = fetch(source.remote, source.branch, source.repository, source.credentials.as_dulwich(),
                       timeout=source.timeout)
        return snapshot(source.repository, commit, source.path)
    reader = READERS.get(source.kind)
    if reader is None:
        raise SourceError(f"{source} cannot be read here (inside NetBox only)")
    return reader(source)


def sync(source=None):
    """Read, try and record; never raises for bad input: the ``Outcome`` says what happened.

    One sync at a time on a host (``synclock``): a second waits for the first up to the fetch's timeout.
    """
    source = source or origin()
    if source is None:
        return Outcome(False, "", "USERSCRIPTS_GIT is not set: the userscripts are a plain folder, nothing to sync.")
    with one_sync_per_host(userscripts_root(), source.timeout or DEFAULT_TIMEOUT) as mine:
        if mine:
            return _sync(source)
    row = recorded(source)
    message = f"sync of {source} not started: another sync on this host is still running; try again later."
    logger_for("userscripts_sync").warning("%s", message)
    return Outcome(False, row.commit if row else "", message)


def _sync(source):
    model = versions()
    row, _ = model.objects.get_or_create(source=source.kind)
    previous = row.commit
    try:
        shot = read(source)
        failures = try_import(shot.files, source.timeout or DEFAULT_TIMEOUT)
        if failures:
            what = "commit" if source.kind == "git" else "version"
            raise SourceError(f"{what} {shot.commit[:12]} does not import: " + "; ".join(failures))
    except SourceError as exc:
        message = f"sync of {source} failed, {_kept(previous)}: {exc}"
        model.objects.filter(pk=row.pk).update(attempted=timezone.now(), error=message)
        logger_for("userscripts_sync").error("%s", message)
        return Outcome(False, previous, message)
    now, commit, where = timezone.now(), shot.commit, source.describe()
    with transaction.atomic():
        model.objects.filter(pk=row.pk).update(
            commit=commit, files=shot.files, url=where.get("url", ""), branch=where.get("branch", ""),
            path=where.get("path", ""), synced=now, attempted=now, error="")
    skipped = f" (left out, binary or too large: {', '.join(shot.skipped)})" if shot.skipped else ""
    message = (f"synced {source} at {commit[:12]}" if commit != previous
               else f"{source} is still at {commit[:12]}") + skipped
    logger_for("userscripts_sync").info("%s", message)
    return Outcome(True, commit, message, changed=commit != previous)


def _kept(previous):
    return f"keeping {previous[:12]}" if previous else "no version recorded yet"
