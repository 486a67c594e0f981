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
import uuid
from contextlib import ExitStack, contextmanager

from django.core.exceptions import ValidationError

from extras.jobs import ScriptJob
from extras.scripts import BaseScript
from netbox.context import current_request, events_queue
from netbox.context_managers import event_tracking
from netbox.registry import registry as netbox_registry
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.netbox_plugin import results
from utilities.forms.utils import restrict_form_fields
from utilities.request import NetBoxFakeRequest, copy_safe_request

EXEC_FIELDS = ("_commit", "_schedule_at", "_interval", "_notifications", "_job_timeout")


def scripts():
    """``[(module name, class name, class)]``: the NetBox scripts the loaded userscripts define."""
    found = []
    for script in registry.modules():
        if not script.loaded:
            continue
        for name, obj in vars(script.module).items():
            if (inspect.isclass(obj) and issubclass(obj, BaseScript) and obj.__module__ == script.module.__name__
                    and obj.__name__ == name):
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
        with script_context(request, commit):
            try:
                self.run_script(script, request, data, commit)
            finally:  # the script's messages in the job's Log tab too, a failed run's first of all
                results.record_log(self.job, script.messages)


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
    """The form of the script class ``cls``, its object fields narrowed to what ``user`` may view."""
    form = cls().as_form(data, files, initial=initial)
    restrict_form_fields(form, user)
    return form


def run(name, data, *, user, commit=False, request=None, files=None):
    """Validate ``data`` with the script's form and run it now; return the finished ``core.Job``.

    ``LookupError`` for an unknown script, ``ValidationError`` (by field) for bad input.
    """
    form = script_form(get_script(name), user, data, files)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = {k: v for k, v in form.cleaned_data.items() if k not in EXEC_FIELDS}
    if request is None:
        request = NetBoxFakeRequest({"META": {}, "COOKIES": {}, "POST": data, "GET": {}, "FILES": files or {},
                                     "user": user, "method": "POST", "path": "", "path_info": "",
                                     "id": uuid.uuid4()})
    else:
        request = copy_safe_request(request)  # as NetBox hands a script its request: the same user and id
    return UserscriptJob.enqueue(name=name, user=user, immediate=True, data=cleaned, request=request,
                                 commit=commit, script_name=name)
