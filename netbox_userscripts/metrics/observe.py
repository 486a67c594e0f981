"""``observe()``: the one entry point for the time and outcome of a receiver call, a ``call()``, a job or task run.

The engine's call sites (``hooks.receivers``, ``web.calls``, ``jobs.runner``, the task
workers) time the userscript's code and hand the figure here, whatever records it: always the
recorder behind the page's "Hook costs" (``window``, about a microsecond), and Prometheus's
families when ``METRICS_ENABLED`` is on. Off (the default, as NetBox's), nothing more: no
prometheus-client call, no file written.

With it on, a save must not pay for prometheus-client's multi-process values (a lock, a
``getpid`` and a write into a shared file per value, three values per receiver call): an
observation is added to this process's pending totals (a bucket's count, a sum, an outcome's
count, under one lock) and ``flush()`` hands the totals to prometheus-client, a few values per
receiver whatever the number of calls: every second on a daemon thread, before this process
answers a scrape, at the end of each task or job run (an RQ work horse exits right after its job)
and when the process exits. A forked child starts with no pending totals (they are its
parent's to hand over).

The other counters (loads, schedule periods, the log's records) go through ``count()``, pending
and handed over the same way (a logging receiver writes a record per save); the gauges, rare,
through ``set_gauge()`` straight away; all under the same switch.
"""
import atexit
import bisect
import logging
import os
import threading
import time

from netbox_userscripts.conf import setting
from netbox_userscripts.log.survive import SurvivingLoop
from netbox_userscripts.metrics import families
from netbox_userscripts.metrics.window import recorder

FLUSH_EVERY = 1.0  # seconds between two hand-overs of the pending totals
BOUNDS = families.BUCKETS[:-1]  # a duration's bucket: bisect over the finite bounds; +Inf is the last


class MetricsState:
    """Whether metrics are on in this process, and what it observed and has not handed to prometheus-client yet."""

    def __init__(self):
        self.enabled = False
        self.lock = threading.Lock()
        self.pending = {}  # (kind, module, name, signal, sender, outcome) -> [bucket counts, sum of seconds, count]
        self.counts = {}  # (counter family, labels) -> the amount to add
        self.children = {}  # the same key -> (histogram child, counter child): labels looked up once
        self.flusher = None
        self.guard = SurvivingLoop("netbox_userscripts.metrics", "userscripts metrics flusher")

    def forked(self):
        """In a forked child: what the parent observed is the parent's to hand over; this child has no flusher yet."""
        self.lock = threading.Lock()
        self.pending, self.counts = {}, {}
        self.flusher = None


state = MetricsState()
os.register_at_fork(after_in_child=state.forked)


def configure(enabled=None):
    """Metrics on or off in this process: ``METRICS_ENABLED`` unless told."""
    state.enabled = bool(setting("METRICS_ENABLED") if enabled is None else enabled)
    return state.enabled


def observe(kind, module, name, seconds, outcome, signal=None, sender=None):
    """Record one run of userscript code: ``kind`` "receiver", "call", "job" or "task"; ``outcome`` "ok", "error",
    "veto" for a receiver, the status for the others; ``signal`` and ``sender`` (a model's label, ``*``) for a receiver.
    """
    recorder.observe((kind, module, name, signal or "", sender or ""), seconds, outcome)  # the page's hook costs
    if not state.enabled:
        return
    key = (kind, module, name, signal, sender, outcome)
    with state.lock:
        totals = state.pending.get(key)
        if totals is None:
            totals = state.pending[key] = [[0] * len(families.BUCKETS), 0.0, 0]
        totals[0][bisect.bisect_left(BOUNDS, seconds)] += 1
        totals[1] += seconds
        totals[2] += 1
    if state.flusher is None:
        _start_flusher()
    if kind in ("task", "job"):  # the process may end with the run (an RQ work horse): hand it over now
        flush()


def flush():
    """Hand the pending totals to prometheus-client (this process's values, or its file in multi-process mode)."""
    with state.lock:
        (pending, state.pending), (counts, state.counts) = (state.pending, {}), (state.counts, {})
    for (counter, labels), amount in counts.items():
        (counter.labels(*labels) if labels else counter).inc(amount)
    for key, (buckets, total, calls) in pending.items():
        histogram, counter = _children(key)
        histogram._sum.inc(total)  # what ``Histogram.observe`` does per call, done once for many
        for index, count in enumerate(buckets):
            if count:
                histogram._buckets[index].inc(count)
        counter.inc(calls)


def _children(key):
    pair = state.children.get(key)
    if pair is None:
        kind, module, name, signal, sender, outcome = key
        if kind == "receiver":
            labels = (module, name, signal, sender)
        elif kind == "call":
            labels = (module,)
        else:
            labels = (module, name)
        pair = state.children[key] = (families.DURATIONS[kind].labels(*labels),
                                      families.OUTCOMES[kind].labels(*labels, outcome))
    return pair


def _start_flusher():
    with state.lock:
        if state.flusher is not None:
            return
        state.flusher = threading.Thread(target=_flush_forever, name="userscripts-metrics", daemon=True)
    state.flusher.start()


def _flush_forever():
    while True:
        time.sleep(FLUSH_EVERY)
        state.guard.run(flush)


atexit.register(flush)


def count(counter, *labels, amount=1):
    """Add ``amount`` to ``counter`` (a family of ``families``) with ``labels``, when metrics are on."""
    if state.enabled and amount:
        key = (counter, labels)
        with state.lock:
            state.counts[key] = state.counts.get(key, 0) + amount
        if state.flusher is None:
            _start_flusher()


def set_gauge(gauge, value, *labels):
    if state.enabled:
        gauge.labels(*labels).set(value)


class LogRecordCounter(logging.Filter):
    """Counts the records the central log's file handler writes, by level (a filter that lets all through)."""

    def filter(self, record):
        if state.enabled:
            families.LOG_RECORDS.labels(record.levelname).inc()
        return True


def count_dropped_log_record():
    count(families.LOG_DROPPED, "queue_full")
