"""``observe()``: the one entry point for the time and outcome of a receiver call, a ``call()``, a job or task run.

The engine's call sites (``hooks.receivers``, ``web.calls``, ``jobs.runner``, the task
workers) time the userscript's code and hand the figure here, whatever records it. With
``METRICS_ENABLED`` off (the default, as NetBox's) ``observe()`` returns at once: no
prometheus-client call, no file written. The other counters (loads, schedule periods, the
log's records) go through ``count()`` and the gauges through ``set_gauge()``, under the same switch.
"""
import logging

from netbox_userscripts.conf import setting
from netbox_userscripts.metrics import families


class MetricsState:
    """Whether metrics are on in this process, and the labelled children already looked up (the hot path's cache)."""

    def __init__(self):
        self.enabled = False
        self.children = {}  # (kind, module, name, signal, sender, outcome) -> (histogram child, counter child)


state = MetricsState()


def configure(enabled=None):
    """Metrics on or off in this process: ``METRICS_ENABLED`` unless told."""
    state.enabled = bool(setting("METRICS_ENABLED") if enabled is None else enabled)
    return state.enabled


def observe(kind, module, name, seconds, outcome, signal=None, sender=None):
    """Record one run of userscript code: ``kind`` "receiver", "call", "job" or "task"; ``outcome`` "ok", "error",
    "veto" for a receiver, the status for the others; ``signal`` and ``sender`` (a model's label, ``*``) for a receiver.
    """
    if not state.enabled:
        return
    key = (kind, module, name, signal, sender, outcome)
    pair = state.children.get(key)
    if pair is None:
        if kind == "receiver":
            labels = (module, name, signal, sender)
        elif kind == "call":
            labels = (module,)
        else:
            labels = (module, name)
        pair = state.children[key] = (families.DURATIONS[kind].labels(*labels),
                                      families.OUTCOMES[kind].labels(*labels, outcome))
    pair[0].observe(seconds)
    pair[1].inc()


def count(counter, *labels, amount=1):
    """Add ``amount`` to ``counter`` (a family of ``families``) with ``labels``, when metrics are on."""
    if state.enabled and amount:
        (counter.labels(*labels) if labels else counter).inc(amount)


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
