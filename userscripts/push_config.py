"""Pushes a device's configuration when its primary IP changed, once the change is committed.

    INFO push_config.py: push config to ams1-edge-sw-01: primary IPv4 10.1.0.11/24 -> 10.1.0.12/24

``post_commit`` comes after the transaction committed, once per model, with every change
of that transaction: a request that failed, a vetoed save or a job run without commit
sends nothing, so nothing is pushed for a device that does not exist. ``change.before``
and ``change.after`` hold the fields as stored (a foreign key by its id);
``change.changed`` names those that differ. Here the push is a log line; a real one would
hand the work to a background task.

Inside NetBox with NetBox Labs' branching plugin, an edit in a branch (``branch`` is set)
and a sync of main into a branch are not live and push nothing; an edit on main, a merge
(``origin.kind == "merge"``) and a revert are live and push.
"""
from django.dispatch import receiver

from dcim.models import Device
from ipam.models import IPAddress
from netbox_userscripts.signals import post_commit

PRIMARY_IPS = {"primary_ip4", "primary_ip6"}


@receiver(post_commit, sender=Device)
def push_when_primary_ip_changed(sender, changes, branch=None, origin=None, **kwargs):
    if branch is not None or (origin is not None and origin.kind == "sync"):
        return  # staged in a branch (NetBox Labs' branching): not live; pushed when it is merged
    for change in changes:
        if change.action != "update" or not PRIMARY_IPS & change.changed:
            continue
        for field in sorted(PRIMARY_IPS & change.changed):
            old, new = (_address(change.before[field]), _address(change.after[field]))
            logger.info("push config to %s: primary IPv%s %s -> %s", change.instance, field[-1], old, new)


def _address(pk):
    if pk is None:
        return "none"
    address = IPAddress.objects.filter(pk=pk).values_list("address", flat=True).first()
    return str(address) if address is not None else f"(deleted, id {pk})"
