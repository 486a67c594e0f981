"""IP space above the addresses: ``RIR``, ``Aggregate``, ``Role`` and ``Prefix`` (NetBox 4.7's fields).

Containment is asked in SQL with NetBox's lookups (``prefix__net_contained`` ...; see
``ipam/lookups.py``), on SQLite and PostgreSQL alike.
"""
import netaddr
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from ipam.choices import PrefixStatusChoices
from ipam.fields import IPNetworkField
from ipam.models.vrfs import table_name
from utilities.models import NetBoxModel, OrganizationalModel
from utilities.scope import CachedScopeMixin


class IPSpaceMixin:
    """``family``, ``mask_length`` and the available child prefixes of a model with a ``prefix``."""

    @property
    def family(self):
        return self.prefix.version if isinstance(self.prefix, netaddr.IPNetwork) else None

    @property
    def mask_length(self):
        return self.prefix.prefixlen if isinstance(self.prefix, netaddr.IPNetwork) else None

    def _child_prefix_queryset(self):
        return Prefix.objects.filter(prefix__net_contained=str(self.prefix))

    def get_available_prefixes(self):
        """The space not covered by child prefixes, as a ``netaddr.IPSet``."""
        children = self._child_prefix_queryset().values_list("prefix", flat=True)
        return netaddr.IPSet(self.prefix) - netaddr.IPSet(children)

    def get_first_available_prefix(self):
        available = self.get_available_prefixes()
        return available.iter_cidrs()[0] if available else None


def _check_mask(instance, kind):
    if isinstance(instance.prefix, netaddr.IPNetwork) and instance.prefix.prefixlen == 0:
        raise ValidationError({"prefix": f"Cannot create {kind} with /0 mask."})


class RIR(OrganizationalModel):
    """A Regional Internet Registry (ARIN, RIPE ...) or a standard such as RFC 1918."""

    is_private = models.BooleanField(default=False, verbose_name="private",
                                     help_text="IP space managed by this RIR is considered private")

    class Meta:
        ordering = ["name"]
        verbose_name = "RIR"
        verbose_name_plural = "RIRs"


class Aggregate(IPSpaceMixin, NetBoxModel):
    """The root of a piece of IP space, from an RIR; aggregates never overlap."""

    prefix = IPNetworkField(help_text="IPv4 or IPv6 network")
    rir = models.ForeignKey(RIR, on_delete=models.PROTECT, related_name="aggregates", verbose_name="RIR",
                            help_text="Regional Internet Registry responsible for this IP space")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="aggregates",
                               null=True, blank=True)
    date_added = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["prefix", "pk"]

    def __str__(self):
        return str(self.prefix)

    def clean(self):
        super().clean()
        if not isinstance(self.prefix, netaddr.IPNetwork):
            return
        _check_mask(self, "aggregate")
        others = Aggregate.objects.exclude(pk=self.pk)
        covering = others.filter(prefix__net_contains_or_equals=str(self.prefix)).first()
        if covering is not None:
            raise ValidationError({"prefix": f"Aggregates cannot overlap. {self.prefix} is already covered by an "
                                             f"existing aggregate ({covering})."})
        covered = others.filter(prefix__net_contained=str(self.prefix)).first()
        if covered is not None:
            raise ValidationError({"prefix": f"Prefixes cannot overlap aggregates. {self.prefix} covers an existing "
                                             f"aggregate ({covered})."})

    def get_child_prefixes(self):
        return Prefix.objects.filter(prefix__net_contained=str(self.prefix))

    def get_utilization(self):
        """Percentage of the aggregate covered by prefixes."""
        children = netaddr.IPSet(Prefix.objects.filter(prefix__net_contained_or_equal=str(self.prefix))
                                 .values_list("prefix", flat=True))
        return min(float(children.size) / self.prefix.size * 100, 100)


class Role(OrganizationalModel):
    """The function of a prefix, range or VLAN ("Customer", "Management" ...)."""

    weight = models.PositiveSmallIntegerField(default=1000)

    class Meta:
        ordering = ["weight", "name"]


class Prefix(IPSpaceMixin, CachedScopeMixin, NetBoxModel):
    prefix = IPNetworkField(help_text="IPv4 or IPv6 network with mask, e.g. 10.1.0.0/24")
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.PROTECT, related_name="prefixes", null=True, blank=True,
                            verbose_name="VRF")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="prefixes",
                               null=True, blank=True)
    vlan = models.ForeignKey("ipam.VLAN", on_delete=models.PROTECT, related_name="prefixes", null=True, blank=True,
                             verbose_name="VLAN")
    status = models.CharField(max_length=50, choices=PrefixStatusChoices, default=PrefixStatusChoices.STATUS_ACTIVE,
                              help_text="Operational status of this prefix")
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, related_name="prefixes", null=True, blank=True,
                             help_text="The primary function of this prefix")
    is_pool = models.BooleanField(default=False, verbose_name="is a pool",
                                  help_text="All IP addresses within this prefix are considered usable")
    mark_utilized = models.BooleanField(default=False, help_text="Treat as fully utilized")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["prefix", "pk"]
        verbose_name_plural = "prefixes"
        indexes = [models.Index(fields=["scope_type", "scope_id"])]

    def __str__(self):
        return str(self.prefix)

    def get_status_color(self):
        return PrefixStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        if not isinstance(self.prefix, netaddr.IPNetwork):
            return  # clean_fields reports a missing or malformed prefix
        _check_mask(self, "prefix")
        if self.prefix.ip != self.prefix.network:
            raise ValidationError({"prefix": f"Prefix {self.prefix} has host bits set; "
                                             f"did you mean {self.prefix.cidr}?"})
        if self.vrf_id is None or self.vrf.enforce_unique:
            duplicate = self.get_duplicates().first()
            if duplicate is not None:
                raise ValidationError({"prefix": f"Duplicate prefix found in {table_name(self.vrf)}: {duplicate}"})

    def get_duplicates(self):
        return Prefix.objects.filter(vrf=self.vrf_id, prefix=self.prefix).exclude(pk=self.pk)

    @property
    def aggregate(self):
        """The aggregate this prefix is in, or None."""
        return Aggregate.objects.filter(prefix__net_contains_or_equals=str(self.prefix)).first()

    def get_parents(self, include_self=False):
        lookup = "net_contains_or_equals" if include_self else "net_contains"
        return Prefix.objects.filter(vrf=self.vrf_id, **{f"prefix__{lookup}": str(self.prefix)})

    def get_children(self, include_self=False):
        lookup = "net_contained_or_equal" if include_self else "net_contained"
        return Prefix.objects.filter(vrf=self.vrf_id, **{f"prefix__{lookup}": str(self.prefix)})

    def _global_container(self):
        # A container in the global table spans every VRF, as in NetBox.
        return self.vrf_id is None and self.status == PrefixStatusChoices.STATUS_CONTAINER

    def _child_prefix_queryset(self):
        return self.get_child_prefixes()

    def get_child_prefixes(self):
        children = Prefix.objects.filter(prefix__net_contained=str(self.prefix))
        return children if self._global_container() else children.filter(vrf=self.vrf_id)

    def get_child_ranges(self, **filters):
        bounds = (netaddr.IPAddress(self.prefix.first, self.family), netaddr.IPAddress(self.prefix.last, self.family))
        return apps.get_model("ipam", "IPRange").objects.filter(
            vrf=self.vrf_id, start_address__host_between=bounds, end_address__host_between=bounds, **filters)

    def get_child_ips(self):
        children = apps.get_model("ipam", "IPAddress").objects.filter(address__net_host_contained=str(self.prefix))
        return children if self._global_container() else children.filter(vrf=self.vrf_id)

    @property
    def usable_ip_bounds(self):
        """First and last usable address: all of a pool or a /31, /32, /127, /128; else not the network
        (IPv4 and IPv6) nor the broadcast (IPv4)."""
        first, last, family = self.prefix.first, self.prefix.last, self.family
        whole = self.is_pool or self.prefix.prefixlen >= (31 if family == 4 else 127)
        if not whole:
            first, last = first + 1, (last - 1 if family == 4 else last)
        return netaddr.IPAddress(first, family), netaddr.IPAddress(last, family)

    def get_available_ips(self):
        """The free addresses of this prefix, as a ``netaddr.IPSet`` (NetBox's rules)."""
        first, last = self.usable_ip_bounds
        available = netaddr.IPSet(netaddr.IPRange(first, last))
        available -= netaddr.IPSet(ip.address.ip for ip in self.get_child_ips())
        for populated in self.get_child_ranges(mark_populated=True):
            available -= netaddr.IPSet(populated.range)
        return available

    def get_first_available_ip(self):
        """The first free address with this prefix's mask (``'10.1.0.1/24'``), or None."""
        available = self.get_available_ips()
        return f"{next(iter(available))}/{self.prefix.prefixlen}" if available else None

    def get_utilization(self):
        """Percentage in use: by child prefixes for a container, else by addresses and utilized ranges."""
        if self.mark_utilized:
            return 100
        if self.status == PrefixStatusChoices.STATUS_CONTAINER:
            children = Prefix.objects.filter(prefix__net_contained=str(self.prefix), vrf=self.vrf_id)
            used = netaddr.IPSet(children.values_list("prefix", flat=True)).size
            return min(float(used) / self.prefix.size * 100, 100)
        used = netaddr.IPSet(ip.address.ip for ip in self.get_child_ips())
        for utilized in self.get_child_ranges(mark_utilized=True):
            used |= netaddr.IPSet(utilized.range)
        size = self.prefix.size
        if self.family == 4 and self.prefix.prefixlen < 31 and not self.is_pool:
            size -= 2
        return min(float(used.size) / max(size, 1) * 100, 100)
