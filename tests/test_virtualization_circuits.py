"""virtualization and circuits as NetBox 4.7 has them: the rules a save must pass, and their admin pages."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from circuits.models import Circuit, CircuitTermination, CircuitType, Provider, ProviderAccount
from dcim.models import DeviceRole, Region, Site
from ipam.models import IPAddress, VLANGroup
from virtualization.models import Cluster, ClusterType, VirtualMachine, VMInterface

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    region = Region.objects.create(name="EU", slug="eu")
    site = Site.objects.create(name="DC1", slug="dc1", region=region)
    return Cluster.objects.create(name="pve1", type=ClusterType.objects.create(name="PVE", slug="pve"), scope=site)


def test_vm_site_comes_from_its_cluster_and_must_match(cluster):
    assert (cluster._site.slug, cluster._region.slug) == ("dc1", "eu")
    vm = VirtualMachine.objects.create(name="web1", cluster=cluster)
    assert vm.site == cluster.scope
    other = Site.objects.create(name="DC2", slug="dc2")
    with pytest.raises(ValidationError, match="not assigned to this site"):
        VirtualMachine(name="web2", cluster=cluster, site=other).full_clean()
    with pytest.raises(ValidationError, match="site, cluster, or device"):
        VirtualMachine(name="web3").full_clean()
    with pytest.raises(ValidationError, match="already exists"):
        VirtualMachine(name="WEB1", cluster=cluster).full_clean()
    switch_role = DeviceRole.objects.create(name="Switch", slug="switch", vm_role=False)
    with pytest.raises(ValidationError) as error:
        VirtualMachine(name="web4", cluster=cluster, role=switch_role).full_clean()
    assert "role" in error.value.message_dict


def test_vm_primary_ip_must_be_on_its_interface(cluster):
    vm = VirtualMachine.objects.create(name="web1", cluster=cluster)
    other = VirtualMachine.objects.create(name="web2", cluster=cluster)
    eth0 = VMInterface.objects.create(virtual_machine=vm, name="eth0")
    foreign = IPAddress.objects.create(address="10.0.0.9/24",
                                       assigned_object=VMInterface.objects.create(virtual_machine=other, name="eth0"))
    vm.primary_ip4 = foreign
    with pytest.raises(ValidationError, match="not assigned to this VM"):
        vm.full_clean()
    ip = IPAddress.objects.create(address="10.0.0.5/24", assigned_object=eth0)
    vm.primary_ip4 = ip
    vm.full_clean()
    vm.save()
    assert list(eth0.ip_addresses.all()) == [ip]
    assert list(IPAddress.objects.filter(vminterface__virtual_machine=vm)) == [ip]
    ip.assigned_object = VMInterface.objects.get(virtual_machine=other)
    with pytest.raises(ValidationError, match="primary IP of virtual machine web1"):
        ip.full_clean()
    with pytest.raises(ValidationError, match="No interface with id 999999"):
        IPAddress(address="10.0.0.6/24", assigned_object_type=ip.assigned_object_type,
                  assigned_object_id=999999).full_clean()
    with pytest.raises(ValidationError, match="different virtual machine"):
        VMInterface(virtual_machine=vm, name="eth0.10",
                    parent=VMInterface.objects.get(virtual_machine=other)).full_clean()


def test_vlan_group_scoped_to_a_cluster(cluster):
    group = VLANGroup.objects.create(name="pve", slug="pve", scope=cluster)
    assert group.scope == cluster


def test_circuit_terminations_a_and_z(cluster):
    site = cluster.scope
    circuit = Circuit.objects.create(cid="C1", provider=Provider.objects.create(name="Lumen", slug="lumen"),
                                     type=CircuitType.objects.create(name="Transit", slug="transit"))
    a = CircuitTermination.objects.create(circuit=circuit, term_side="A", termination=site)
    z = CircuitTermination.objects.create(circuit=circuit, term_side="Z", termination=site.region)
    circuit.refresh_from_db()
    assert (circuit.termination_a, circuit.termination_z) == (a, z)
    assert (a._site, a._region, z._site, z._region) == (site, site.region, None, site.region)
    assert a.get_peer_termination() == z and list(site.circuit_terminations.all()) == [a]
    with pytest.raises(ValidationError):
        CircuitTermination(circuit=circuit, term_side="A").full_clean()
    with pytest.raises(ValidationError, match="Circuit ID must be unique per provider"):
        Circuit(cid="C1", provider=circuit.provider, type=circuit.type).full_clean()
    with pytest.raises(ValidationError, match="unit"):
        Circuit(cid="C2", provider=circuit.provider, type=circuit.type, distance=5).full_clean()
    other = Provider.objects.create(name="Zayo", slug="zayo")
    with pytest.raises(ValidationError, match="is not with Lumen"):
        Circuit(cid="C3", provider=circuit.provider, type=circuit.type,
                provider_account=ProviderAccount.objects.create(provider=other, account="Z-1")).full_clean()
    z.delete()
    circuit.refresh_from_db()
    assert circuit.termination_z is None


def test_admin_pages_with_inlines(admin_client, cluster):
    vm = VirtualMachine.objects.create(name="web1", cluster=cluster)
    VMInterface.objects.create(virtual_machine=vm, name="eth0")
    page = admin_client.get(reverse("admin:virtualization_virtualmachine_change", args=[vm.pk]))
    assert page.status_code == 200 and b"eth0" in page.content
    circuit = Circuit.objects.create(cid="C1", provider=Provider.objects.create(name="Lumen", slug="lumen"),
                                     type=CircuitType.objects.create(name="Transit", slug="transit"))
    assert admin_client.get(reverse("admin:circuits_circuit_change", args=[circuit.pk])).status_code == 200
    response = admin_client.post(reverse("admin:virtualization_cluster_change", args=[cluster.pk]), {
        "name": "pve1", "type": cluster.type_id, "status": "offline", "tags": "lab"})
    assert response.status_code == 302, response.content
    cluster.refresh_from_db()
    assert cluster.status == "offline" and [t.slug for t in cluster.tags.all()] == ["lab"]
    assert cluster._site is None  # the form left the scope empty
