"""Keeps a DNS record per device (its name and primary IPv4) in step, in the background.

    INFO dns_records.py: DNS: ams1-edge-sw-01.demo.example A 10.1.0.100
    INFO dns_records.py: DNS: ams1-edge-sw-01.demo.example removed

``post_commit`` hands each committed change to a task: ``enqueue`` returns at once, and a
worker (``manage.py userscripts_worker``, which ``make run`` starts) runs it, with its log
lines in the central log. A task takes JSON arguments: names and ids, not objects. For a
deleted device ``change.instance`` and ``change.after`` are None; its name is in
``change.before``. Here a DNS update is a log line; a real one would call the DNS server.
"""
from django.dispatch import receiver

from dcim.models import Device
from ipam.models import IPAddress
from netbox_userscripts.signals import post_commit
from netbox_userscripts.tasks import task

ZONE = "demo.example"


@task
def set_record(name, ip_id):
    address = IPAddress.objects.filter(pk=ip_id).values_list("address", flat=True).first()
    if address is None:  # deleted since the task was queued
        return remove_record.call(name=name)
    record = f"{name}.{ZONE} A {address.ip}"
    logger.info("DNS: %s", record)
    return record


@task
def remove_record(name):
    logger.info("DNS: %s.%s removed", name, ZONE)
    return f"{name}.{ZONE}"


def _record(fields):
    """The device's (name, primary IPv4 id) as stored, or None when it has no record."""
    if fields and fields["name"] and fields["primary_ip4"]:
        return fields["name"], fields["primary_ip4"]
    return None


@receiver(post_commit, sender=Device)
def device_committed(sender, changes, **kwargs):
    for change in changes:
        # change.before is None for a create; change.after (and change.instance) for a delete.
        old, new = _record(change.before), _record(change.after)
        if old and (new is None or new[0] != old[0]):
            remove_record.enqueue(name=old[0])
        if new and new != old:
            set_record.enqueue(name=new[0], ip_id=new[1])
