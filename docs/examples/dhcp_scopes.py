"""Hooks the custom object type "dhcp-scope": a size rule, a log line for every custom object
saved, and a job that resizes a scope.
"""
from django.dispatch import receiver as any_receiver

from custom_objects.scripting import get_model, is_custom_object, objects, receiver
from netbox_userscripts import AbortEvent
from netbox_userscripts.jobs import Job, ObjectVar
from netbox_userscripts.signals import post_save, pre_save


@receiver(pre_save, slug="dhcp-scope")
def check_size(sender, instance, **kwargs):
    if instance.size and instance.size > 1024 and not instance.name.endswith("-big"):
        raise AbortEvent("scopes over 1024 addresses are named *-big")


@any_receiver(post_save)
def any_custom_object(sender, instance, created, **kwargs):
    if is_custom_object(sender):
        logger.info("%s %s saved", instance.custom_object_type.slug, instance)


class ResizeScope(Job):
    scope = ObjectVar(queryset=objects("dhcp-scope"))  # looked up afresh for every run

    def run(self, data, commit):
        Scope = get_model("dhcp-scope")  # the current model
        data["scope"].size = 512
        data["scope"].save()
        return Scope.objects.count()
