"""manage.py userscripts and create_token."""
import json
import re

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token


def test_userscripts_lists_modules(userscripts, capsys):
    userscripts.write("hooks.py", """
        from django.contrib.auth.models import Group
        from netbox_userscripts.signals import post_save, pre_request
        def saved(sender, **kwargs): pass
        def asked(sender, **kwargs): pass
        post_save.connect(saved, sender=Group)
        pre_request.connect(asked)
        def call(**kwargs): return "hi"
    """)
    userscripts.write("broken.py", "raise RuntimeError('cannot reach the NMS')\n")
    userscripts.load()
    call_command("userscripts")
    out = capsys.readouterr().out
    assert "broken" in out and "error: RuntimeError: cannot reach the NMS" in out
    assert "hooks" in out and "loaded" in out
    assert "receiver saved on post_save from auth.Group" in out
    assert "receiver asked on pre_request from any sender" in out
    assert "call: /userscript/?script=hooks" in out
    call_command("userscripts", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["state"], r["call"]) for r in rows] == [("broken", "error", False), ("hooks", "loaded", True)]


def test_create_token(db, django_user_model, capsys):
    user = django_user_model.objects.create_user("netops")
    call_command("create_token", "netops")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=user).key == key and len(key) == 40
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_token", "ghost")


def test_ensure_admin_creates_once(db, django_user_model, capsys, monkeypatch):
    monkeypatch.setenv("USERSCRIPTS_ADMIN_PASSWORD", "s3cret")
    call_command("ensure_admin")
    out = capsys.readouterr().out
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("s3cret")
    assert Token.objects.get(user=admin).key in out
    assert "s3cret" not in out and "as USERSCRIPTS_ADMIN_PASSWORD says" in out  # the operator's choice, not shown
    call_command("ensure_admin")
    assert "exists" in capsys.readouterr().out


def test_ensure_admin_prints_a_password_it_generated(db, django_user_model, capsys, monkeypatch):
    monkeypatch.delenv("USERSCRIPTS_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    password = re.search(r"password:  (\S+)", capsys.readouterr().out).group(1)
    assert django_user_model.objects.get(username="admin").check_password(password)


def test_read_only_commands_write_nothing_to_the_central_log(tmp_path):
    """``userscripts`` and ``userscripts_log`` load the folder to describe it: its failures are theirs to print,
    not new records; another command's load writes them, tagged with who loaded."""
    import subprocess

    from tests.project import MANAGE, PROJECT, environment

    root, log_file = tmp_path / "userscripts", tmp_path / "logs" / "userscripts.log"
    root.mkdir()
    (root / "broken.py").write_text("raise RuntimeError('cannot reach the NMS')\n")
    config = tmp_path / "configuration.py"
    config.write_text(f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(log_file)!r}\n"
                      f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'db')!r}}}\n")

    def manage(*args):
        return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=environment(config, USERSCRIPTS_AUTORELOAD="0"),
                              capture_output=True, text=True, timeout=120)

    listed = manage("userscripts")
    assert listed.returncode == 0 and "error: RuntimeError: cannot reach the NMS" in listed.stdout, listed.stderr
    assert manage("userscripts_log").returncode == 0
    assert not log_file.exists() or log_file.read_text() == ""
    assert manage("shell", "-c", "pass").returncode == 0
    assert re.search(r"ERROR broken.py: failed to load broken.py: RuntimeError: cannot reach the NMS "
                     r"\(shell, pid \d+\)\n  Traceback", log_file.read_text())
