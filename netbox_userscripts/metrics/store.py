"""Hook costs in the database: this process's tallies added to ``HookStat``, old rows pruned, the hour read back.

``flush`` runs as a heartbeat chore (every second; it writes at most every ``FLUSH_EVERY``
seconds), so what a process counted is on every host's page within seconds, and once more
at the process's exit (a command without a heartbeat that saved). Each tally is
added to its row with ``UPDATE ... SET calls = calls + n`` (the row created when missing), so
processes never read and rewrite each other's counts. A database that refuses keeps the
tallies in memory for the next try.

``costs`` is the page's, the command's and the API's one query: the last hour grouped by
receiver, summed by the database, the slowest and the failing first.
"""
import time

from django.apps import apps
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.db.models.functions import Greatest

from netbox_userscripts.metrics.window import BUCKET_FIELDS, quantile, recorder

FLUSH_EVERY = 3.0  # seconds between writes of this process's tallies
KEEP_DAYS = 7
PRUNE_EVERY = 600.0  # seconds between deletions of rows older than KEEP_DAYS
KEY_FIELDS = ("kind", "module", "name", "signal", "sender")


class Store:
    """This process's side of the ``HookStat`` table."""

    def __init__(self):
        self._last_flush = 0.0
        self._last_prune = 0.0

    def chore(self):
        """The heartbeat's chore: flush when due, prune when due."""
        now = time.monotonic()
        if recorder and now - self._last_flush >= FLUSH_EVERY:
            self._last_flush = now
            self.flush()
        if now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            prune()

    def flush(self):
        """Add everything recorded since the last flush to the table; on a database error, keep it for later."""
        pending = recorder.take()
        if not pending:
            return 0
        try:
            with transaction.atomic():
                # in one order in every process: two flushes touching the same rows never deadlock (PostgreSQL)
                for (minute, key), tally in sorted(pending.items(), key=lambda item: item[0]):
                    _add(minute, key, tally)
        except DatabaseError:
            recorder.give_back(pending)
            raise
        return len(pending)


    def flush_at_exit(self):
        """At a process's exit: what it counted since the last heartbeat (a short ``runjob``, a shell that saved)."""
        if not recorder:
            return
        try:
            self.flush()
        except Exception:  # noqa: BLE001  (exiting: the database gone or never set up loses these seconds only)
            pass


def hookstat():
    return apps.get_model("netbox_userscripts", "HookStat")  # imported by apps.py, before models may be


def _add(minute, key, tally):
    """Add one tally to its row: an increment in SQL, the row created by the first process to count it."""
    model = hookstat()
    where = dict(zip(KEY_FIELDS, key, strict=True), minute=minute)
    increments = {"calls": F("calls") + tally.calls, "errors": F("errors") + tally.errors,
                  "vetoes": F("vetoes") + tally.vetoes, "seconds": F("seconds") + tally.seconds,
                  "largest": Greatest(F("largest"), tally.largest)}
    for index, count in tally.buckets.items():
        increments[BUCKET_FIELDS[index]] = F(BUCKET_FIELDS[index]) + count
    if model.objects.filter(**where).update(**increments):
        return
    values = {"calls": tally.calls, "errors": tally.errors, "vetoes": tally.vetoes, "seconds": tally.seconds,
              "largest": tally.largest, **{BUCKET_FIELDS[i]: count for i, count in tally.buckets.items()}}
    try:
        with transaction.atomic():
            model.objects.create(**where, **values)
    except IntegrityError:  # another process created it in the meantime: add to theirs
        model.objects.filter(**where).update(**increments)


def prune(now=None):
    """Delete the rows older than ``KEEP_DAYS``."""
    oldest = int((now or time.time()) // 60) - KEEP_DAYS * 24 * 60
    return hookstat().objects.filter(minute__lt=oldest).delete()[0]


def costs(modules=None, minutes=60, now=None):
    """Per receiver, ``call``, job and task over the last ``minutes``: calls, errors, vetoes, p50, p99, mean, max.

    Only the modules in ``modules`` (None: all). The failing first, then the slowest (p99).
    Durations are in seconds.
    """
    since = int((now or time.time()) // 60) - minutes + 1  # this minute and the minutes-1 before it
    rows = hookstat().objects.filter(minute__gte=since)
    if modules is not None:
        rows = rows.filter(module__in=modules)
    sums = {field: Sum(field) for field in ("calls", "errors", "vetoes", "seconds", *BUCKET_FIELDS)}
    result = []
    for row in rows.values(*KEY_FIELDS).annotate(largest_=Max("largest"), **{f"{k}_": v for k, v in sums.items()}):
        counts = [row[f"{field}_"] for field in BUCKET_FIELDS]
        calls, largest = row["calls_"], row["largest_"]
        result.append({**{k: row[k] for k in KEY_FIELDS}, "calls": calls, "errors": row["errors_"],
                       "vetoes": row["vetoes_"], "p50": quantile(counts, 0.5, largest),
                       "p99": quantile(counts, 0.99, largest), "mean": row["seconds_"] / calls if calls else None,
                       "max": largest})
    result.sort(key=lambda r: (-(r["errors"] / r["calls"] if r["calls"] else 0), -(r["p99"] or 0)))
    return result


def readable(row):
    """``row`` of ``costs`` with what people read: ``label`` and the durations as text (``p50_text``, ...)."""
    where = f" on {row['signal']} of {row['sender']}" if row["signal"] else ""
    return {**row, "label": f"{row['module']}.{row['name']}{where}",
            **{f"{k}_text": duration_text(row[k]) for k in ("p50", "p99", "mean", "max")}}


def duration_text(seconds):
    """``0.02 ms``, ``203 ms``, ``1.4 s``; a dash for None."""
    if seconds is None:
        return "–"
    if seconds >= 1:
        return f"{seconds:.1f} s"
    milliseconds = seconds * 1000
    return f"{milliseconds:.0f} ms" if milliseconds >= 10 else f"{milliseconds:.2g} ms"


store = Store()
