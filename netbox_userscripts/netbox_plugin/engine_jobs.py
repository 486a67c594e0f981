"""A Nautobot-style ``Job`` of the userscripts (``netbox_userscripts.jobs.Job``) as a NetBox ``Script`` class.

Inside NetBox a userscript's jobs run the way its NetBox scripts do (``jobs.UserscriptJob``,
a ``ScriptJob``: one transaction, a ``core.Job`` holding the log and output): ``as_script``
wraps the job class in a ``Script`` subclass whose form is built from the job's vars and
whose ``run`` calls the job's ``run()``, each ``test_*()`` and ``post_run()`` in the
engine's order. Each log call of the job goes both to the central log (the engine's own
``_log``) and to the NetBox script's log, its test methods' entries as NetBox's reports
keep them (``Job.data["tests"]``). A read-only job never commits.
"""
from django import forms
from django.utils.functional import classproperty

from extras.forms.scripts import ScriptForm
from extras.jobs import AbortScript  # the one ScriptJob recognises (``type(e) is AbortScript``)
from extras.scripts import Script
from netbox_userscripts.exceptions import AbortScript as EngineAbortScript
from netbox_userscripts.jobs.runner import call_run
from netbox_userscripts.scripts.base import Job
from netbox_userscripts.scripts.fields import ObjectFieldMixin
from netbox_userscripts.scripts.introspection import info


def is_engine_job(cls):
    return isinstance(cls, type) and issubclass(cls, Job) and cls is not Job


def as_script(job_class):
    """A NetBox ``Script`` class running ``job_class``; its name, description and form are the job's."""
    meta = info(job_class)
    script_meta = type("Meta", (), {"name": meta.name, "description": meta.description,
                                    "commit_default": meta.commit_default and not meta.read_only})
    return type(job_class.__name__, (JobScript,), {"Meta": script_meta, "job_class": job_class,
                                                   "__module__": job_class.__module__})


class JobScript(Script):
    """The NetBox script of one engine job class (``job_class``): ``as_script`` makes the subclass."""

    job_class = None
    form_user = None  # who fills the form in: its object fields offer what this user may view

    def __init__(self):
        super().__init__()
        self.tests = {name: {"success": 0, "info": 0, "warning": 0, "failure": 0, "log": []}
                      for name in info(self.job_class).test_methods}

    @classmethod
    def _get_vars(cls):
        return dict(info(cls.job_class).vars)

    @classproperty
    def read_only(cls):
        return info(cls.job_class).read_only

    def as_form(self, data=None, files=None, initial=None):
        meta = info(self.job_class)
        fields = {name: var.as_field() for name, var in meta.vars.items()}
        form = type("ScriptForm", (ScriptForm,), fields)(data, files, initial=initial)
        form.fields["_commit"].initial = self.commit_default
        if meta.read_only:
            form.fields["_commit"].widget = forms.HiddenInput()
        values = form.data if form.is_bound else {**{n: f.initial for n, f in form.fields.items()}, **(initial or {})}
        for field in form.fields.values():
            if isinstance(field, ObjectFieldMixin):
                field.restrict_to(self.form_user)
                field.filter_by(values)
        return form

    def run(self, data, commit):
        meta = info(self.job_class)
        job = self.job_class()
        if not hasattr(job, "log_entries"):  # an __init__ that did not call super().__init__()
            Job.__init__(job)
        job.request = self.request
        job.user = getattr(self.request, "user", None)
        job._log = self._relay(job)
        try:
            output = call_run(job, meta, data, commit)
            for name in meta.test_methods:
                self._current_test = job.active_test = name
                getattr(job, name)()
            return output
        except EngineAbortScript as exc:  # NetBox's ScriptJob knows its own AbortScript only
            raise AbortScript(str(exc) or "The job was aborted.") from exc
        finally:
            self._current_test = None
            job.active_test = "post_run"
            job.post_run()

    def _relay(self, job):
        """The job's ``_log``, also writing each entry into this script's log (with the object, for its link)."""
        engine_log = type(job)._log

        def relay(level, args, obj, message, trace=None):
            engine_log(job, level, args, obj, message, trace)
            entry = job.log_entries[-1]
            real_obj = obj if obj is not None else next((a for a in args if hasattr(a, "_meta")), None)
            self._log(entry["message"], real_obj, level="info" if level == "default" else level)
            if level == "failure":
                self.failed = True
        return relay
