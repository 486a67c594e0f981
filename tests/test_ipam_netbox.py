"""ipam as NetBox 4.7 has it: the IP lookups (run in SQL on SQLite and PostgreSQL), ranges, aggregates, VLAN groups."""
import netaddr
import pytest
from django.core.exceptions import ValidationError

from dcim.models import Region, Site
from ipam.models import ASN, RIR, VLAN, VRF, Aggregate, IPAddress, IPRange, Prefix, Role, VLANGroup
from netbox_userscripts import bulk_edit
from tests.api_data import client_for, grant

pytestmark = pytest.mark.django_db


def prefixes(**lookup):
    return sorted(str(p) for p in Prefix.objects.filter(**lookup))


def addresses(**lookup):
    return sorted(str(ip) for ip in IPAddress.objects.filter(**lookup))


@pytest.fixture
def space():
    for text in ("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.10.0.0/16", "10.100.0.0/16", "2001:db8::/32",
                 "2001:db8:1::/48", "192.168.0.0/24"):
        Prefix.objects.create(prefix=text)
    for text in ("10.1.2.3/24", "10.1.2.4/16", "10.10.0.1/16", "10.1.2.0/32", "2001:db8:1::1/64", "192.168.0.9/24"):
        IPAddress.objects.create(address=text)


def test_prefix_lookups(space):
    assert prefixes(prefix__net_contained="10.1.0.0/16") == ["10.1.2.0/24"]
    assert prefixes(prefix__net_contained_or_equal="10.1.0.0/16") == ["10.1.0.0/16", "10.1.2.0/24"]
    assert prefixes(prefix__net_contains="10.1.2.0/24") == ["10.0.0.0/8", "10.1.0.0/16"]
    assert prefixes(prefix__net_contains_or_equals="10.1.2.0/24") == ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"]
    assert prefixes(prefix__net_contained="2001:db8::/32") == ["2001:db8:1::/48"]
    assert prefixes(prefix__net_mask_length=16) == ["10.1.0.0/16", "10.10.0.0/16", "10.100.0.0/16"]
    assert prefixes(prefix__net_mask_length__gte=48) == ["2001:db8:1::/48"]
    assert prefixes(prefix__family=6) == ["2001:db8:1::/48", "2001:db8::/32"]


def test_address_lookups(space):
    # An address is inside a network when its network is: 10.1.2.4/16 is not inside 10.1.2.0/24 ...
    assert addresses(address__net_contained="10.1.2.0/24") == ["10.1.2.0/32"]
    assert addresses(address__net_contained_or_equal="10.1.2.0/24") == ["10.1.2.0/32", "10.1.2.3/24"]
    # ... but its host is.
    assert addresses(address__net_host_contained="10.1.2.0/24") == ["10.1.2.0/32", "10.1.2.3/24", "10.1.2.4/16"]
    assert addresses(address__net_host_contained="10.1.0.0/16") == ["10.1.2.0/32", "10.1.2.3/24", "10.1.2.4/16"]
    assert addresses(address__net_host="10.1.2.3") == ["10.1.2.3/24"]
    assert addresses(address__net_in=["10.1.2.4", "192.168.0.9/24", "10.10.0.1/24"]) == ["10.1.2.4/16",
                                                                                         "192.168.0.9/24"]
    assert addresses(address__net_mask_length=16) == ["10.1.2.4/16", "10.10.0.1/16"]
    assert addresses(address__host_between=("10.1.2.3", "10.1.2.255")) == ["10.1.2.3/24", "10.1.2.4/16"]
    assert addresses(address__family=6) == ["2001:db8:1::1/64"]
    with pytest.raises(ValueError, match="not an IP network"):
        IPAddress.objects.filter(address__net_host_contained="10.1.2.300/24").count()


def test_prefix_methods(space):
    top = Prefix.objects.get(prefix="10.1.0.0/16")
    assert [str(p) for p in top.get_child_prefixes()] == ["10.1.2.0/24"]
    assert sorted(str(ip) for ip in top.get_child_ips()) == ["10.1.2.0/32", "10.1.2.3/24", "10.1.2.4/16"]
    assert [str(p) for p in Prefix.objects.get(prefix="10.1.2.0/24").get_parents()] == ["10.0.0.0/8", "10.1.0.0/16"]
    available = top.get_available_prefixes()
    assert isinstance(available, netaddr.IPSet) and netaddr.IPNetwork("10.1.2.0/24") not in available
    assert str(top.get_first_available_prefix()) == "10.1.0.0/23"
    lan = Prefix.objects.get(prefix="192.168.0.0/24")
    IPRange.objects.create(start_address="192.168.0.10/24", end_address="192.168.0.19/24", mark_populated=True)
    free = lan.get_available_ips()
    assert netaddr.IPAddress("192.168.0.9") not in free and netaddr.IPAddress("192.168.0.15") not in free
    assert free.size == 254 - 1 - 10
    IPRange.objects.create(start_address="192.168.0.100/24", end_address="192.168.0.149/24", mark_utilized=True)
    assert round(lan.get_utilization(), 2) == round(51 / 254 * 100, 2)


def test_ip_range_renumbering_and_utilization():
    vrf = VRF.objects.create(name="blue")
    ip_range = IPRange.objects.create(start_address="10.9.0.10/24", end_address="10.9.0.19/24", vrf=vrf)
    assert ip_range.size == 10 and str(ip_range) == "10.9.0.10-19/24" and ip_range.family == 4
    IPAddress.objects.create(address="10.9.0.12/24", vrf=vrf)
    IPAddress.objects.create(address="10.9.0.12/24")  # the global table: not the range's
    assert [str(ip) for ip in ip_range.get_child_ips()] == ["10.9.0.12/24"]
    assert ip_range.utilization == 10.0 and ip_range.get_first_available_ip() == "10.9.0.10/24"
    assert ip_range.get_available_ips().size == 9
    ip_range.start_address, ip_range.end_address = "10.9.0.100/24", "10.9.0.199/24"
    ip_range.full_clean()
    ip_range.save()
    assert IPRange.objects.get().size == 100 and not ip_range.get_child_ips().exists()
    with pytest.raises(ValidationError, match="overlap"):
        IPRange(start_address="10.9.0.150/24", end_address="10.9.0.250/24", vrf=vrf).full_clean()
    with pytest.raises(ValidationError, match="overlap"):
        IPRange(start_address="10.9.0.120/24", end_address="10.9.0.130/24", vrf=vrf).full_clean()
    with pytest.raises(ValidationError, match="masks must match"):
        IPRange(start_address="10.9.1.1/24", end_address="10.9.1.9/25").full_clean()
    IPRange.objects.filter(pk=ip_range.pk).update(mark_populated=True)
    with pytest.raises(ValidationError, match="marked populated"):
        IPAddress(address="10.9.0.150/24", vrf=vrf).full_clean()


def test_aggregates_rirs_roles_and_asns():
    rir = RIR.objects.create(name="RFC 1918", slug="rfc1918", is_private=True)
    aggregate = Aggregate.objects.create(prefix="10.0.0.0/8", rir=rir)
    with pytest.raises(ValidationError, match="already covered"):
        Aggregate(prefix="10.1.0.0/16", rir=rir).full_clean()
    with pytest.raises(ValidationError, match="covers an existing"):
        Aggregate(prefix="0.0.0.0/1", rir=rir).full_clean()
    Prefix.objects.create(prefix="10.0.0.0/9")
    assert aggregate.get_utilization() == 50 and [str(p) for p in aggregate.get_child_prefixes()] == ["10.0.0.0/9"]
    assert Prefix.objects.get().aggregate == aggregate
    role = Role.objects.create(name="Management", slug="mgmt")
    Prefix.objects.filter(pk=Prefix.objects.get().pk).update(role=role)
    assert list(role.prefixes.all()) == list(Prefix.objects.all())
    asn = ASN.objects.create(asn=4200000000, rir=rir)
    assert str(asn) == "AS4200000000 (64086.59904)"
    with pytest.raises(ValidationError):
        ASN(asn=2 ** 32, rir=rir).full_clean()


def test_vlan_groups_scope_and_ranges():
    region = Region.objects.create(name="EU", slug="eu")
    site = Site.objects.create(name="A", slug="a", region=region)
    other = Site.objects.create(name="B", slug="b")
    group = VLANGroup.objects.create(name="Campus", slug="campus", scope=site, vid_ranges=[[300, 399], [100, 199]])
    assert group.vid_ranges == [[100, 199], [300, 399]] and group.total_vlan_ids == 200
    VLAN.objects.create(group=group, vid=100, name="users")
    assert group.get_next_available_vid() == 101 and len(group.get_available_vids()) == 199
    with pytest.raises(ValidationError, match="VID must be in ranges 100-199, 300-399"):
        VLAN(group=group, vid=250, name="x").full_clean()
    with pytest.raises(ValidationError):
        VLAN(group=group, vid=100, name="dup").full_clean()
    with pytest.raises(ValidationError, match="not a member"):
        VLAN(group=group, site=other, vid=101, name="y").full_clean()
    with pytest.raises(ValidationError, match="cannot overlap"):
        VLANGroup(name="Bad", slug="bad", vid_ranges=[[1, 10], [5, 20]]).full_clean()
    with pytest.raises(ValidationError, match="pairs"):
        VLANGroup(name="Bad", slug="bad", vid_ranges="1-10").full_clean()
    assert list(VLANGroup.objects.filter(scope_type__model="site", scope_id=site.pk)) == [group]


def test_prefix_scope_caches_site_and_region():
    region = Region.objects.create(name="EU", slug="eu")
    site = Site.objects.create(name="A", slug="a", region=region)
    prefix = Prefix.objects.create(prefix="10.5.0.0/16", scope=site)
    assert (prefix._site, prefix._region, prefix.scope) == (site, region, site)
    assert list(Prefix.objects.filter(_region=region)) == [prefix]
    prefix.scope = region
    prefix.save()
    assert prefix._site is None and prefix._region == region


def test_bulk_edits_keep_cached_fields(superuser, token_for):
    """A bulk edit (one UPDATE, no save()) still refreshes a prefix's cached site and a range's size."""
    region = Region.objects.create(name="EU", slug="eu")
    site = Site.objects.create(name="A", slug="a", region=region)
    first, second = (Prefix.objects.create(prefix=f"10.{n}.0.0/16") for n in (1, 2))
    api = client_for(superuser, token_for)
    response = api.patch("/api/ipam/prefixes/", [{"id": p.pk, "scope_type": "dcim.site", "scope_id": site.pk}
                                                 for p in (first, second)], format="json")
    assert response.status_code == 200, response.content
    assert {p._site_id for p in Prefix.objects.all()} == {site.pk}
    assert Prefix.objects.filter(_region=region).count() == 2
    assert api.get(f"/api/ipam/prefixes/?site_id={site.pk}").json()["count"] == 2
    IPRange.objects.create(start_address="10.1.0.1/16", end_address="10.1.0.10/16")
    bulk_edit(IPRange.objects.all(), end_address="10.1.1.0/16")
    assert IPRange.objects.get().size == 256 and str(IPRange.objects.get().end_address) == "10.1.1.0/16"
    group = VLANGroup.objects.create(name="G", slug="g")
    bulk_edit(VLANGroup.objects.all(), vid_ranges=[[200, 299], [10, 19]])
    group.refresh_from_db()
    assert group.total_vlan_ids == 110 and group.vid_ranges == [[10, 19], [200, 299]]


def test_available_ips_needs_add_ipaddress_and_a_good_body(django_user_model, token_for):
    prefix = Prefix.objects.create(prefix="10.7.0.0/24")
    user = django_user_model.objects.create_user("ops")
    grant(user, "ipam.view_prefix", "ipam.add_prefix")
    api = client_for(user, token_for)
    url = f"/api/ipam/prefixes/{prefix.pk}/available-ips/"
    assert len(api.get(url, {"limit": 3}).json()) == 3
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 403 and "ipam.add_ipaddress" in refused.json()["detail"]
    grant(user, "ipam.add_ipaddress")  # read again by the next request's token authentication
    assert api.post(url, ["x"], format="json").status_code == 400
    assert api.post(url, {"prefix_length": "x"}, format="json").json() == {"prefix_length": ["Give a whole number "
                                                                                             "from 1 to 32."]}
    bad = api.post(url, {"status": "sleeping"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json() and not IPAddress.objects.exists()
    assert api.post(url, {"prefix_length": 32}, format="json").json()["address"] == "10.7.0.1/32"
