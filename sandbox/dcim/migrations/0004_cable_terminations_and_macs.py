"""Moves existing data to NetBox 4's shape: cable ends to ``CableTermination`` rows, MAC text to ``MACAddress``.

Each NetBox 3.2 cable (``termination_a``/``termination_b``) gets an "A" and a "B" row and
sets its ports' ``cable_end``; each interface's ``mac_address`` text becomes a
``MACAddress`` assigned to it and made its primary one. Reversible while both shapes exist.
"""
import netaddr
from django.db import migrations


def _normalize(mac):
    try:
        return str(netaddr.EUI(mac.strip(), version=48, dialect=netaddr.mac_unix_expanded)).upper()
    except (netaddr.AddrFormatError, TypeError, ValueError):
        return mac.strip().upper()[:17]  # kept as it was rather than lost


def forward(apps, schema_editor):
    Cable = apps.get_model("dcim", "Cable")
    CableTermination = apps.get_model("dcim", "CableTermination")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for cable in Cable.objects.all():
        for end, type_id, object_id in (("A", cable.termination_a_type_id, cable.termination_a_id),
                                        ("B", cable.termination_b_type_id, cable.termination_b_id)):
            content_type = ContentType.objects.get(pk=type_id)
            model = apps.get_model(content_type.app_label, content_type.model)
            port = model.objects.filter(pk=object_id).select_related("device").first()
            if port is None:
                continue
            CableTermination.objects.create(cable=cable, cable_end=end, termination_type_id=type_id,
                                            termination_id=object_id, _device_id=port.device_id,
                                            _site_id=port.device.site_id)
            model.objects.filter(pk=object_id).update(cable=cable, cable_end=end)
    Interface = apps.get_model("dcim", "Interface")
    MACAddress = apps.get_model("dcim", "MACAddress")
    interface_type, _ = ContentType.objects.get_or_create(app_label="dcim", model="interface")
    for interface in Interface.objects.exclude(mac_address=""):
        mac = MACAddress.objects.create(mac_address=_normalize(interface.mac_address),
                                        assigned_object_type=interface_type, assigned_object_id=interface.pk)
        Interface.objects.filter(pk=interface.pk).update(primary_mac_address=mac)


def backward(apps, schema_editor):
    Cable = apps.get_model("dcim", "Cable")
    CableTermination = apps.get_model("dcim", "CableTermination")
    for cable in Cable.objects.all():
        ends = {}
        for ct in CableTermination.objects.filter(cable=cable).order_by("pk"):
            ends.setdefault(ct.cable_end, ct)
        if set(ends) != {"A", "B"}:
            cable.delete()  # NetBox 3.2 cannot hold a cable without both ends
            continue
        Cable.objects.filter(pk=cable.pk).update(
            termination_a_type_id=ends["A"].termination_type_id, termination_a_id=ends["A"].termination_id,
            termination_b_type_id=ends["B"].termination_type_id, termination_b_id=ends["B"].termination_id)
    Interface = apps.get_model("dcim", "Interface")
    for interface in Interface.objects.filter(primary_mac_address__isnull=False).select_related("primary_mac_address"):
        Interface.objects.filter(pk=interface.pk).update(mac_address=interface.primary_mac_address.mac_address)


class Migration(migrations.Migration):

    dependencies = [
        ("dcim", "0003_netbox4_model"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
