"""A call: free_ips.py answers GET /userscript/?script=free_ips, for a user allowed to call."""
from pathlib import Path

import pytest

from ipam.models import Prefix

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


@pytest.fixture
def free_ips(userscripts, db):
    userscripts.load(USERSCRIPTS / "free_ips.py")
    Prefix.objects.create(prefix="10.1.0.0/29")


def test_the_free_addresses_are_listed(call_userscript, free_ips, admin_user):
    answer = call_userscript("free_ips", user=admin_user, prefix="10.1.0.0/29", count=2)

    assert answer.status == 200
    assert answer.body.splitlines() == ["6 free in 10.1.0.0/29", "10.1.0.1/29", "10.1.0.2/29"]


def test_a_user_without_the_permission_is_refused(call_userscript, free_ips, django_user_model):
    user = django_user_model.objects.create_user("viewer")

    answer = call_userscript("free_ips", user=user, prefix="10.1.0.0/29")

    assert answer.status == 403
    assert "call_userscript" in answer.body


def test_nobody_logged_in_must_log_in(call_userscript, free_ips):
    assert call_userscript("free_ips", prefix="10.1.0.0/29").status == 401
