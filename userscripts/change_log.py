"""Logs every device and site change, and every bulk edit, to the central log.

    tail -F logs/userscripts.log
    2026-11-22 14:03:07,123 INFO change_log.py: device edge-sw-01 (site ams1) edited: status=active
"""
from django.dispatch import receiver

from dcim.models import Device, Site
from netbox_userscripts.signals import post_bulk_edit, post_delete, post_save


@receiver(post_save, sender=Device)
def device_saved(sender, instance, created, **kwargs):
    logger.info("device %s (site %s) %s: status=%s", instance, instance.site.slug,
                "created" if created else "edited", instance.status)


@receiver(post_save, sender=Site)
def site_saved(sender, instance, created, **kwargs):
    logger.info("site %s %s: status=%s", instance.slug, "created" if created else "edited", instance.status)


@receiver(post_delete, sender=Device)
@receiver(post_delete, sender=Site)
def deleted(sender, instance, **kwargs):
    logger.info("%s %s deleted", sender._meta.verbose_name, instance)


@receiver(post_bulk_edit)
def bulk_edited(sender, pk_list, changes, **kwargs):
    fields = ", ".join(f"{name}={value}" for name, value in changes.items())
    logger.info("%d %s bulk edited: %s", len(pk_list), sender._meta.verbose_name_plural, fields)
