"""The engine's Prometheus metrics: names, help and labels, the same in the sandbox and inside NetBox.

Labels are bounded by what the userscripts define, never by the data: a module, a receiver
(its function's name), a signal, a sender (a model's label, ``*`` for a sender-less
receiver), a job or task name, an outcome or status from a short fixed list. No object ids,
no user names. In prometheus-client's multi-process mode (``PROMETHEUS_MULTIPROC_DIR``) each
process writes its own file and a scrape sums them; the gauges say how (``livemax``: the
largest among the living processes).
"""
from prometheus_client import Counter, Gauge, Histogram

# From 5 ms (a logging receiver) to a minute (a job); 12 buckets with +Inf keep a receiver's series few.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0, float("inf"))

RECEIVER_SECONDS = Histogram("userscripts_receiver_duration_seconds", "Time a userscript's receiver took, per call.",
                             ["module", "receiver", "signal", "sender"], buckets=BUCKETS)
RECEIVER_CALLS = Counter("userscripts_receiver_calls", "Receiver calls by outcome: ok, error, veto.",
                         ["module", "receiver", "signal", "sender", "outcome"])
CALL_SECONDS = Histogram("userscripts_call_duration_seconds", "Time a userscript's call() took (GET /userscript/).",
                         ["module"], buckets=BUCKETS)
CALLS = Counter("userscripts_calls", "call() runs by status: ok, error.", ["module", "status"])
JOB_SECONDS = Histogram("userscripts_job_duration_seconds", "Time a job run took.", ["module", "job"],
                        buckets=BUCKETS)
JOB_RUNS = Counter("userscripts_job_runs", "Job runs by final status.", ["module", "job", "status"])
TASK_SECONDS = Histogram("userscripts_task_duration_seconds", "Time a task run took.", ["module", "task"],
                         buckets=BUCKETS)
TASK_RUNS = Counter("userscripts_task_runs", "Task runs by final status: successful, failed.",
                    ["module", "task", "status"])
SCHEDULE_PERIODS = Counter("userscripts_schedule_periods", "Scheduled tasks' periods: enqueued, or skipped "
                           "(passed while no worker ran; only the current period is enqueued).",
                           ["module", "task", "outcome"])
LOADS = Counter("userscripts_loads", "Imports of userscript modules: kind load (start-up) or reload, outcome ok "
                "or error.", ["kind", "outcome"])
MODULES = Gauge("userscripts_modules", "Userscript modules by state: loaded, failed.", ["state"],
                multiprocess_mode="livemax")
VERSION = Gauge("userscripts_version_info", "The userscripts version in use: its commit (1), or a hash of the "
                "folder's files.", ["commit"], multiprocess_mode="livemax")
LOG_RECORDS = Counter("userscripts_log_records", "Records written to the central log, by level.", ["level"])
# Every family has labels: their values are made at first use, after ``multiproc.prepare()``.
LOG_DROPPED = Counter("userscripts_log_stream_dropped", "Records left out of the log stream, by why.", ["reason"])

DURATIONS = {"receiver": RECEIVER_SECONDS, "call": CALL_SECONDS, "job": JOB_SECONDS, "task": TASK_SECONDS}
OUTCOMES = {"receiver": RECEIVER_CALLS, "call": CALLS, "job": JOB_RUNS, "task": TASK_RUNS}
