"""A userscript's run shown as NetBox shows its own scripts' runs: the log table, the tests, the output.

NetBox's ``ScriptJob`` keeps a script's messages in ``Job.data`` (``{"log", "output", "tests"}``)
and shows them on ``/extras/scripts/results/<id>/``, a page that needs the script's
``ScriptModel`` row and the permission ``extras.view_script``, neither of which a userscript
has. The same data is shown here, on the plugin's result page and on the job's own page
(``/core/jobs/<id>/``, through ``template_content``), in NetBox's own table (its
``ScriptResultView.get_table``: time, level in NetBox's colours, object links, Markdown).

``record_log`` copies the messages into ``Job.log_entries`` as well, so the job's Log tab has
them beside the runner's own lines, in time order.
"""
import logging
from dataclasses import asdict
from datetime import datetime

from core.dataclasses import JobLogEntry
from core.models import Job

from extras.choices import LogLevelChoices
from extras.constants import LOG_LEVEL_RANK
from extras.views import ScriptResultView
from netbox_userscripts.models import Userscript


def record_log(job, messages):
    """Add a script's messages (``Script.messages``) to ``job.log_entries`` (saved with the job)."""
    entries = [asdict(JobLogEntry(level=_job_level(m.get("status")), message=_message(m),
                                  timestamp=datetime.fromisoformat(m["time"]))) for m in messages]
    job.log_entries = sorted([*job.log_entries, *entries], key=lambda entry: _when(entry["timestamp"]))


def _job_level(status):
    # The Log tab knows Python's levels only (debug, info, warning, error): success is info there, as in
    # NetBox's system log; the result table keeps the script's own level.
    return logging.getLevelName(LogLevelChoices.SYSTEM_LEVELS.get(status, logging.INFO)).lower()


def _message(message):
    return f"{message['obj']}: {message['message']}" if message.get("obj") else message["message"]


def _when(timestamp):
    return datetime.fromisoformat(timestamp) if isinstance(timestamp, str) else timestamp


def is_userscript_run(job):
    """Whether ``job`` is a userscript's run: a script's data (``"log"``) with no ``ScriptModel`` behind it.

    A run still to come (scheduled or queued) has no data yet: it is one when it is named
    ``module.ClassName`` after a userscript module the plugin knows.
    """
    if job.object_type_id is not None:
        return False
    if isinstance(job.data, dict):
        return "log" in job.data
    module, dot, _ = job.name.partition(".")
    return job.data is None and not job.completed and bool(dot) and Userscript.objects.filter(name=module).exists()


def module_of(job):
    """The userscript module a run belongs to (its name is ``module.ClassName``)."""
    return job.name.partition(".")[0]


def may_view(user, job):
    """Whether ``user`` started the run ``job`` or may view it as a NetBox job (``core.view_job``, constraints)."""
    return job.user_id == user.pk or Job.objects.restrict(user, "view").filter(pk=job.pk).exists()


def result_context(job, request):
    """What the result templates show: NetBox's log table at the asked threshold, the tests, the output."""
    threshold = request.GET.get("log_threshold", LogLevelChoices.LOG_INFO)
    if threshold not in LOG_LEVEL_RANK:
        threshold = LogLevelChoices.LOG_INFO
    data = job.data if isinstance(job.data, dict) else {}
    return {
        "job": job,
        "module": module_of(job),
        "table": ScriptResultView().get_table(job, request) if job.completed else None,
        "tests": data.get("tests") or {},
        "has_output": "output" in data,
        "output": data.get("output"),
        "log_levels": dict(LogLevelChoices),
        "log_threshold": threshold,
    }
