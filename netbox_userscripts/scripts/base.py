"""The ``Job`` base class (alias ``Script``): what a job author subclasses.

A job declares vars as class attributes, options in ``class Meta`` and its logic in
``run()``, ``test_*()`` and ``post_run()``. This module gives the author the logging
methods, ``load_yaml``/``load_json`` and ``as_form``; reading a class belongs to
``introspection``, running one to ``runner``.
"""

__all__ = ["Job", "LogLevelChoices", "Script"]

import json
from datetime import datetime, timezone

import yaml
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.utils.functional import classproperty

from netbox_userscripts.conf import userscripts_root
from netbox_userscripts.log import central as central_log
from netbox_userscripts.scripts.forms import job_form
from netbox_userscripts.scripts.introspection import info


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
        """The Django form of this job's vars (bound when ``data`` is given), with ``_commit``.

        Its object vars offer and accept only the objects ``self.user`` may view: the pages set
        it to the user asking before they call this (NetBox's signature has no user).
        """
        return job_form(type(self), data, files, initial, user=getattr(self, "user", None))

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
