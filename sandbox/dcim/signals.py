"""The dcim app's own receivers: a deleted cable termination frees the object it ended at."""
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from dcim.models import CableTermination


@receiver(post_delete, sender=CableTermination)
def nullify_connected_endpoints(instance, **kwargs):
    """Clear ``cable`` and ``cable_end`` on the object (a plain UPDATE, as NetBox does; it may be gone already).

    When the whole cable is deleted, Django may already have set the object's ``cable`` to
    NULL (``on_delete=SET_NULL``); its ``cable_end`` is cleared all the same.
    """
    model = instance.termination_type.model_class()
    still_this_cable = Q(cable_id=instance.cable_id) | Q(cable__isnull=True)
    model._base_manager.filter(still_this_cable, pk=instance.termination_id).update(cable=None, cable_end=None)
