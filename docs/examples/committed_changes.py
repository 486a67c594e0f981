"""Logs every committed change of a device, once the transaction has committed.

    INFO committed_changes.py: update 12: ['primary_ip4', 'status']
"""
from django.dispatch import receiver

from dcim.models import Device
from netbox_userscripts.signals import post_commit


@receiver(post_commit, sender=Device)
def devices_committed(sender, changes, request, using, **kwargs):
    for change in changes:
        logger.info("%s %s: %s", change.action, change.pk, sorted(change.changed))
