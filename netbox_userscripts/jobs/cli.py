"""What ``manage.py runjob`` and ``manage.py runscript`` do, so that both commands stay thin.

``run_command`` resolves the job, reads ``--data`` (JSON text or ``@file.json``; a FileVar
value is the path of a file to upload), runs the job as the API (``clean_input`` then
``run_job``), prints each log entry as it is made and then the output. Input is held to
the API's limits (``limits.py``). It raises ``CommandError`` with ``returncode`` 2 for bad
arguments or input (nothing ran) and 1 when the job failed or errored. With ``background``,
``schedule_at`` or ``interval`` the run is queued for a task worker instead (``background``):
it prints the queued result and returns.
"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError

from netbox_userscripts.jobs.background import CannotQueue, QueueUnavailable, queue
from netbox_userscripts.jobs.runner import run_job
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts import limits
from netbox_userscripts.scripts.inputs import InputError, clean_input
from netbox_userscripts.scripts.introspection import info
from netbox_userscripts.scripts.models import JobStatusChoices
from netbox_userscripts.scripts.options import RunOptions, background_run
from netbox_userscripts.scripts.vars import FileVar

LEVEL_ORDER = ["debug", "default", "info", "success", "warning", "failure"]


def run_command(command, name, *, data=None, username=None, commit=False, min_level="debug", background=False,
                schedule_at=None, interval=None):
    try:
        job_class = registry.get_job(name)
    except LookupError:
        known = ", ".join(info(cls).class_path for _, _, classes in registry.job_groups(True) for cls in classes)
        raise CommandError(f"No job {name!r} is loaded. Give local/MODULE/ClassName or MODULE.ClassName "
                           f"(loaded: {known or 'none'}).", returncode=2) from None
    user = _user(username)
    values = _read_data(data)
    files = _files(job_class, values)
    style = command.style
    threshold = LEVEL_ORDER.index(min_level) if min_level in LEVEL_ORDER else 0

    def print_entry(entry):
        if LEVEL_ORDER.index(entry["level"]) < threshold:
            return
        level = entry["level"].upper()
        painted = {"FAILURE": style.ERROR, "WARNING": style.WARNING, "SUCCESS": style.SUCCESS}.get(level, str)
        obj = f" [{entry['object']}]" if entry["object"] else ""
        command.stdout.write(f"{entry['time'][11:23]} {painted(f'{level:<8}')} {entry['grouping']:<16} "
                             f"{entry['message']}{obj}")

    try:
        cleaned = clean_input(job_class, values, files)
    except InputError as exc:
        lines = [f"  {field}: {' '.join(messages)}" for field, messages in exc.errors.items()]
        raise CommandError("Invalid input, nothing ran:\n" + "\n".join(lines), returncode=2) from None
    meta = info(job_class)
    queued = _run_options(background, schedule_at, interval)
    if queued is not None:
        return _queue(command, job_class, cleaned, commit=commit, user=user, **queued)
    command.stdout.write(f"Running {meta.name} ({meta.class_path}), commit: {'yes' if commit else 'no'}")
    result = run_job(job_class, cleaned, commit=commit, user=user, on_log=print_entry)
    if result.output:
        command.stdout.write("Output:")
        command.stdout.write(result.output.rstrip("\n"))
    if result.traceback:
        command.stderr.write(result.traceback.rstrip("\n"))
    summary = f"Job result #{result.pk}: {result.status} in {result.duration:.3f} s"
    if result.status != JobStatusChoices.COMPLETED:
        raise CommandError(summary, returncode=1)
    command.stdout.write(style.SUCCESS(summary))
    return result


def _run_options(background, schedule_at, interval):
    """``{"schedule_at", "interval"}`` for a background run, None for a run now; exit 2 for a bad option."""
    options = RunOptions({"background": background, "schedule_at": schedule_at, "interval": interval})
    if not options.is_valid():
        lines = [f"  --{name.replace('_', '-')}: {' '.join(messages)}"
                 for name, messages in options.errors_by_name().items()]
        raise CommandError("Invalid option, nothing ran:\n" + "\n".join(lines), returncode=2)
    return background_run(dict(options.cleaned_data))


def _queue(command, job_class, cleaned, **options):
    meta = info(job_class)
    try:
        result = queue(job_class, cleaned, **options)
    except CannotQueue as exc:
        raise CommandError(f"--background: {exc}", returncode=2) from None
    except QueueUnavailable as exc:
        raise CommandError(str(exc), returncode=1) from None
    when = f"scheduled at {result.scheduled.isoformat()}" if result.scheduled else "pending"
    every = f", then every {result.interval} min" if result.interval else ""
    command.stdout.write(command.style.SUCCESS(
        f"Queued {meta.name} ({meta.class_path}), commit: {'yes' if result.commit else 'no'}: "
        f"job result #{result.pk}, {when}{every}; a task worker (manage.py userscripts_worker) runs it."))
    return result


def _user(username):
    if not username:
        return None
    User = get_user_model()
    try:
        return User._default_manager.get_by_natural_key(username)
    except User.DoesNotExist:
        raise CommandError(f"No user {username!r} (--username names an existing user).", returncode=2) from None


def _read_data(text):
    if text is None or text.strip() == "":
        return {}
    if text.startswith("@"):
        try:
            path = Path(text[1:])
            too_large = limits.data_too_large(path.stat().st_size, f"--data {text}")
            if too_large:
                raise CommandError(too_large, returncode=2)
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--data {text}: cannot read the file ({exc.strerror}).", returncode=2) from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"--data {text}: not UTF-8 text ({exc.reason}).", returncode=2) from None
    too_large = limits.data_too_large(len(text.encode("utf-8", "surrogatepass")), "--data")
    if too_large:
        raise CommandError(too_large, returncode=2)
    try:
        values = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise CommandError(f"--data is not valid JSON: {reason}.", returncode=2) from None
    if not isinstance(values, dict):
        raise CommandError("--data must be a JSON object of variable names to values.", returncode=2)
    return values


def _files(job_class, values):
    """FileVar values are paths: read them as uploads (and take them out of the JSON data)."""
    files = {}
    for name, var in info(job_class).vars.items():
        if isinstance(var, FileVar) and isinstance(values.get(name), str):
            path = Path(values.pop(name))
            try:
                too_large = limits.file_too_large(path.stat().st_size)
                if too_large:  # refused before it is read, with the form field's message
                    raise CommandError(f"Invalid input, nothing ran:\n  {name}: {too_large}", returncode=2)
                files[name] = SimpleUploadedFile(path.name, path.read_bytes())
            except OSError as exc:
                raise CommandError(f"{name}: cannot read {path} ({exc.strerror}).", returncode=2) from None
    return files
