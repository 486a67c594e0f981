"""The virtualization part of the demo data: a Proxmox cluster per active site, two VMs in each.

Each VM has an ``eth0`` with a MAC address and an address from its site's servers prefix
as its primary MAC and IP.
"""
from dcim.choices import SiteStatusChoices
from dcim.models import DeviceRole, MACAddress, Platform
from ipam.models import IPAddress
from virtualization.models import Cluster, ClusterGroup, ClusterType, VirtualMachine, VMInterface

VMS_PER_CLUSTER = 2


def build(make, sites):
    proxmox = make(ClusterType, name="Proxmox VE", slug="proxmox")
    production = make(ClusterGroup, name="Production", slug="production")
    role = make(DeviceRole, name="Virtual Server", slug="virtual-server", color="4caf50", vm_role=True)
    platform = Platform.objects.filter(slug="junos").first()
    for n, site in enumerate(sites, start=1):
        if site.status != SiteStatusChoices.STATUS_ACTIVE:
            continue
        cluster = make(Cluster, name=f"{site.slug}-pve", type=proxmox, group=production, scope=site,
                       tenant=site.tenant)
        for v in range(1, VMS_PER_CLUSTER + 1):
            vm = make(VirtualMachine, name=f"{site.slug}-vm-{v:02d}", cluster=cluster, role=role, tenant=site.tenant,
                      vcpus=2 * v, memory=4096 * v, disk=40000, platform=platform if v == 2 else None)
            interface = make(VMInterface, virtual_machine=vm, name="eth0", mtu=1500)
            interface.primary_mac_address = make(MACAddress, mac_address=f"52:54:00:{n:02x}:00:{v:02x}",
                                                 assigned_object=interface)
            interface.save()
            ip = make(IPAddress, address=f"10.{n}.1.{10 + v}/24", assigned_object=interface, tenant=site.tenant,
                      dns_name=f"{vm.name}.demo.example")
            vm.primary_ip4 = ip
            vm.save()
