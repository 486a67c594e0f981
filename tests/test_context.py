"""``netbox_userscripts.context``: the branch and origin of the work, None where the host has no branches."""
import pytest
from django.contrib.auth.models import Group

from netbox_userscripts import context
from netbox_userscripts.hooks.context import host_branching

ASKS = """
from django.contrib.auth.models import Group
from netbox_userscripts.context import branch, origin
from netbox_userscripts.signals import post_save

def saved(sender, instance, **kwargs):
    logger.info("saved %s branch=%s origin=%s", instance.name, branch(), origin())

post_save.connect(saved, sender=Group)
"""


@pytest.mark.django_db
def test_a_receiver_in_the_sandbox_is_on_no_branch(userscripts):
    userscripts.write("asks.py", ASKS)
    userscripts.load()
    Group.objects.create(name="plain")
    assert "INFO asks.py: saved plain branch=None origin=None" in userscripts.log.read_text()


def test_the_face_gives_what_the_host_answers(monkeypatch):
    assert (context.branch(), context.origin()) == (None, None)
    monkeypatch.setattr(host_branching, "branch", lambda: "feature-x")
    monkeypatch.setattr(host_branching, "origin", lambda: "merge of feature-x")
    assert (context.branch(), context.origin()) == ("feature-x", "merge of feature-x")
