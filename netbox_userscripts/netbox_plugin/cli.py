"""``manage.py runjob MODULE.ClassName`` inside NetBox: runs a userscripts' NetBox script as a ``core.Job``.

The engine's ``runjob`` command calls this instead of its own runner when the plugin is the
host (the app config's ``host_run_command``). It prints the script's log and output; the
exit code is 0 when the job completed, 1 when it failed or errored, 2 for bad arguments
or input (nothing ran).
"""
import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from users.models import User

from netbox_userscripts.netbox_plugin import jobs


def run_command(command, name, *, data=None, username=None, commit=False, min_level="debug"):
    try:
        values = json.loads(data) if data else {}
    except json.JSONDecodeError as exc:
        raise CommandError(f"--data is not JSON: {exc}", returncode=2) from exc
    if not isinstance(values, dict):
        raise CommandError('--data must be a JSON object: {"var": value, ...}', returncode=2)
    user = _user(username)
    try:
        job = jobs.run(name, values, user=user, commit=commit)
    except LookupError as exc:
        known = ", ".join(f"{m}.{c}" for m, c, _ in jobs.scripts())
        raise CommandError(f"{exc.args[0]} Loaded: {known or 'none'}.", returncode=2) from exc
    except ValidationError as exc:
        lines = [f"  {field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
        raise CommandError("Invalid input:\n" + "\n".join(lines), returncode=2) from exc
    for entry in (job.data or {}).get("log", []):
        command.stdout.write(f"{entry['time'][11:23]} {entry['status'].upper():<8} {entry['message']}")
    for test, results in (job.data or {}).get("tests", {}).items():  # a report's test methods, as NetBox keeps them
        for time, level, obj, _url, message in results["log"]:
            command.stdout.write(f"{time[11:23]} {level.upper():<8} {test}: {f'{obj}: ' if obj else ''}{message}")
    output = (job.data or {}).get("output")
    if output:
        command.stdout.write(str(output))
    command.stdout.write(f"Job {job.pk} {job.status}.")
    if job.status != "completed":
        raise CommandError(f"{name} {job.status}" + (f": {job.error}" if job.error else "."), returncode=1)


def _user(username):
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.", returncode=2) from exc
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("No superuser to run the script as: give --username.", returncode=2)
    return user
