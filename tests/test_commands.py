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
