"""Refuses to merge a branch into main while a "change-freeze" tag exists (NetBox Labs' branching).

Edits in a branch go ahead: only the merge, the live moment, is refused. The merge's job
ends errored with the message and nothing is applied to main.
"""
from django.dispatch import receiver

from dcim.models import Device, Site
from extras.models import Tag
from netbox_userscripts import AbortEvent, context
from netbox_userscripts.signals import pre_delete, pre_save


@receiver(pre_save, sender=Site)
@receiver(pre_save, sender=Device)
@receiver(pre_delete, sender=Site)
@receiver(pre_delete, sender=Device)
def refuse_merges_during_a_freeze(sender, instance, **kwargs):
    replaying = context.origin()
    if replaying and replaying.kind == "merge" and Tag.objects.filter(name="change-freeze").exists():
        raise AbortEvent(f"change freeze: {replaying.branch.name} is not merged ({instance} refused)")
