"""Script classes of ``USERSCRIPTS_ROOT`` written against NetBox's ``extras.scripts.Script``, run as ``core.Job``.

A userscript module may define NetBox scripts (``from extras.scripts import Script``); they
are found in the loaded modules (so a hot reload brings the new version) and run
synchronously the way NetBox's ``runscript`` runs its own: validated by the script's form,
then ``Job.enqueue(..., immediate=True)``. NetBox's ``ScriptJob`` does the run (one
transaction, rolled back unless ``commit``; the log and output kept in ``Job.data``); only
where the class comes from differs: the userscripts registry, not a ``ScriptModule`` row.
NetBox's own scripts (``SCRIPTS_ROOT``) are left to NetBox.
"""
import inspect
import uuid

from django.core.exceptions import ValidationError

from extras.jobs import ScriptJob
from extras.scripts import BaseScript
from netbox_userscripts.registry import registry
from utilities.request import NetBoxFakeRequest

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
        self.run_script(script, request, data, commit)


def run(name, data, *, user, commit=False, request=None, files=None):
    """Validate ``data`` with the script's form and run it now; return the finished ``core.Job``.

    ``LookupError`` for an unknown script, ``ValidationError`` (by field) for bad input.
    """
    cls = get_script(name)
    form = cls().as_form(data, files)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = {k: v for k, v in form.cleaned_data.items() if k not in EXEC_FIELDS}
    if request is None:
        request = NetBoxFakeRequest({"META": {}, "COOKIES": {}, "POST": data, "GET": {}, "FILES": files or {},
                                     "user": user, "method": "POST", "path": "", "id": uuid.uuid4()})
    return UserscriptJob.enqueue(name=name, user=user, immediate=True, data=cleaned, request=request,
                                 commit=commit, script_name=name)
