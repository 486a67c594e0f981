"""Addresses: ``IPRange`` (a run of addresses) and ``IPAddress`` (one, with its mask), as in NetBox 4.7.

An address is assigned to a device interface or a virtual machine interface through
NetBox's generic ``assigned_object`` (``assigned_object_type`` + ``assigned_object_id``).
"""
import netaddr
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from ipam.choices import IPAddressRoleChoices, IPAddressStatusChoices, IPRangeStatusChoices
from ipam.fields import IPAddressField
from ipam.models.vrfs import table_name
from utilities.derived import DerivedFieldsMixin
from utilities.models import NetBoxModel

# Roles whose addresses are shared by several devices, so duplicates are allowed (as in NetBox).
SHARED_ADDRESS_ROLES = {
    IPAddressRoleChoices.ROLE_ANYCAST, IPAddressRoleChoices.ROLE_VIP, IPAddressRoleChoices.ROLE_VRRP,
    IPAddressRoleChoices.ROLE_HSRP, IPAddressRoleChoices.ROLE_GLBP, IPAddressRoleChoices.ROLE_CARP,
}
IPADDRESS_ASSIGNMENT_MODELS = Q(app_label="dcim", model="interface") | Q(app_label="virtualization",
                                                                         model="vminterface")
dns_name_validator = RegexValidator(r"^([0-9A-Za-z_-]+|\*)(\.[0-9A-Za-z_-]+)*\.?$",
                                    "Only letters, digits, '-', '_' and '.' are allowed in a DNS name.")
MAX_RANGE_SIZE = 2 ** 32 - 1


class IPRange(DerivedFieldsMixin, NetBoxModel):
    start_address = IPAddressField(help_text="IPv4 or IPv6 address (with mask)")
    end_address = IPAddressField(help_text="IPv4 or IPv6 address (with mask)")
    size = models.PositiveIntegerField(editable=False, default=0)
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.PROTECT, related_name="ip_ranges", null=True, blank=True,
                            verbose_name="VRF")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="ip_ranges",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=IPRangeStatusChoices, default=IPRangeStatusChoices.STATUS_ACTIVE,
                              help_text="Operational status of this range")
    role = models.ForeignKey("ipam.Role", on_delete=models.SET_NULL, related_name="ip_ranges", null=True, blank=True,
                             help_text="The primary function of this range")
    mark_populated = models.BooleanField(default=False,
                                         help_text="Prevent the creation of IP addresses within this range")
    mark_utilized = models.BooleanField(default=False, help_text="Report space as fully utilized")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    derived_from = ("start_address", "end_address")

    class Meta:
        ordering = ["start_address", "pk"]
        verbose_name = "IP range"
        verbose_name_plural = "IP ranges"

    def __str__(self):
        return self.name

    @property
    def _valid(self):
        return isinstance(self.start_address, netaddr.IPNetwork) and isinstance(self.end_address, netaddr.IPNetwork)

    def clean(self):
        super().clean()
        if not self._valid:
            return  # clean_fields names the malformed address
        start, end = self.start_address, self.end_address
        if start.version != end.version:
            raise ValidationError({"end_address": "Starting and ending IP address versions must match"})
        if start.prefixlen != end.prefixlen:
            raise ValidationError({"end_address": "Starting and ending IP address masks must match"})
        if end.ip < start.ip:
            raise ValidationError({"end_address": f"Ending address must be greater than or equal to the starting "
                                                  f"address ({start})"})
        if int(end.ip - start.ip) + 1 > MAX_RANGE_SIZE:
            raise ValidationError(f"Defined range exceeds maximum supported size ({MAX_RANGE_SIZE})")
        others = IPRange.objects.exclude(pk=self.pk).filter(vrf=self.vrf_id)
        bounds = (start.ip, end.ip)
        overlapping = others.filter(Q(start_address__host_between=bounds) | Q(end_address__host_between=bounds)).first()
        if overlapping is None:  # or one that holds this whole range
            overlapping = next((r for r in others.filter(start_address__family=start.version)
                                if r.start_address.ip <= start.ip and r.end_address.ip >= end.ip), None)
        if overlapping is not None:
            raise ValidationError(f"Defined addresses overlap with range {overlapping} in {table_name(self.vrf)}")

    def derive_fields(self):
        return {"size": int(self.end_address.ip - self.start_address.ip) + 1}

    def save(self, *args, **kwargs):
        self.apply_derived_fields()
        super().save(*args, **kwargs)

    @property
    def family(self):
        return self.start_address.version if isinstance(self.start_address, netaddr.IPNetwork) else None

    @property
    def mask_length(self):
        return self.start_address.prefixlen if isinstance(self.start_address, netaddr.IPNetwork) else None

    @property
    def range(self):
        return netaddr.IPRange(self.start_address.ip, self.end_address.ip)

    @property
    def name(self):
        """``10.1.0.10-20/24``: the common leading part once (NetBox's rendering)."""
        start, end = self.start_address, self.end_address
        if start.ip == end.ip:
            return f"{start.ip}-{end.ip}/{start.prefixlen}"
        separator = ":" if self.family == 6 else "."
        start_chunks, end_chunks = str(start.ip).split(separator), str(end.ip).split(separator)
        common = []
        for a, b in zip(start_chunks, end_chunks, strict=False):
            if a != b:
                break
            common.append(a)
        head = separator.join(common)
        return (f"{head}{separator}{separator.join(start_chunks[len(common):])}-"
                f"{separator.join(end_chunks[len(common):])}/{start.prefixlen}")

    def get_status_color(self):
        return IPRangeStatusChoices.color_of(self.status)

    def get_child_ips(self):
        """The addresses inside this range, in its VRF."""
        return IPAddress.objects.filter(vrf=self.vrf_id,
                                        address__host_between=(self.start_address.ip, self.end_address.ip))

    def get_available_ips(self):
        """The free addresses of the range as a ``netaddr.IPSet`` (none when marked populated)."""
        if self.mark_populated:
            return netaddr.IPSet()
        return netaddr.IPSet(self.range) - netaddr.IPSet(ip.address.ip for ip in self.get_child_ips())

    def get_first_available_ip(self):
        available = self.get_available_ips()
        return f"{next(iter(available))}/{self.start_address.prefixlen}" if available else None

    @property
    def first_available_ip(self):
        return self.get_first_available_ip()

    @property
    def utilization(self):
        """Percentage of the range in use (100 when marked utilized)."""
        if self.mark_utilized:
            return 100
        used = len({ip.address.ip for ip in self.get_child_ips()})
        return min(float(used) / self.size * 100, 100) if self.size else 0

    get_utilization = utilization.fget


class IPAddress(NetBoxModel):
    address = IPAddressField(help_text="IPv4 or IPv6 address with mask, e.g. 10.1.0.7/24")
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.PROTECT, related_name="ip_addresses", null=True, blank=True,
                            verbose_name="VRF")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="ip_addresses",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=IPAddressStatusChoices,
                              default=IPAddressStatusChoices.STATUS_ACTIVE,
                              help_text="The operational status of this IP")
    role = models.CharField(max_length=50, choices=IPAddressRoleChoices, null=True, blank=True,
                            help_text="The functional role of this IP")
    assigned_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                             null=True, blank=True, limit_choices_to=IPADDRESS_ASSIGNMENT_MODELS)
    assigned_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    assigned_object = GenericForeignKey("assigned_object_type", "assigned_object_id")
    nat_inside = models.ForeignKey("self", on_delete=models.SET_NULL, related_name="nat_outside", null=True,
                                   blank=True, verbose_name="NAT (inside)",
                                   help_text='The IP for which this address is the "outside" IP')
    dns_name = models.CharField(max_length=255, blank=True, validators=[dns_name_validator], verbose_name="DNS name",
                                help_text="Hostname or FQDN (not case-sensitive)")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["address", "pk"]
        verbose_name = "IP address"
        verbose_name_plural = "IP addresses"
        indexes = [models.Index(fields=["assigned_object_type", "assigned_object_id"])]

    def __str__(self):
        return str(self.address)

    @property
    def family(self):
        return self.address.version if isinstance(self.address, netaddr.IPNetwork) else None

    @property
    def mask_length(self):
        return self.address.prefixlen if isinstance(self.address, netaddr.IPNetwork) else None

    def get_status_color(self):
        return IPAddressStatusChoices.color_of(self.status)

    @property
    def assigned_device_id(self):
        """The id of the device whose interface has this address, or None."""
        return getattr(self._current_assigned_object(), "device_id", None)

    @property
    def assigned_virtual_machine_id(self):
        """The id of the virtual machine whose interface has this address, or None."""
        return getattr(self._current_assigned_object(), "virtual_machine_id", None)

    def _current_assigned_object(self):
        # Django keeps a cached "nothing assigned" even after the type and id are set (a form
        # does that to an address loaded unassigned); look again then.
        if self.assigned_object_id is None or self.assigned_object_type_id is None:
            return None
        cache = self._meta.get_field("assigned_object")
        if cache.is_cached(self) and cache.get_cached_value(self) is None:
            cache.delete_cached_value(self)
        return self.assigned_object

    def get_duplicates(self):
        return IPAddress.objects.filter(vrf=self.vrf_id, address__net_host=str(self.address.ip)).exclude(pk=self.pk)

    def clean(self):
        super().clean()
        if not isinstance(self.address, netaddr.IPNetwork):
            return  # clean_fields reports a missing or malformed address
        ip, errors = self.address, {}
        if ip.prefixlen == 0:
            errors["address"] = "Cannot create an IP address with a /0 mask."
        elif self.assigned_object_id is not None and ip.version == 4 and ip.prefixlen < 31:
            if ip.ip == ip.network:
                errors["address"] = f"{ip} is a network ID, which may not be assigned to an interface."
            elif ip.ip == ip.broadcast:
                errors["address"] = f"{ip} is a broadcast address, which may not be assigned to an interface."
        if self.assigned_object_id is None:
            self.assigned_object_type = None  # a type alone (a form's pre-selected default) assigns nothing
        elif self.assigned_object_type_id is None:
            errors["assigned_object_type"] = "Give the type of the assigned object as well as its id."
        elif self._current_assigned_object() is None:
            errors["assigned_object_id"] = f"No {self.assigned_object_type.name} with id {self.assigned_object_id}."
        if "address" not in errors and self.role not in SHARED_ADDRESS_ROLES and (
                self.vrf_id is None or self.vrf.enforce_unique):
            duplicate = self.get_duplicates().first()
            if duplicate is not None:
                errors["address"] = f"Duplicate IP address found in {table_name(self.vrf)}: {duplicate}"
        if "address" not in errors and self._state.adding:
            populated = IPRange.objects.filter(vrf=self.vrf_id, mark_populated=True,
                                               start_address__family=ip.version)
            inside = next((r for r in populated if r.start_address.ip <= ip.ip <= r.end_address.ip), None)
            if inside is not None:
                errors["address"] = f"Cannot create IP address {ip} inside range {inside}, which is marked populated."
        if self.pk and not errors:
            self._check_primary_ip(errors)
        if errors:
            raise ValidationError(errors)

    def _check_primary_ip(self, errors):
        """A device's or VM's primary IP must stay on one of that device's or VM's interfaces."""
        for label, assigned in (("dcim.Device", self.assigned_device_id),
                                ("virtualization.VirtualMachine", self.assigned_virtual_machine_id)):
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            holder = model.objects.filter(Q(primary_ip4=self.pk) | Q(primary_ip6=self.pk)).first()
            if holder is not None and assigned != holder.pk:
                errors["assigned_object_id"] = (f"{self} is the primary IP of {model._meta.verbose_name} {holder}; "
                                                f"it must stay assigned to one of its interfaces.")
                return
