"""Figure 16: the page's hook-costs query, the last hour of 200 receivers, with a week of rows kept (< 100 ms).

``HookStat`` is filled as a week of busy processes leaves it: 200 receivers, each called in
every minute of 7 days (2,016,000 rows, one per receiver and minute whatever the number of
processes, since each adds to the same row), some failing. The figure is the median time of
``store.costs()`` (the query the page, ``userscripts --stats`` and the API run: the database
sums an hour's buckets, Python reads 200 rows). The details add what ``observe()``, on the
hot path of every save, costs in this process (microseconds per call).
"""
import statistics
import time

from django.db import connection

from benchmarks.common import Figure, timed
from netbox_userscripts.metrics import store
from netbox_userscripts.metrics.window import BUCKET_FIELDS, Recorder

RECEIVERS = 200
MINUTES = 7 * 24 * 60
NAME = f"hook costs of the last hour, {RECEIVERS} receivers, a week of rows kept (page's query)"
OBSERVED = 100_000


def fill(now_minute):
    """A week of rows written by SQL itself (inserting two million through the ORM would take minutes), minute by
    minute as the heartbeats add them, so the last hour's rows lie together on disk as they would."""
    table = store.hookstat()._meta.db_table
    buckets = ", ".join(f"CASE WHEN r.i % 15 + 1 = {index} THEN 10 ELSE 0 END" for index in range(len(BUCKET_FIELDS)))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {RECEIVERS - 1}),
                           m(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM m WHERE j < {MINUTES - 1})
            INSERT INTO {table} (minute, kind, module, name, signal, sender, calls, errors, vetoes, seconds, largest,
                                 {", ".join(BUCKET_FIELDS)})
            SELECT {now_minute - MINUTES + 1} + m.j, 'receiver', 'module' || (r.i % 20), 'receiver' || r.i, 'post_save',
                   'dcim.Device', 10, CASE WHEN r.i % 10 = 0 THEN 1 ELSE 0 END, 0, 0.01 * (r.i % 15 + 1),
                   0.0001 * (1 << (r.i % 15 + 1)), {buckets}
            FROM m CROSS JOIN r""")  # oldest minute first, as the heartbeats write them (CROSS JOIN: in this order)


def observe_cost():
    recorder = Recorder()
    key = ("receiver", "module", "receiver", "post_save", "dcim.Device")
    started = time.perf_counter()
    for _ in range(OBSERVED):
        recorder.observe(key, 0.00002, "ok")
    return (time.perf_counter() - started) / OBSERVED


def run():
    now_minute = int(time.time() // 60)
    started = time.perf_counter()
    fill(now_minute)
    filled = time.perf_counter() - started
    rows = store.costs()
    assert len(rows) == RECEIVERS and rows[0]["errors"], "the filled rows do not read back"
    seconds = [timed(store.costs) for _ in range(7)]
    median = statistics.median(seconds)
    return [Figure("16", NAME, round(median * 1000, 1), "< 100", median < 0.1, "ms", {
        "rows": RECEIVERS * MINUTES, "fill_seconds": round(filled, 1),
        "query_ms": [round(s * 1000, 1) for s in seconds],
        "observe_us_per_call": round(observe_cost() * 1e6, 2)})]
