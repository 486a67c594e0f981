"""Every process agrees: a type changed in one process is in effect in every gunicorn worker at its next request.

Two workers serve; the test changes the definitions through one of them, then from a
third process (``manage.py shell``), then from a job run by ``manage.py runjob``, and asks
many times, on new connections, until both workers have answered: every answer must use
the new definitions, with no restart.
"""
import os
import subprocess
import time

import pytest
import requests

from tests.gunicorn import GUNICORN, fresh_database, serve, wait_until, write_configuration
from tests.project import MANAGE, PROJECT, environment

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

WHICH = """import os
from custom_objects.scripting import get_model

def call(**kwargs):
    return f"{os.getpid()} {','.join(sorted(f.name for f in get_model('scope')._meta.fields))}"
"""
JOB = """from custom_objects.models import CustomObjectType, CustomObjectTypeField
from netbox_userscripts.jobs import Job


class Widen(Job):
    def run(self, data, commit):
        cot = CustomObjectType.objects.get(slug="scope")
        CustomObjectTypeField(custom_object_type=cot, name="code", type="text", unique=True).save()
        size = cot.fields.get(name="size")
        size.validation_maximum = 1000
        size.save()
        return "widened"
"""
CHANGE = """
from custom_objects.models import CustomObjectType, CustomObjectTypeField
cot = CustomObjectType.objects.get(slug="scope")
field = cot.fields.get(name="name")
field.name = "label"
field.save()
CustomObjectTypeField(custom_object_type=cot, name="size", type="integer", required=True).save()
"""


def manage(env, *args):
    return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=env, check=True,
                          capture_output=True, text=True).stdout


def test_two_workers_and_another_process_agree(tmp_path):
    root = tmp_path / "scripts"
    root.mkdir()
    (root / "which.py").write_text(WHICH)
    (root / "widen.py").write_text(JOB)
    db = fresh_database(f"gunicorn_{os.getpid()}")  # None: SQLite in tmp_path
    config = write_configuration(tmp_path, root, database=db, extra="USERSCRIPTS_AUTORELOAD = False\n")
    env = environment(config)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "shell", "-c", "from django.contrib.auth.models import User; "
                               "User.objects.create_superuser('admin', password='x')")
    token = manage(env, "create_token", "admin").split()[-1]
    with serve(config, workers=2, env=env) as base:
        api = f"{base}/api/plugins/custom-objects"
        headers = {"Authorization": f"Token {token}", "Connection": "close"}

        def post(path, body):
            return requests.post(f"{api}/{path}", json=body, headers=headers, timeout=10)

        def from_both_workers(check):
            """Ask until both workers have answered; ``check`` each answer ("pid fields")."""
            pids, asked = set(), 0
            while len(pids) < 2 and asked < 400:
                answer = requests.get(f"{base}/userscript/?script=which", headers=headers, timeout=10).text
                pid, fields = answer.split()
                check(fields.split(","))
                pids.add(pid)
                asked += 1
            assert len(pids) == 2, "both workers should have answered"

        wait_until(lambda: requests.get(f"{api}/", headers=headers, timeout=5).status_code == 200, timeout=60)
        time.sleep(0.5)  # both workers up, each with its models loaded (none yet)
        cot = post("custom-object-types/", {"name": "scope", "slug": "scope"})
        assert cot.status_code == 201, cot.text
        assert post("custom-object-type-fields/", {"custom_object_type": cot.json()["id"], "name": "name",
                                                   "type": "text"}).status_code == 201
        answers = [post("scope/", {"name": f"s{i}"}) for i in range(20)]
        assert all(a.status_code == 201 for a in answers), [a.text for a in answers if a.status_code != 201]
        from_both_workers(lambda fields: fields == ["created", "id", "last_updated", "name"])

        manage(env, "shell", "-c", CHANGE)  # a third process changes the type
        answers = [post("scope/", {"label": f"t{i}", "size": i}) for i in range(20)]
        assert all(a.status_code == 201 for a in answers), [a.text for a in answers if a.status_code != 201]
        assert all(post("scope/", {"name": "old"}).status_code == 400 for _ in range(10))  # nobody uses the old field
        from_both_workers(lambda fields: fields == ["created", "id", "label", "last_updated", "size"])
        listed = requests.get(f"{api}/scope/?limit=0", headers=headers, timeout=10).json()
        assert listed["count"] == 40 and {o["label"] for o in listed["results"]} >= {"s0", "t19"}

        assert "widened" in manage(env, "runjob", "--commit", "local/widen/Widen")  # a job changes the type
        answers = [post("scope/", {"label": f"u{i}", "size": 999, "code": f"c{i}"}) for i in range(20)]
        assert all(a.status_code == 201 for a in answers), [a.text for a in answers if a.status_code != 201]
        assert all(post("scope/", {"label": "x", "size": 1001}).status_code == 400 for _ in range(10))
        from_both_workers(lambda fields: fields == ["code", "created", "id", "label", "last_updated", "size"])
