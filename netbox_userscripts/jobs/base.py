"""The ``Job`` base class (alias ``Script``): what a job author subclasses.

A job declares vars as class attributes, options in ``class Meta`` and its logic in
``run()``, ``test_*()`` and ``post_run()``. This module gives the author the logging
methods, ``load_yaml``/``load_json`` and ``as_form``; running belongs to ``runner``.
``info(cls)`` reads a class once (vars in order, Meta, test methods, the shape of ``run``)
so that the engine never has to guess; it reads Meta through helpers, never through
class attributes a var could shadow (a var may well be called ``name``).
"""
import inspect
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import yaml
from django.apps import apps
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import classproperty

from netbox_userscripts import log as central_log
from netbox_userscripts.conf import userscripts_root
from netbox_userscripts.jobs.vars import ScriptVariable

GROUPING = "local"  # Nautobot's grouping for jobs read from files: class paths are local/MODULE/Class


class LogLevelChoices:
    """Levels of job log entries (NetBox's ``extras.choices.LogLevelChoices``)."""

    LOG_DEFAULT = "default"
    LOG_DEBUG = "debug"
    LOG_SUCCESS = "success"
    LOG_INFO = "info"
    LOG_WARNING = "warning"
    LOG_FAILURE = "failure"
    CHOICES = ((LOG_DEFAULT, "Default"), (LOG_DEBUG, "Debug"), (LOG_SUCCESS, "Success"), (LOG_INFO, "Info"),
               (LOG_WARNING, "Warning"), (LOG_FAILURE, "Failure"))
    PYTHON_LEVELS = {"default": 20, "debug": 10, "success": 20, "info": 20, "warning": 30, "failure": 40}


@dataclass(frozen=True)
class JobInfo:
    """What the engine knows about one Job class."""

    module: str
    class_name: str
    name: str
    description: str
    commit_default: bool
    read_only: bool
    hidden: bool
    field_order: tuple
    vars: dict
    test_methods: tuple
    run_style: str  # "data_commit", "data", "kwargs" or "none"

    @property
    def class_path(self):
        return f"{GROUPING}/{self.module}/{self.class_name}"

    @property
    def full_name(self):
        return f"{self.module}.{self.class_name}"


def info(cls):
    """The ``JobInfo`` of a Job class, computed once per class."""
    cached = cls.__dict__.get("_job_info")
    if cached is None:
        cached = _read_class(cls)
        cls._job_info = cached
    return cached


def _read_class(cls):
    module = cls.__module__
    if module.startswith("userscripts."):
        module = module[len("userscripts."):]
    field_order = tuple(_meta(cls, "field_order", (list, tuple), ()))
    commit_default = _meta(cls, "commit_default", bool, None)
    if commit_default is None:  # Nautobot 2 spells it the other way round
        commit_default = not _meta(cls, "dryrun_default", bool, False)
    return JobInfo(
        module=module, class_name=cls.__name__,
        name=_meta(cls, "name", str, cls.__name__),
        description=_meta(cls, "description", str, ""),
        commit_default=commit_default,
        read_only=_meta(cls, "read_only", bool, False),
        hidden=_meta(cls, "hidden", bool, False),
        field_order=field_order,
        vars=_vars(cls, field_order),
        test_methods=tuple(_test_methods(cls)),
        run_style=_run_style(cls.run),
    )


def _meta(cls, key, types, default):
    """``Meta.key``, else a class attribute ``key`` of the right type (Nautobot's reports), else ``default``."""
    meta = getattr(cls, "Meta", None)
    if meta is not None and hasattr(meta, key):
        return getattr(meta, key)
    for klass in cls.__mro__:
        if klass is Job:
            break
        value = klass.__dict__.get(key)
        if isinstance(value, types):
            return value
    return default


def _vars(cls, field_order):
    found = {}
    for klass in reversed(cls.__mro__):
        for name, attr in klass.__dict__.items():
            if isinstance(attr, ScriptVariable):
                found[name] = attr
            elif name in found:  # overridden by a non-var in a subclass
                del found[name]
    ordered = {name: found.pop(name) for name in field_order if name in found}
    ordered.update(found)
    return ordered


def _test_methods(cls):
    """The ``test_*`` methods in name order, as NetBox runs them (it walks ``dir()``)."""
    return [name for name in dir(cls) if name.startswith("test_") and callable(getattr(cls, name, None))]


def _run_style(run):
    params = list(inspect.signature(run).parameters.values())[1:]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params):
        return "data_commit"
    if len(positional) == 1:
        return "data"
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return "kwargs"
    return "none"


class Job:
    """Base class of jobs (Nautobot) and scripts (NetBox): subclass it in a userscript."""

    class Meta:
        pass

    def __init__(self):
        self.request = None
        self.user = None
        self.result = None
        self.failed = False
        self.active_test = "run"  # the grouping of log entries: the method running now
        self.log_entries = []
        self._on_log = None
        self._logger = None

    # Description -----------------------------------------------------------------------

    @classproperty
    def class_path(cls):
        return info(cls).class_path

    @classproperty
    def full_name(cls):
        return info(cls).full_name

    @classproperty
    def name(cls):
        return info(cls).name

    @classproperty
    def description(cls):
        return info(cls).description

    @classproperty
    def commit_default(cls):
        return info(cls).commit_default

    @classproperty
    def read_only(cls):
        return info(cls).read_only

    @classproperty
    def field_order(cls):
        return list(info(cls).field_order)

    @classmethod
    def _get_vars(cls):
        """NetBox's name for the vars in form order."""
        return dict(info(cls).vars)

    def __str__(self):
        return info(type(self)).name

    @property
    def job_result(self):
        """Nautobot 1's name for ``self.result``."""
        return self.result

    # The parts a job defines ------------------------------------------------------------

    def run(self, data, commit):
        """The job's main step; a job of test methods only needs none."""

    def post_run(self):
        """Called last, even after an exception: ``self.failed`` and ``self.result`` are set."""

    def as_form(self, data=None, files=None, initial=None):
        """The Django form of this job's vars (bound when ``data`` is given), with ``_commit``."""
        from netbox_userscripts.jobs.forms import job_form

        return job_form(type(self), data, files, initial)

    # Logging ------------------------------------------------------------------------------

    def log(self, *args, obj=None, message=None):
        self._log("default", args, obj, message)

    def log_debug(self, *args, obj=None, message=None):
        self._log("debug", args, obj, message)

    def log_info(self, *args, obj=None, message=None):
        self._log("info", args, obj, message)

    def log_success(self, *args, obj=None, message=None):
        self._log("success", args, obj, message)

    def log_warning(self, *args, obj=None, message=None):
        self._log("warning", args, obj, message)

    def log_failure(self, *args, obj=None, message=None):
        """Log a failure and mark the job failed; the job goes on."""
        self.failed = True
        self._log("failure", args, obj, message)

    def _log(self, level, args, obj, message, trace=None):
        obj, message = _split_log_args(args, obj, message)
        entry = {
            "time": datetime.now(timezone.utc).isoformat(),
            "grouping": self.active_test,
            "level": level,
            "message": "" if message is None else str(message),
            "object": None if obj is None else str(obj),
            # A reference, not a URL: reversing one would load the whole URLconf in `runjob`.
            "object_type": _label(obj),
            "object_id": _json_pk(obj),
        }
        self.log_entries.append(entry)
        if self._logger is None:
            self._logger = central_log.logger_for(info(type(self)).module)
        self._logger.log(LogLevelChoices.PYTHON_LEVELS[level], "%s [%s] %s: %s%s%s", type(self).__name__,
                         self.active_test, level, entry["message"], f" ({entry['object']})" if obj is not None else "",
                         f"\n{trace.rstrip()}" if trace else "")
        if self._on_log is not None:
            self._on_log(entry)

    # Data files -----------------------------------------------------------------------------

    def load_yaml(self, filename):
        """The data of a YAML file under USERSCRIPTS_ROOT."""
        with open(self._data_file(filename), encoding="utf-8") as handle:
            return yaml.safe_load(handle)

    def load_json(self, filename):
        """The data of a JSON file under USERSCRIPTS_ROOT."""
        with open(self._data_file(filename), encoding="utf-8") as handle:
            return json.load(handle)

    @staticmethod
    def _data_file(filename):
        root = userscripts_root()
        path = (root / filename).resolve()
        if not path.is_relative_to(root):
            raise SuspiciousFileOperation(f"{filename}: jobs read files under USERSCRIPTS_ROOT ({root}) only.")
        return path


Script = Job  # NetBox's name


def _split_log_args(args, obj, message):
    """(obj, message) from NetBox's ``(message, obj=None)`` or Nautobot's ``(obj=None, message=None)``."""
    if len(args) > 2:
        raise TypeError("log methods take a message and an object: log_info(message, obj=None).")
    if len(args) == 2:
        first, second = args
        if isinstance(first, str) and not isinstance(second, str):
            return second, first
        return first, second
    if len(args) == 1:
        (only,) = args
        if message is not None:
            return only, message
        if obj is not None or not isinstance(only, models.Model):
            return obj, only
        return only, None
    return obj, message


def _label(obj):
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None and getattr(obj, "pk", None) is not None else None


def _json_pk(obj):
    pk = getattr(obj, "pk", None) if getattr(obj, "_meta", None) is not None else None
    return pk if pk is None or isinstance(pk, (int, str)) else str(pk)


def entry_url(entry):
    """The link of a log entry's object (from its reference), or None."""
    if entry.get("url") or not entry.get("object_type") or entry.get("object_id") is None:
        return entry.get("url")
    try:
        model = apps.get_model(entry["object_type"])
    except (LookupError, ValueError):
        return None  # the model is gone (an app removed since the run)
    return object_url(model(pk=entry["object_id"]))


_no_url = set()  # models with neither get_absolute_url nor an admin page: skip the lookup


def object_url(obj):
    """A link to ``obj``: its ``get_absolute_url()``, else its admin page, else None."""
    getter = getattr(obj, "get_absolute_url", None)
    if getter is not None:
        try:
            return getter()
        except Exception:  # a broken get_absolute_url must not break the job's logging
            return None
    meta = getattr(obj, "_meta", None)
    if meta is None or getattr(obj, "pk", None) is None or meta.label_lower in _no_url:
        return None
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        _no_url.add(meta.label_lower)
        return None
