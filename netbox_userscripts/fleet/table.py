"""The process table as people read it: each row with its state (live or gone) and a version mismatch flag.

One function serves the API, the page and ``manage.py userscripts --processes``.
"""
from datetime import timedelta

from django.utils import timezone

from netbox_userscripts.fleet.models import SyncedVersion, UserscriptProcess
from netbox_userscripts.fleet.origin import origin
from netbox_userscripts.fleet.processes import GONE_AFTER


def sync_status():
    """The recorded version and the last sync's outcome, or None with a plain folder."""
    source = origin()
    if source is None:
        return None
    row = SyncedVersion.objects.filter(source=source.kind).first()
    return {
        "source": source.kind, "url": "", "branch": "", "path": "", **source.describe(),
        "commit": row.commit if row else "",
        "synced": row.synced.isoformat() if row and row.synced else None,
        "attempted": row.attempted.isoformat() if row and row.attempted else None,
        "error": row.error if row else "",
    }


def process_rows():
    """Every process in the table, oldest host first: what ``GET /api/userscripts/processes/`` lists."""
    status = sync_status()
    recorded = status["commit"] if status else ""
    gone_before = timezone.now() - timedelta(seconds=GONE_AFTER)
    rows = []
    for process in UserscriptProcess.objects.order_by("hostname", "started", "pid"):
        rows.append({
            "hostname": process.hostname, "pid": process.pid, "role": process.role,
            "started": process.started.isoformat(), "last_seen": process.last_seen.isoformat(),
            "state": "gone" if process.last_seen < gone_before else "live",
            "version": process.version,
            "mismatch": bool(recorded) and process.version != recorded,
            "loaded": process.loaded, "failed": process.failed,
        })
    return {"recorded": recorded or None, "sync": status, "count": len(rows), "results": rows}
