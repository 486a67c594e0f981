"""Serializers of the circuits app, in NetBox's shape (see ``netbox.api.serializers``).

A termination's end is ``termination_type`` (``"dcim.site"`` ...) plus ``termination_id``,
read back with ``termination``, the object's brief form, as in NetBox 4.2+. Being a cable end,
it shows ``cable``, ``cable_end``, ``link_peers`` and ``_occupied`` as dcim's ports do.
"""
from circuits import models
from dcim.api.serializers import CabledSerializer
from netbox.api.fields import RelatedObjectField
from netbox.api.serializers import model_serializer

ProviderSerializer = model_serializer(models.Provider, ("name", "slug", "description"))
ProviderAccountSerializer = model_serializer(models.ProviderAccount, ("account", "name", "description"))
ProviderNetworkSerializer = model_serializer(models.ProviderNetwork, ("name", "description"))
CircuitTypeSerializer = model_serializer(models.CircuitType, ("name", "slug", "description"))
CircuitSerializer = model_serializer(models.Circuit, ("cid", "provider", "description"),
                                     termination_a=RelatedObjectField(read_only=True,
                                                                      model="circuits.CircuitTermination"),
                                     termination_z=RelatedObjectField(read_only=True,
                                                                      model="circuits.CircuitTermination"))
CircuitTerminationSerializer = model_serializer(models.CircuitTermination,
                                                ("circuit", "term_side", "description", "cable", "_occupied"),
                                                base=CabledSerializer)
