"""Cached fields kept right through bulk edits: a model's ``derived_from`` and ``derive_fields()``.

Some fields are worked out in ``save()`` from others: a prefix's ``_site`` and ``_region``
from its ``scope``, an IP range's ``size`` from its ends, a VLAN group's ``total_vlan_ids``
from its ranges. A bulk edit writes one UPDATE and calls no ``save()``; so after one that
changes a field named in the model's ``derived_from``, each edited object's
``derive_fields()`` (a dict of field -> value) is written back with a plain UPDATE, still
inside the bulk edit's transaction and before ``post_bulk_edit``'s other receivers
see the objects.
"""
from netbox_userscripts.signals import post_bulk_edit


class DerivedFieldsMixin:
    """Set ``derived_from`` (field names) and define ``derive_fields()``; ``save()`` applies them too."""

    derived_from = ()

    def derive_fields(self):
        return {}

    def apply_derived_fields(self):
        for name, value in self.derive_fields().items():
            setattr(self, name, value)


def refresh_derived_fields(sender, pk_list, changes, **kwargs):
    if not issubclass(sender, DerivedFieldsMixin) or not set(changes) & set(sender.derived_from):
        return
    manager = sender._base_manager
    for obj in manager.filter(pk__in=pk_list):
        manager.filter(pk=obj.pk).update(**obj.derive_fields())


# Connected when the models load, before any userscript's receivers: those see the refreshed fields.
post_bulk_edit.connect(refresh_derived_fields, dispatch_uid="utilities.derived.refresh_derived_fields")
