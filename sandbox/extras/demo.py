"""The tags of the demo data: "core" on the core routers, "monitored" on every active device and VM."""
from dcim.models import Device
from extras.models import Tag
from virtualization.models import VirtualMachine


def build(make, sites):
    core = make(Tag, name="Core", slug="core", color="f44336", weight=10)
    monitored = make(Tag, name="Monitored", slug="monitored", color="4caf50", description="Polled by the NMS")
    make(Tag, name="Decommission", slug="decommission", color="9e9e9e")
    for device in Device.objects.filter(role__slug="core-router"):
        device.tags.add(core)
    for model in (Device, VirtualMachine):
        for obj in model.objects.filter(status="active"):
            obj.tags.add(monitored)
