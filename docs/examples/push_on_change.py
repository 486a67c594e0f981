"""Pushes a device's configuration in the background after every committed change, and
reports every five minutes the active devices that nothing can reach.

The receiver only queues the work (``enqueue`` returns at once); a task worker runs it.
"""
from datetime import timedelta

from django.dispatch import receiver

from dcim.choices import DeviceStatusChoices
from dcim.models import Device
from netbox_userscripts.signals import post_commit
from netbox_userscripts.tasks import task


@task
def push_config(device_id):
    device = Device.objects.filter(pk=device_id).first()
    if device is None:  # deleted since the push was queued
        logger.info("device %s is gone, nothing to push", device_id)
        return
    logger.info("pushing the configuration of %s", device)  # to the central log, as push_config.py's


@receiver(post_commit, sender=Device)
def on_device_change(sender, changes, branch=None, origin=None, **kwargs):
    if branch is not None or (origin is not None and origin.kind == "sync"):
        return  # an edit staged in a NetBox branch is not live: pushed when the branch is merged
    for change in changes:
        if change.action == "delete":  # change.instance is None: nothing is left to configure
            continue
        push_config.enqueue(device_id=change.pk)  # an id, not the device: arguments are JSON


@task(every=timedelta(minutes=5))  # or @task(cron="0 3 * * *"): every day at 03:00 (TIME_ZONE)
def report_unreachable():
    active = Device.objects.filter(status=DeviceStatusChoices.STATUS_ACTIVE, primary_ip4__isnull=True)
    for name in active.values_list("name", flat=True):
        logger.warning("active device %s has no primary IPv4", name)
