"""What a folder of userscripts defines and what is wrong with it, found by importing it in a child process.

``userscripts_check`` (and ``python -m netbox_userscripts check``) asks ``inspect_in_child(folder)``:
a child Python process, with the caller's settings and path, sets Django up against the
configured project without serving (no watcher, no heartbeat, its own userscripts root an
empty folder and its central log a throw-away file, so nothing of the host's is loaded or
written), imports every flat module of the folder under a throw-away ``userscripts`` package
and writes its report as JSON. The child is what makes the check safe: a module that calls
``sys.exit``, hangs or leaves state behind ends with it. ``inspect_folder`` is the same report
in this process, for a process that is itself throw-away (the child; a trial).

A report per module (the stable JSON schema is ``docs/commands.md#userscripts_check``):
what it defines (receivers with signal and sender, ``call``, jobs with their form, tasks and
their schedules) and its problems, each of one ``kind``: ``import_error`` (with its line),
``bad_schedule``, ``job_form`` (a job whose form does not build), ``unknown_model`` (a receiver
on a model, such as ``"dcim.Nope"``, that the project does not have), ``string_sender`` (a
string as the sender of a signal that is not a model signal: it never matches).
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db.models.signals import ModelSignal

from netbox_userscripts.loading import loader
from netbox_userscripts.loading.child import run_child
from netbox_userscripts.scripts.forms import job_form
from netbox_userscripts.scripts.introspection import info

CHILD_MODULE = "netbox_userscripts.loading.inspection"
SCHEMA_VERSION = 1


class InspectionError(Exception):
    """The folder could not be inspected at all (not a folder, the child failed or timed out); the message says why."""


def inspect_in_child(folder, timeout=120):
    """The report of ``folder`` (a dict, see the module docstring), made by a child process; ``InspectionError``."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise InspectionError(f"{folder} is not a folder.")
    if not any(loader.is_userscript_name(p.stem) for p in folder.glob("*.py")):
        raise InspectionError(f"{folder} has no userscript module (NAME.py): is it the right folder?")
    with tempfile.TemporaryDirectory(prefix="userscripts-check-") as scratch:
        report_file = Path(scratch) / "report.json"
        try:  # nothing of a server's role in the child
            done = run_child(CHILD_MODULE, [folder, report_file, scratch], timeout,
                             drop_env=("USERSCRIPTS_WATCH", "USERSCRIPTS_PROCESS_ROLE", "RUN_MAIN"))
        except subprocess.TimeoutExpired:
            raise InspectionError(f"importing the modules of {folder} took more than {timeout:g} s: does one of "
                                  "them wait for something at import?") from None
        if not report_file.is_file():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise InspectionError(f"the check's child process ended (exit code {done.returncode}) without a "
                                  f"report:\n{tail}")
        return json.loads(report_file.read_text(encoding="utf-8"))


def inspect_folder(folder):
    """The report of ``folder``, made in this process (which it changes: a throw-away process's job)."""
    folder = Path(folder).resolve()
    loader.ensure_package(folder)
    names = sorted(p.stem for p in folder.glob("*.py") if p.is_file() and loader.is_userscript_name(p.stem))
    modules = [inspect_module(name, folder / f"{name}.py") for name in names]
    return {
        "schema": SCHEMA_VERSION,
        "path": str(folder),
        "ok": all(m["ok"] for m in modules),
        "problems": sum(len(m["problems"]) for m in modules),
        "modules": modules,
    }


def inspect_module(name, path):
    """One module's report: imported, then what it defines and what is wrong."""
    pending_before = set(apps._pending_operations)  # models asked for by name that are not (yet) registered
    script = loader.import_userscript(name, path)
    problems = []
    if not script.loaded:
        kind = "bad_schedule" if script.error.startswith("ScheduleError") else "import_error"
        problems.append({"kind": kind, "message": script.error, "line": error_line(script.traceback, path)})
    for app_label, model_name in sorted(set(apps._pending_operations) - pending_before):
        problems.append({"kind": "unknown_model", "line": None,
                         "message": f"a receiver waits for the model {app_label}.{model_name}, which this project "
                                    f"does not have (a typo in a sender such as \"{app_label}.{model_name}\"?)"})
    receivers = []
    for connection in script.connections.items if script.connections else []:
        receivers.append(connection.describe())
        if isinstance(connection.sender, str) and not isinstance(connection.signal, ModelSignal):
            problems.append({"kind": "string_sender", "line": None,
                             "message": f"{connection.receiver.__name__} listens to {connection.describe()['signal']} "
                                        f"from the string {connection.sender!r}, which never matches: give the model "
                                        "class (only Django's model signals look a name up)"})
    jobs = [inspect_job(cls, problems) for cls in script.jobs.values()]
    jobs += [inspect_script(cls, name, problems) for cls in host_scripts(script)]
    return {
        "name": name,
        "file": path.name,
        "ok": not problems,
        "receivers": receivers,
        "call": script.call is not None,
        "jobs": jobs,
        "tasks": module_tasks(script.module) if script.loaded else [],
        "problems": problems,
    }


def inspect_job(cls, problems):
    """A job's entry, its form built as a page would build it; a failure is a ``job_form`` problem."""
    job = info(cls)
    try:
        fields = list(job_form(cls).fields)
    except Exception as exc:  # any failure of the author's vars: reported, as the page would fail on it
        fields = []
        problems.append({"kind": "job_form", "line": None,
                         "message": f"the form of job {cls.__name__} does not build: {type(exc).__name__}: {exc}"})
    return {"name": cls.__name__, "class_path": job.class_path, "vars": [f for f in fields if not f.startswith("_")]}


def host_scripts(script):
    """The host's own script classes a module defines (NetBox's ``Script``): a ``run`` and an ``as_form``, not a Job.

    Told by their shape: the engine imports no host's classes.
    """
    if not script.loaded:
        return []
    return [obj for name, obj in vars(script.module).items()
            if isinstance(obj, type) and obj.__module__ == script.module.__name__ and obj.__name__ == name
            and name not in script.jobs and callable(getattr(obj, "run", None))
            and callable(getattr(obj, "as_form", None)) and not getattr(obj, "__abstractmethods__", None)]


def inspect_script(cls, module_name, problems):
    """A host script's entry (``MODULE.ClassName``, as NetBox names it), its form built as NetBox builds it."""
    try:
        fields = list(cls().as_form().fields)
    except Exception as exc:  # the author's vars: reported, as the page would fail on it
        fields = []
        problems.append({"kind": "job_form", "line": None,
                         "message": f"the form of script {cls.__name__} does not build: {type(exc).__name__}: {exc}"})
    return {"name": cls.__name__, "class_path": f"{module_name}.{cls.__name__}",
            "vars": [f for f in fields if not f.startswith("_")]}


def module_tasks(module):
    """The ``@task`` functions a module defines, with their schedule (None: run only when enqueued)."""
    found = []
    for name, value in vars(module).items():
        # A ``tasks.decorator.UserscriptTask`` told by its shape: the tasks layer sits above this one.
        func = getattr(value, "func", None)
        if hasattr(value, "schedule") and callable(getattr(value, "enqueue", None)) \
                and getattr(func, "__module__", None) == module.__name__:
            schedule = value.schedule
            when = None if schedule is None else (f"cron {schedule.cron}" if schedule.cron
                                                  else f"every {int(schedule.every.total_seconds())} s")
            found.append({"name": name, "schedule": when})
    return found


def error_line(traceback_text, path):
    """The line of ``path`` where the import failed: its last frame in the module's own file, or None."""
    lines = re.findall(rf'File "{re.escape(str(path))}", line (\d+)', traceback_text)
    return int(lines[-1]) if lines else None


def quiet_settings(scratch):
    """Settings of a child that serves nothing: an empty userscripts root and a throw-away log, no git or stream."""
    root = Path(scratch) / "root"
    root.mkdir(exist_ok=True)
    overrides = {"USERSCRIPTS_ROOT": str(root), "USERSCRIPTS_LOG_FILE": str(Path(scratch) / "check.log"),
                 "USERSCRIPTS_AUTORELOAD": False, "USERSCRIPTS_GIT": None, "USERSCRIPTS_LOG_STREAM": None,
                 "USERSCRIPTS_DATA_SOURCE": None}
    for name, value in overrides.items():
        setattr(settings, name, value)
    plugin = getattr(settings, "PLUGINS_CONFIG", {}).get("netbox_userscripts")
    if plugin is not None:  # inside NetBox the engine reads its settings from there first
        plugin.update(overrides)


def child_main(argv):
    """The child: ``FOLDER REPORT_FILE SCRATCH``; writes the report, exit code 0 (the report says the problems)."""
    folder, report_file, scratch = argv
    # The engine's start-up reads argv for this process's role and whether it writes load lines: none, read-only.
    sys.argv = [sys.argv[0], "userscripts_check"]
    quiet_settings(scratch)
    django.setup()
    Path(report_file).write_text(json.dumps(inspect_folder(folder)), encoding="utf-8")


if __name__ == "__main__":
    child_main(sys.argv[1:])
