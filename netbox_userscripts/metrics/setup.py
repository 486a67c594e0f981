"""The metrics' start-up in every process: the switch, the slow-hook threshold, the multi-process folder, the log."""
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics import multiproc, observe
from netbox_userscripts.metrics.slowhooks import running

log_records = observe.LogRecordCounter()


def start():
    """Read ``METRICS_ENABLED`` and ``USERSCRIPTS_SLOW_HOOK_SECONDS`` (a bad value raises ``ConfigurationError``)."""
    running.configure()
    log.central_log.add_filter(log_records)  # counts only while metrics are on
    log.central_log.on_drop = observe.count_dropped_log_record
    if observe.configure():
        multiproc.prepare()
