"""The ipam app: ``VRF``, ``Prefix``, ``IPAddress`` and ``VLAN``.

Prefixes and addresses are stored as text (see ``fields.py``), so containment ("which
addresses are in this prefix?") is narrowed in SQL by the text of the prefix's whole
octets and finished in Python with netaddr.
"""
import netaddr
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from ipam.choices import IPAddressRoleChoices, IPAddressStatusChoices, PrefixStatusChoices, VLANStatusChoices
from ipam.fields import IPAddressField, IPNetworkField
from utilities.models import NetBoxModel

# Roles whose addresses are shared by several devices, so duplicates are allowed (as in NetBox).
SHARED_ADDRESS_ROLES = {
    IPAddressRoleChoices.ROLE_ANYCAST, IPAddressRoleChoices.ROLE_VIP, IPAddressRoleChoices.ROLE_VRRP,
    IPAddressRoleChoices.ROLE_HSRP, IPAddressRoleChoices.ROLE_GLBP, IPAddressRoleChoices.ROLE_CARP,
}
dns_name_validator = RegexValidator(r"^([0-9A-Za-z_-]+|\*)(\.[0-9A-Za-z_-]+)*\.?$",
                                    "Only letters, digits, '-', '_' and '.' are allowed in a DNS name.")


def within(queryset, field, network):
    """The objects of ``queryset`` whose ``field`` (a netaddr value) lies inside ``network``, as a list."""
    if network.version == 4:
        whole_octets = network.prefixlen // 8
        if whole_octets:
            head = ".".join(str(network.network).split(".")[:whole_octets]) + "."
            queryset = queryset.filter(**{f"{field}__startswith": head})
        else:
            queryset = queryset.exclude(**{f"{field}__contains": ":"})
    else:
        queryset = queryset.filter(**{f"{field}__contains": ":"})
    return [obj for obj in queryset if isinstance(getattr(obj, field), netaddr.IPNetwork)
            and getattr(obj, field).version == network.version and getattr(obj, field).ip in network]


def _table(vrf):
    return f"VRF {vrf}" if vrf is not None else "the global table"


class IPSpaceMixin:
    """``family`` and ``mask_length`` of the model's netaddr field, named by ``ip_field``."""

    ip_field = None

    @property
    def family(self):
        value = getattr(self, self.ip_field)
        return value.version if isinstance(value, netaddr.IPNetwork) else None

    @property
    def mask_length(self):
        value = getattr(self, self.ip_field)
        return value.prefixlen if isinstance(value, netaddr.IPNetwork) else None


class VRF(NetBoxModel):
    name = models.CharField(max_length=100)
    rd = models.CharField(max_length=21, unique=True, null=True, blank=True, verbose_name="route distinguisher",
                          help_text="Unique route distinguisher (as defined in RFC 4364)")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="vrfs", null=True, blank=True)
    enforce_unique = models.BooleanField(default=True, verbose_name="enforce unique space",
                                         help_text="Prevent duplicate prefixes/IP addresses within this VRF")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "rd", "pk"]
        verbose_name = "VRF"
        verbose_name_plural = "VRFs"

    def __str__(self):
        return self.name


class VLAN(NetBoxModel):
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="vlans", null=True, blank=True)
    vid = models.PositiveSmallIntegerField(verbose_name="VLAN ID", validators=[MinValueValidator(1),
                                                                              MaxValueValidator(4094)])
    name = models.CharField(max_length=64)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="vlans",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=VLANStatusChoices.choices(),
                              default=VLANStatusChoices.STATUS_ACTIVE)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "vid", "pk"]
        verbose_name = "VLAN"
        verbose_name_plural = "VLANs"
        constraints = [
            models.UniqueConstraint(fields=["site", "vid"], name="ipam_vlan_unique_site_vid"),
            models.UniqueConstraint(fields=["site", "name"], name="ipam_vlan_unique_site_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.vid})"


class Prefix(IPSpaceMixin, NetBoxModel):
    ip_field = "prefix"
    prefix = IPNetworkField(help_text="IPv4 or IPv6 network with mask, e.g. 10.1.0.0/24")
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="prefixes", null=True, blank=True)
    vrf = models.ForeignKey(VRF, on_delete=models.PROTECT, related_name="prefixes", null=True, blank=True,
                            verbose_name="VRF")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="prefixes",
                               null=True, blank=True)
    vlan = models.ForeignKey(VLAN, on_delete=models.PROTECT, related_name="prefixes", null=True, blank=True,
                             verbose_name="VLAN")
    status = models.CharField(max_length=50, choices=PrefixStatusChoices.choices(),
                              default=PrefixStatusChoices.STATUS_ACTIVE)
    is_pool = models.BooleanField(default=False, verbose_name="is a pool",
                                  help_text="All IP addresses within this prefix are considered usable")
    mark_utilized = models.BooleanField(default=False, help_text="Treat as fully utilized")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["prefix", "pk"]
        verbose_name_plural = "prefixes"

    def __str__(self):
        return str(self.prefix)

    def clean(self):
        super().clean()
        if not isinstance(self.prefix, netaddr.IPNetwork):
            return  # clean_fields reports a missing or malformed prefix
        if self.prefix.prefixlen == 0:
            raise ValidationError({"prefix": "Cannot create a prefix with a /0 mask."})
        if self.prefix.ip != self.prefix.network:
            raise ValidationError(
                {"prefix": f"Prefix {self.prefix} has host bits set; did you mean {self.prefix.cidr}?"})
        if self.vrf_id is None or self.vrf.enforce_unique:
            duplicate = Prefix.objects.filter(vrf=self.vrf_id, prefix=self.prefix).exclude(pk=self.pk).first()
            if duplicate is not None:
                raise ValidationError({"prefix": f"Duplicate prefix found in {_table(self.vrf)}: {duplicate}"})

    def _scope(self, queryset):
        # A container in the global table spans every VRF, as in NetBox.
        if self.vrf_id is None and self.status == PrefixStatusChoices.STATUS_CONTAINER:
            return queryset
        return queryset.filter(vrf=self.vrf_id)

    def get_child_prefixes(self):
        children = [p.pk for p in within(self._scope(Prefix.objects.all()), "prefix", self.prefix)
                    if p.prefix.prefixlen > self.prefix.prefixlen]
        return Prefix.objects.filter(pk__in=children)

    def get_child_ips(self):
        return IPAddress.objects.filter(pk__in=[ip.pk for ip in within(self._scope(IPAddress.objects.all()),
                                                                       "address", self.prefix)])

    def get_available_ips(self):
        """The free addresses of this prefix, as a ``netaddr.IPSet`` (NetBox's rules)."""
        prefix = netaddr.IPSet(self.prefix)
        used = netaddr.IPSet(ip.address.ip for ip in self.get_child_ips())
        available = prefix - used
        whole = (self.is_pool or (self.family == 4 and self.prefix.prefixlen >= 31)
                 or (self.family == 6 and self.prefix.prefixlen >= 127))
        if whole:
            return available
        if self.family == 4:  # network ID and broadcast
            return available - netaddr.IPSet([self.prefix.network, self.prefix.broadcast])
        return available - netaddr.IPSet([self.prefix.network])  # the subnet-router anycast address

    def get_first_available_ip(self):
        """The first free address with this prefix's mask (``'10.1.0.1/24'``), or None."""
        available = self.get_available_ips()
        if not available:
            return None
        return f"{next(iter(available))}/{self.prefix.prefixlen}"

    def get_utilization(self):
        """Percentage of the prefix in use: by child prefixes for a container, else by addresses."""
        if self.mark_utilized:
            return 100
        if self.status == PrefixStatusChoices.STATUS_CONTAINER:
            used = netaddr.IPSet(p.prefix for p in self.get_child_prefixes()).size
            return min(100, used * 100 // self.prefix.size)
        size = self.prefix.size
        if self.family == 4 and self.prefix.prefixlen < 31 and not self.is_pool:
            size -= 2
        return min(100, self.get_child_ips().count() * 100 // max(size, 1))


class IPAddress(IPSpaceMixin, NetBoxModel):
    ip_field = "address"
    address = IPAddressField(help_text="IPv4 or IPv6 address with mask, e.g. 10.1.0.7/24")
    vrf = models.ForeignKey(VRF, on_delete=models.PROTECT, related_name="ip_addresses", null=True, blank=True,
                            verbose_name="VRF")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="ip_addresses",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=IPAddressStatusChoices.choices(),
                              default=IPAddressStatusChoices.STATUS_ACTIVE)
    role = models.CharField(max_length=50, choices=IPAddressRoleChoices.choices(), null=True, blank=True,
                            help_text="The functional role of this IP")
    assigned_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                             null=True, blank=True,
                                             limit_choices_to=models.Q(app_label="dcim", model="interface"))
    assigned_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    assigned_object = GenericForeignKey("assigned_object_type", "assigned_object_id")
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
    def assigned_device_id(self):
        """The id of the device whose interface has this address, or None."""
        return getattr(self._current_assigned_object(), "device_id", None)

    def _current_assigned_object(self):
        # Django keeps a cached "nothing assigned" even after the type and id are set (a form
        # does that to an address loaded unassigned); look again then.
        if self.assigned_object_id is None or self.assigned_object_type_id is None:
            return None
        cache = self._meta.get_field("assigned_object")
        if cache.is_cached(self) and cache.get_cached_value(self) is None:
            cache.delete_cached_value(self)
        return self.assigned_object

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
            errors["assigned_object_id"] = f"No interface with id {self.assigned_object_id}."
        if "address" not in errors and self.role not in SHARED_ADDRESS_ROLES and (
                self.vrf_id is None or self.vrf.enforce_unique):
            duplicate = (IPAddress.objects.filter(vrf=self.vrf_id, address__startswith=f"{ip.ip}/")
                         .exclude(pk=self.pk).first())
            if duplicate is not None:
                errors["address"] = f"Duplicate IP address found in {_table(self.vrf)}: {duplicate}"
        if self.pk and not errors:
            self._check_primary_ip(errors)
        if errors:
            raise ValidationError(errors)

    def _check_primary_ip(self, errors):
        """A device's primary IP must stay on one of that device's interfaces."""
        Device = apps.get_model("dcim", "Device")
        device = Device.objects.filter(models.Q(primary_ip4=self.pk) | models.Q(primary_ip6=self.pk)).first()
        if device is not None and self.assigned_device_id != device.pk:
            errors["assigned_object_id"] = (f"{self} is the primary IP of device {device}; "
                                            f"it must stay assigned to one of that device's interfaces.")
