"""The demo data set: five sites with fifty cabled, racked devices, their power, IP space and VLANs.

``load_demo()`` builds it with ordinary saves, so userscripts see every signal, inside one
transaction. It is deterministic: the same names, serials and addresses on every run.
Each site ``n`` (1 to 5) gets ``10.n.0.0/16``: management addresses in ``10.n.0.0/24``, one per
router and switch, and a spare one, ``10.n.0.100/24``, on the first switch's management interface
(the tour in README.md makes it that switch's primary IPv4).
Each site has a hall, a rack, a power panel with two feeds into the rack (the PDU's inlet
on feed A) and a fibre patch panel; the panels of sites 1-2 and 3-4 are joined rear to
rear, so a core router's ``xe-0/0/4`` reaches its peer router through two panels. The PDU,
the patch panel and the console server get their components from their types' templates.
"""
from django.db import transaction

from circuits import demo as circuits_demo
from dcim.choices import DeviceStatusChoices as DeviceStatus
from dcim.choices import SiteStatusChoices as SiteStatus
from dcim.models import (
    Cable,
    ConsolePort,
    ConsoleServerPort,
    Device,
    DeviceRole,
    DeviceType,
    FrontPortTemplate,
    Interface,
    Location,
    MACAddress,
    Manufacturer,
    ModuleBayTemplate,
    Platform,
    PortTemplateMapping,
    PowerFeed,
    PowerOutletTemplate,
    PowerPanel,
    PowerPort,
    PowerPortTemplate,
    Rack,
    RackRole,
    RearPortTemplate,
    Region,
    Site,
    SiteGroup,
)
from extras import demo as extras_demo
from ipam import demo as ipam_demo
from ipam.choices import IPAddressRoleChoices, PrefixStatusChoices
from ipam.models import VLAN, VRF, IPAddress, Prefix
from tenancy.models import Tenant
from virtualization import demo as virtualization_demo

REGIONS = [("Europe", None), ("Netherlands", "Europe"), ("Germany", "Europe"),
           ("North America", None), ("United States", "North America")]
SITE_GROUPS = {"ams2": "Edge", "sfo1": "Edge"}  # the other sites are in "Data centres"
TENANTS = ["Acme Corp", "Globex", "Initech"]
# slug, name, region, tenant, status, facility, time zone, latitude, longitude
SITES = [
    ("ams1", "Amsterdam 1", "Netherlands", "Acme Corp", SiteStatus.STATUS_ACTIVE, "Equinix AM3", "Europe/Amsterdam",
     "52.303100", "4.938700"),
    ("ams2", "Amsterdam 2", "Netherlands", "Acme Corp", SiteStatus.STATUS_ACTIVE, "NIKHEF", "Europe/Amsterdam",
     "52.356400", "4.952300"),
    ("fra1", "Frankfurt 1", "Germany", "Globex", SiteStatus.STATUS_ACTIVE, "Interxion FRA6", "Europe/Berlin",
     "50.119900", "8.735700"),
    ("nyc1", "New York 1", "United States", "Initech", SiteStatus.STATUS_ACTIVE, "60 Hudson", "America/New_York",
     "40.717700", "-74.008700"),
    ("sfo1", "San Francisco 1", "United States", "Initech", SiteStatus.STATUS_PLANNED, "", "America/Los_Angeles",
     None, None),
]
MANUFACTURERS = ["Juniper", "Cisco", "APC", "Generic"]
# manufacturer, model, slug, part number, height
DEVICE_TYPES = [
    ("Juniper", "MX204", "mx204", "MX204-HW-BASE", 1),
    ("Juniper", "EX4300-48T", "ex4300-48t", "EX4300-48T", 1),
    ("Cisco", "C9200-48P", "c9200-48p", "C9200-48P-E", 1),
    ("Cisco", "ISR4331", "isr4331", "ISR4331/K9", 1),
    ("APC", "AP8868", "ap8868", "AP8868", 0),
    ("Generic", "LC patch panel 12", "lc-panel-12", "", 1),
]
ROLES = [("Core Router", "core-router", "f44336"), ("Access Switch", "access-switch", "2196f3"),
         ("Console Server", "console-server", "9c27b0"), ("PDU", "pdu", "607d8b"),
         ("Patch Panel", "patch-panel", "795548")]
PLATFORMS = [("Junos", "junos", "Juniper"), ("Cisco IOS-XE", "ios-xe", "Cisco")]
SWITCHES_PER_SITE = 5
PANEL_PORTS = 12


def load_demo():
    """Create the demo data set; returns a count per kind of object created."""
    with transaction.atomic():
        return _Builder().build()


class _Builder:
    def __init__(self):
        self.counts = {}

    def make(self, model_class, /, **fields):
        obj = model_class(**fields)
        obj.save()
        key = model_class._meta.verbose_name_plural
        self.counts[key] = self.counts.get(key, 0) + 1
        return obj

    def build(self):
        regions = {}
        for name, parent in REGIONS:
            regions[name] = self.make(Region, name=name, slug=name.lower().replace(" ", "-"),
                                      parent=regions.get(parent))
        groups = {name: self.make(SiteGroup, name=name, slug=name.lower().replace(" ", "-"))
                  for name in ("Data centres", "Edge")}
        tenants = {name: self.make(Tenant, name=name, slug=name.lower().replace(" ", "-")) for name in TENANTS}
        makers = {name: self.make(Manufacturer, name=name, slug=name.lower()) for name in MANUFACTURERS}
        self.types = {slug: self.make(DeviceType, manufacturer=makers[maker], model=model, slug=slug,
                                      part_number=part, u_height=height, is_full_depth=height > 0)
                      for maker, model, slug, part, height in DEVICE_TYPES}
        self.roles = {slug: self.make(DeviceRole, name=name, slug=slug, color=color, vm_role=False)
                      for name, slug, color in ROLES}
        self.build_templates()
        self.rack_role = self.make(RackRole, name="Network", slug="network", color="2196f3")
        self.platforms = {slug: self.make(Platform, name=name, slug=slug, manufacturer=makers[maker])
                          for name, slug, maker in PLATFORMS}
        self.make(VRF, name="customer-a", rd="65000:1", tenant=tenants["Globex"])
        sites, panels = [], []
        for n, (slug, name, region, tenant, status, facility, tz, lat, lon) in enumerate(SITES, start=1):
            site = self.make(Site, name=name, slug=slug, status=status, region=regions[region],
                             group=groups[SITE_GROUPS.get(slug, "Data centres")],
                             tenant=tenants[tenant], facility=facility, time_zone=tz, latitude=lat, longitude=lon,
                             description=f"Demo site {n}")
            panels.append(self.build_site(n, site))
            sites.append(site)
        for a, b in ((panels[0], panels[1]), (panels[2], panels[3])):
            self.cable(a.rearports.get(), b.rearports.get(), "smf")
        for part in (ipam_demo, virtualization_demo, circuits_demo, extras_demo):  # their models, in their apps
            part.build(self.make, sites)
        return self.counts

    def build_templates(self):
        """The PDU's inlet and outlets, the patch panel's ports and the console server's module bays."""
        pdu = self.types["ap8868"]
        inlet = self.make(PowerPortTemplate, device_type=pdu, name="Inlet", type="iec-60320-c20")
        for i in range(1, 25):
            self.make(PowerOutletTemplate, device_type=pdu, name=f"Outlet {i}", type="iec-60320-c13",
                      power_port=inlet, feed_leg="A")
        panel = self.types["lc-panel-12"]
        rear = self.make(RearPortTemplate, device_type=panel, name="MPO", type="mpo", positions=PANEL_PORTS)
        for i in range(1, PANEL_PORTS + 1):
            front = self.make(FrontPortTemplate, device_type=panel, name=f"{i}", type="lc")
            self.make(PortTemplateMapping, front_port=front, rear_port=rear, rear_port_position=i)
        for i in range(2):
            self.make(ModuleBayTemplate, device_type=self.types["isr4331"], name=f"NIM {i}", position=str(i))

    def build_site(self, n, site):
        planned = site.status == SiteStatus.STATUS_PLANNED
        status = DeviceStatus.STATUS_PLANNED if planned else DeviceStatus.STATUS_ACTIVE
        self.make(Prefix, prefix=f"10.{n}.0.0/16", scope=site, tenant=site.tenant,
                  status=PrefixStatusChoices.STATUS_CONTAINER, description=f"{site.slug} aggregate")
        vlans = {vid: self.make(VLAN, site=site, vid=vid, name=name, tenant=site.tenant)
                 for vid, name in ((10, "management"), (20, "servers"), (30, "voice"))}
        for third, vid, what in ((0, 10, "management"), (1, 20, "servers"), (2, 30, "voice")):
            self.make(Prefix, prefix=f"10.{n}.{third}.0/24", scope=site, tenant=site.tenant, vlan=vlans[vid],
                      description=f"{site.slug} {what}")
        self.make(Prefix, prefix=f"10.{n}.255.0/24", scope=site, is_pool=True, description=f"{site.slug} loopbacks")
        self.make(Prefix, prefix=f"2001:db8:{n}::/48", scope=site, description=f"{site.slug} IPv6")

        juniper = site.slug.startswith(("ams", "fra"))
        hall = self.make(Location, site=site, name="Hall 1", slug="hall-1", tenant=site.tenant)
        self.rack = self.make(Rack, site=site, location=hall, name="R01", facility_id=f"{site.slug.upper()}-R01",
                              role=self.rack_role, tenant=site.tenant, u_height=42,
                              form_factor="4-post-cabinet", status="planned" if planned else "active")
        panel = self.make(PowerPanel, site=site, location=hall, name="PP1")
        feeds = [self.make(PowerFeed, power_panel=panel, rack=self.rack, name=f"PP1-{leg}", voltage=230, amperage=16,
                           type="primary" if leg == "A" else "redundant") for leg in "AB"]
        self.pdu = self.device(site, f"{site.slug}-pdu-01", "ap8868", "pdu", status, n, 90)
        self.cable(self.pdu.powerports.get(), feeds[0], "power")
        self.outlets = list(self.pdu.poweroutlets.order_by("pk"))
        console = self.device(site, f"{site.slug}-cons-01", "isr4331", "console-server", status, n, 80, "ios-xe",
                              position=38)
        self.server_ports = [self.make(ConsoleServerPort, device=console, name=f"Port {i}", type="rj-45")
                             for i in range(1, 9)]
        self.power(console, psus=1)
        routers = []
        for r in (1, 2):
            router = self.device(site, f"{site.slug}-core-rtr-{r:02d}", "mx204", "core-router", status, n, r, "junos",
                                 position=41 - r)
            ports = [self.interface(router, f"xe-0/0/{i}", "10gbase-x-sfpp") for i in range(5)]
            self.interface(router, "lo0", "virtual", ip=f"10.{n}.255.{r}/32", role=IPAddressRoleChoices.ROLE_LOOPBACK)
            em0 = self.interface(router, "em0", "1000base-t", mgmt_only=True, ip=f"10.{n}.0.{r}/24", primary=True)
            em0.primary_mac_address = self.make(MACAddress, mac_address=f"02:00:00:{n:02x}:00:{r:02x}",
                                                assigned_object=em0)
            em0.save()
            self.console(router)
            self.power(router, psus=2)
            routers.append((router, ports))
        self.cable(routers[0][1][0], routers[1][1][0], "smf")
        panel = self.device(site, f"{site.slug}-patch-01", "lc-panel-12", "patch-panel", status, n, 70, position=36)
        self.cable(routers[0][1][4], panel.frontports.get(name="1"), "smf")
        for s in range(1, SWITCHES_PER_SITE + 1):
            model, platform, prefix = ("ex4300-48t", "junos", "ge-0/0/") if juniper else ("c9200-48p", "ios-xe",
                                                                                        "GigabitEthernet1/0/")
            switch = self.device(site, f"{site.slug}-edge-sw-{s:02d}", model, "access-switch", status, n, 10 + s,
                                 platform, position=31 - s)
            for i in range(1, 4):
                self.interface(switch, f"{prefix}{i}", "1000base-t")
            uplink = self.interface(switch, "xe-0/1/0" if juniper else "TenGigabitEthernet1/1/1", "10gbase-x-sfpp")
            mgmt = self.interface(switch, "vlan10" if not juniper else "irb.10", "virtual",
                                  ip=f"10.{n}.0.{10 + s}/24", primary=True)
            if s == 1:
                self.make(IPAddress, address=f"10.{n}.0.100/24", assigned_object=mgmt, tenant=site.tenant,
                          description="spare management address")
            router, ports = routers[(s - 1) % 2]
            self.cable(uplink, ports[1 + (s - 1) // 2], "mmf-om4")
            self.console(switch)
            # The last switch of each site has one power supply only: the device report has something to find.
            self.power(switch, psus=1 if s == SWITCHES_PER_SITE else 2)
        return panel

    def device(self, site, name, type_slug, role_slug, status, n, i, platform=None, position=None):
        return self.make(Device, name=name, site=site, device_type=self.types[type_slug], role=self.roles[role_slug],
                         tenant=site.tenant, platform=self.platforms.get(platform), status=status,
                         serial=f"DEMO{n}{i:03d}", asset_tag=f"{site.slug.upper()}-{i:03d}", rack=self.rack,
                         position=position, face="front" if position else "")

    def interface(self, device, name, type, ip=None, primary=False, role=None, **fields):
        iface = self.make(Interface, device=device, name=name, type=type, **fields)
        if ip:
            address = self.make(IPAddress, address=ip, assigned_object=iface, role=role, tenant=device.tenant,
                                dns_name=f"{device.name}.demo.example")
            if primary:
                device.primary_ip4 = address
                device.save()
        return iface

    def console(self, device):
        port = self.make(ConsolePort, device=device, name="con0", type="rj-45")
        self.cable(port, self.server_ports.pop(0), "cat6")

    def power(self, device, psus):
        for i in range(psus):
            port = self.make(PowerPort, device=device, name=f"PSU{i}", type="iec-60320-c14", maximum_draw=350,
                             allocated_draw=250)
            self.cable(port, self.outlets.pop(0), "power")

    def cable(self, a, b, type):
        return self.make(Cable, a_terminations=[a], b_terminations=[b], type=type)
