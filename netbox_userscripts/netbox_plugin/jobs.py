"""Script classes of ``USERSCRIPTS_ROOT`` written against NetBox's ``extras.scripts.Script``, run as ``core.Job``.

A userscript module may define NetBox scripts (``from extras.scripts import Script``); they
are found in the loaded modules (so a hot reload brings the new version) and run
synchronously the way NetBox's ``runscript`` runs its own: validated by the script's form,
then ``Job.enqueue(..., immediate=True)``. NetBox's ``ScriptJob`` does the run (one
transaction, rolled back unless ``commit``; the log and output kept in ``Job.data``); only
where the class comes from differs: the userscripts registry, not a ``ScriptModule`` row.
NetBox's own scripts (``SCRIPTS_ROOT``) are left to NetBox. A script's object fields offer
and accept only the objects the user may view (NetBox's ``restrict_form_fields``), so an id
the user may not see is refused as one that does not exist.
"""
import inspect
import time
import uuid
from contextlib import ExitStack, contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from extras.jobs import ScriptJob
from extras.scripts import BaseScript
from netbox.context import current_request, events_queue
from netbox.context_managers import event_tracking
from netbox.registry import registry as netbox_registry
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.netbox_plugin import engine_jobs, results
from netbox_userscripts.scripts.filtering import BadLookup, lookup_object
from utilities.datetime import local_now
from utilities.forms.utils import restrict_form_fields
from utilities.request import NetBoxFakeRequest, copy_safe_request

EXEC_FIELDS = ("_commit", "_schedule_at", "_interval", "_notifications", "_job_timeout")
MAX_INTERVAL = 2147483647  # core.Job.interval is a PositiveIntegerField: PostgreSQL's integer


def scripts():
    """``[(module name, class name, NetBox script class)]``: what the loaded userscripts define that NetBox can run.

    Their NetBox scripts as they are, and their Nautobot-style jobs (``netbox_userscripts.jobs.Job``)
    wrapped as scripts (``engine_jobs.as_script``), each module's in the order it defines them.
    """
    found = []
    for script in registry.modules():
        if not script.loaded:
            continue
        for name, obj in vars(script.module).items():
            if not (inspect.isclass(obj) and obj.__module__ == script.module.__name__ and obj.__name__ == name):
                continue
            if name in script.jobs:  # found by the engine: a Job, not an abstract base
                found.append((script.name, name, engine_jobs.as_script(obj)))
            elif issubclass(obj, BaseScript) and not engine_jobs.is_engine_job(obj):
                found.append((script.name, name, obj))
    return found


def get_script(name):
    """The script class for ``MODULE.ClassName``; ``LookupError`` naming what is missing."""
    module, _, class_name = name.partition(".")
    for module_name, cls_name, cls in scripts():
        if (module_name, cls_name) == (module, class_name):
            return cls
    raise LookupError(f"No script {name!r} in the loaded userscripts (expected MODULE.ClassName).")


class UserscriptJob(ScriptJob):
    """NetBox's ``ScriptJob`` for a class from the userscripts registry."""

    class Meta:
        name = "Run userscript"

    def run(self, data, request=None, commit=True, script_name=None, **kwargs):
        script = get_script(script_name)()
        if request:
            for field_name, fileobj in request.FILES.items():
                data[field_name] = fileobj
        script.request = request
        self.logger.info(f"Executing userscript {script_name} (commit {'enabled' if commit else 'disabled'})")
        started, status = time.perf_counter(), "errored"
        with script_context(request, commit):
            try:
                self.run_script(script, request, data, commit)
                status = "failed" if getattr(script, "failed", False) else "completed"
            finally:  # the script's messages in the job's Log tab too, a failed run's first of all
                results.record_log(self.job, script.messages)
                module, _, class_name = script_name.rpartition(".")
                observe("job", module, class_name, time.perf_counter() - started, status)


@contextmanager
def script_context(request, commit):
    """NetBox's request processors around a run, as ``ScriptJob.run`` applies them (NetBox 4.5+).

    ``event_tracking`` is left out without ``commit``, as NetBox does; here the run is also
    taken out of the request it may run in (a page or an API call, each tracked by NetBox's
    middleware), so rows that roll back leave no change log and no event behind.
    """
    with ExitStack() as stack:
        if not commit:
            stack.enter_context(_untracked())
        for processor in netbox_registry["request_processors"]:
            if commit or processor is not event_tracking:
                stack.enter_context(processor(request))
        yield


@contextmanager
def _untracked():
    request_token, queue_token = current_request.set(None), events_queue.set({})
    try:
        yield
    finally:
        current_request.reset(request_token)
        events_queue.reset(queue_token)


def script_form(cls, user, data=None, files=None, initial=None):
    """The form of the script class ``cls``, its object fields narrowed to what ``user`` may view.

    "Schedule at" and "Recurs every" are checked as fields (a past time, an interval out of
    ``core.Job``'s range, either on a script whose ``scheduling_enabled`` is off), so the
    error names the field instead of NetBox's form-wide "must be in the future".
    """
    script = cls()
    script.form_user = user  # a wrapped Nautobot-style job narrows its object fields itself (engine_jobs)
    form = script.as_form(data, files, initial=initial)
    restrict_form_fields(form, user)
    schedule_field, interval_field = form.fields["_schedule_at"], form.fields["_interval"]
    schedule_field.validators.append(_in_the_future)
    interval_field.validators.append(MaxValueValidator(MAX_INTERVAL))
    if not cls.scheduling_enabled:
        schedule_field.validators.append(_scheduling_disabled)
        interval_field.validators.append(_scheduling_disabled)
    return form


def _in_the_future(value):
    if value < local_now():
        raise ValidationError("Scheduled time must be in the future.", code="past")


def _scheduling_disabled(value):
    raise ValidationError("Scheduling is not enabled for this script (Meta.scheduling_enabled).", code="disabled")


def run(name, data, *, user, commit=False, request=None, files=None):
    """Validate ``data`` with the script's form and run it; return its ``core.Job``.

    Without "Schedule at" (``_schedule_at``) or "Recurs every" (``_interval``, minutes) the
    script runs now, in this process, and the job comes back finished. With either, the
    job is queued as NetBox queues its own scripts: status ``scheduled`` at that time (now
    for an interval alone), run by ``rqworker``, which queues the next run of an interval.
    ``LookupError`` for an unknown script, ``ValidationError`` (by field) for bad input.
    """
    cls = get_script(name)
    data = dict(data) if type(data) is dict else data  # lookups are replaced by keys below, not in the caller's
    form = script_form(cls, user, data, files)
    resolve_lookups(form)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    commit = commit and not getattr(cls, "read_only", False)
    cleaned = {k: v for k, v in form.cleaned_data.items() if k not in EXEC_FIELDS}
    if request is None:
        request = NetBoxFakeRequest({"META": {}, "COOKIES": {}, "POST": data, "GET": {}, "FILES": files or {},
                                     "user": user, "method": "POST", "path": "", "path_info": "",
                                     "id": uuid.uuid4()})
    else:
        request = copy_safe_request(request)  # as NetBox hands a script its request: the same user and id
    schedule_at, interval = form.cleaned_data.get("_schedule_at"), form.cleaned_data.get("_interval")
    # NetBox's form sets _schedule_at to now for an interval alone: the first run is queued too.
    when = ({"schedule_at": schedule_at, "interval": interval, "job_timeout": cls.job_timeout} if schedule_at
            else {"immediate": True})
    return UserscriptJob.enqueue(name=name, user=user, data=cleaned, request=request, commit=commit,
                                 script_name=name, **when)


def resolve_lookups(form):
    """Replace each object given as a dict of field lookups (``{"model": "C9200-48P"}``) by its primary key.

    The lookups are matched among the objects the field offers (those the user may view), so
    the sandbox's JSON input works here too; none or several matching is ``ValidationError``
    naming the field. A list (a ``MultiObjectVar``) may mix keys and dicts.
    """
    errors = {}
    for name, field in form.fields.items():
        value = form.data.get(name) if isinstance(form.data, dict) else None
        if not hasattr(field, "queryset") or not isinstance(value, (dict, list)):
            continue
        try:
            if isinstance(value, dict):
                form.data[name] = lookup_object(field.queryset, value).pk
            else:
                form.data[name] = [lookup_object(field.queryset, item).pk if isinstance(item, dict) else item
                                   for item in value]
        except BadLookup as exc:  # none or several match, or a lookup that is no field
            errors[name] = [str(exc)]
    if errors:
        raise ValidationError(errors)
