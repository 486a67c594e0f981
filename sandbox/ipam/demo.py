"""The ipam part of the demo data: RIRs and aggregates, roles, a VLAN group, a DHCP range and an ASN per site.

``build(make, sites)`` runs after ``dcim.demo`` has made the sites and their prefixes;
``make(Model, **fields)`` saves and counts, as there.
"""
from ipam.choices import IPRangeStatusChoices
from ipam.models import ASN, RIR, VLAN, Aggregate, IPRange, Prefix, Role, VLANGroup


def build(make, sites):
    private = make(RIR, name="RFC 1918", slug="rfc-1918", is_private=True)
    documentation = make(RIR, name="RFC 3849", slug="rfc-3849", is_private=True)
    make(Aggregate, prefix="10.0.0.0/8", rir=private, description="Private space of the demo")
    make(Aggregate, prefix="2001:db8::/32", rir=documentation, description="IPv6 documentation space")
    management = make(Role, name="Management", slug="management", weight=100)
    servers = make(Role, name="Servers", slug="servers", weight=200)
    for n, site in enumerate(sites, start=1):
        for third, role in ((0, management), (1, servers)):
            prefix = Prefix.objects.get(prefix=f"10.{n}.{third}.0/24")
            prefix.role = role
            prefix.save()
        group = make(VLANGroup, name=f"{site.slug} VLANs", slug=f"{site.slug}-vlans", scope=site,
                     vid_ranges=[[1, 999]], tenant=site.tenant)
        for vlan in VLAN.objects.filter(site=site):
            vlan.group = group
            vlan.save()
        make(IPRange, start_address=f"10.{n}.1.100/24", end_address=f"10.{n}.1.199/24", role=servers,
             status=IPRangeStatusChoices.STATUS_ACTIVE, description=f"{site.slug} DHCP pool", tenant=site.tenant)
        asn = make(ASN, asn=65000 + n, rir=private, tenant=site.tenant, description=f"{site.slug} BGP")
        asn.sites.add(site)
