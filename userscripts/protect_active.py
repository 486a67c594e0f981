"""Refuses to delete a site or a device that is still active.

Decommission it first (status "decommissioning" or "retired"/"offline"), then delete.
The delete is vetoed with AbortEvent: the admin shows the message, the API answers 400,
and nothing is deleted. (A site that still has devices cannot be deleted anyway: its
devices protect it.)
"""
from django.dispatch import receiver

from dcim.choices import DeviceStatusChoices, SiteStatusChoices
from dcim.models import Device, Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import pre_delete


@receiver(pre_delete, sender=Site)
def keep_active_sites(sender, instance, **kwargs):
    if instance.status == SiteStatusChoices.STATUS_ACTIVE:
        logger.warning("refused to delete active site %s", instance)
        raise AbortEvent(f"Site {instance} is active; set its status to decommissioning or retired first.")


@receiver(pre_delete, sender=Device)
def keep_active_devices(sender, instance, **kwargs):
    if instance.status == DeviceStatusChoices.STATUS_ACTIVE:
        logger.warning("refused to delete active device %s", instance)
        raise AbortEvent(f"Device {instance} is active; set its status to offline or decommissioning first.")
