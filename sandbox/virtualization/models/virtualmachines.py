"""``VirtualMachine`` and its ``VMInterface``s, with NetBox 4.7's fields.

A VM runs in a cluster, on a host device and/or at a site (a cluster's or host's site must be
the VM's, and a clustered host's VM names the host's cluster); its primary
IPs must sit on one of its interfaces. IP addresses are assigned to a ``VMInterface``
as to a device ``Interface``: ``IPAddress(assigned_object=vminterface)``.
"""
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from dcim.choices import InterfaceModeChoices
from dcim.models import PrimaryMACAddressMixin
from utilities.models import NetBoxModel
from virtualization.choices import VirtualMachineStartOnBootChoices, VirtualMachineStatusChoices


class VirtualMachine(NetBoxModel):
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="virtual_machines",
                             null=True, blank=True)
    cluster = models.ForeignKey("virtualization.Cluster", on_delete=models.PROTECT, related_name="virtual_machines",
                                null=True, blank=True)
    device = models.ForeignKey("dcim.Device", on_delete=models.PROTECT, related_name="virtual_machines",
                               null=True, blank=True)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="virtual_machines",
                               null=True, blank=True)
    platform = models.ForeignKey("dcim.Platform", on_delete=models.SET_NULL, related_name="virtual_machines",
                                 null=True, blank=True)
    name = models.CharField(max_length=64)
    status = models.CharField(max_length=50, choices=VirtualMachineStatusChoices,
                              default=VirtualMachineStatusChoices.STATUS_ACTIVE)
    start_on_boot = models.CharField(max_length=32, choices=VirtualMachineStartOnBootChoices,
                                     default=VirtualMachineStartOnBootChoices.STATUS_OFF)
    role = models.ForeignKey("dcim.DeviceRole", on_delete=models.PROTECT, related_name="virtual_machines",
                             null=True, blank=True, limit_choices_to={"vm_role": True})
    primary_ip4 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv4")
    primary_ip6 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv6")
    vcpus = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, verbose_name="vCPUs",
                                validators=[MinValueValidator(Decimal("0.01"))])
    memory = models.PositiveIntegerField(null=True, blank=True, help_text="Memory (MB)")
    disk = models.PositiveIntegerField(null=True, blank=True, help_text="Disk (MB)")
    serial = models.CharField(max_length=50, blank=True, verbose_name="serial number")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "virtual machine"
        verbose_name_plural = "virtual machines"
        constraints = [
            models.UniqueConstraint(Lower("name"), "cluster", "tenant",
                                    name="virtualization_virtualmachine_unique_name_cluster_tenant",
                                    violation_error_message="Virtual machine name must be unique per cluster."),
        ]

    def __str__(self):
        return self.name

    @property
    def primary_ip(self):
        return self.primary_ip6 or self.primary_ip4

    def get_status_color(self):
        return VirtualMachineStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        errors = {}
        if self.site_id is None and self.cluster_id is None and self.device_id is None:
            errors["cluster"] = "A virtual machine must be assigned to a site, cluster, or device."
        if self.cluster_id and self.site_id and self.cluster._site_id not in (None, self.site_id):
            errors["cluster"] = f"The selected cluster ({self.cluster}) is not assigned to this site ({self.site})."
        if self.device_id and self.site_id and self.device.site_id != self.site_id:
            errors["site"] = f"The selected device ({self.device}) is not assigned to this site ({self.site})."
        if self.device_id and not self.cluster_id and self.device.cluster_id:
            # Assigning a host directly is for standalone hosts; a clustered host needs its cluster named.
            errors["cluster"] = (f"Must specify the assigned device's cluster ({self.device.cluster}) when assigning "
                                 f"host device {self.device}.")
        if self.device_id and self.cluster_id and self.device.cluster_id != self.cluster_id:
            errors["device"] = f"The selected device ({self.device}) is not assigned to this cluster ({self.cluster})."
        for field, family in (("primary_ip4", 4), ("primary_ip6", 6)):
            ip = getattr(self, field) if getattr(self, f"{field}_id") else None
            if ip is None:
                continue
            if ip.family != family:
                errors[field] = f"{ip} is not an IPv{family} address."
            elif self.pk is None or ip.assigned_virtual_machine_id != self.pk:
                errors[field] = f"The specified IP address ({ip}) is not assigned to this VM."
        if self.name and not errors:
            same = VirtualMachine.objects.filter(name__iexact=self.name, cluster=self.cluster_id,
                                                 tenant=self.tenant_id).exclude(pk=self.pk)
            if same.exists():
                errors["name"] = f"A virtual machine named {self.name} already exists in this cluster."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.site_id is None:  # a VM runs where its cluster or host is, as in NetBox
            if self.cluster_id and self.cluster._site_id:
                self.site_id = self.cluster._site_id
            elif self.device_id:
                self.site_id = self.device.site_id
        super().save(*args, **kwargs)


class VMInterface(NetBoxModel, PrimaryMACAddressMixin):
    virtual_machine = models.ForeignKey(VirtualMachine, on_delete=models.CASCADE, related_name="interfaces")
    name = models.CharField(max_length=64)
    enabled = models.BooleanField(default=True)
    parent = models.ForeignKey("self", on_delete=models.RESTRICT, related_name="child_interfaces", null=True,
                               blank=True, verbose_name="parent interface")
    bridge = models.ForeignKey("self", on_delete=models.SET_NULL, related_name="bridge_interfaces", null=True,
                               blank=True, verbose_name="bridge interface")
    mtu = models.PositiveIntegerField(null=True, blank=True, verbose_name="MTU",
                                      validators=[MinValueValidator(1), MaxValueValidator(65536)])
    mode = models.CharField(max_length=50, choices=InterfaceModeChoices, null=True, blank=True,
                            verbose_name="802.1Q mode")
    untagged_vlan = models.ForeignKey("ipam.VLAN", on_delete=models.SET_NULL, related_name="vminterfaces_as_untagged",
                                      null=True, blank=True, verbose_name="untagged VLAN")
    tagged_vlans = models.ManyToManyField("ipam.VLAN", related_name="vminterfaces_as_tagged", blank=True,
                                          verbose_name="tagged VLANs")
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.SET_NULL, related_name="vminterfaces", null=True,
                            blank=True, verbose_name="VRF")
    description = models.CharField(max_length=200, blank=True)
    ip_addresses = GenericRelation("ipam.IPAddress", content_type_field="assigned_object_type",
                                   object_id_field="assigned_object_id", related_query_name="vminterface")
    mac_addresses = GenericRelation("dcim.MACAddress", content_type_field="assigned_object_type",
                                    object_id_field="assigned_object_id", related_query_name="vminterface")

    class Meta:
        ordering = ["virtual_machine", "name", "pk"]
        verbose_name = "interface"
        verbose_name_plural = "interfaces"
        constraints = [
            models.UniqueConstraint(fields=["virtual_machine", "name"],
                                    name="virtualization_vminterface_unique_virtual_machine_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def parent_object(self):
        return self.virtual_machine

    def clean(self):
        super().clean()
        errors = {}
        for field in ("parent", "bridge"):
            other = getattr(self, field) if getattr(self, f"{field}_id") else None
            if other is None:
                continue
            if self.pk and other.pk == self.pk:
                errors[field] = f"An interface cannot be its own {field}."
            elif other.virtual_machine_id != self.virtual_machine_id:
                errors[field] = f"The selected {field} interface ({other}) belongs to a different virtual machine."
        if self.untagged_vlan_id and self.untagged_vlan.site_id not in (None, self.virtual_machine.site_id):
            errors["untagged_vlan"] = (f"The untagged VLAN ({self.untagged_vlan}) must belong to the same site as the "
                                       f"interface's virtual machine, or it must be global.")
        if errors:
            raise ValidationError(errors)
