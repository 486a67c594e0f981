"""``Provider`` (accounts, networks), ``CircuitType``, ``Circuit``, ``CircuitTermination``, as in NetBox 4.7.

A circuit has at most two terminations, sides A and Z; each terminates, as in NetBox 4.2+,
at a region, site group, site, location or provider network through the generic
``termination`` (``termination_type`` + ``termination_id``), with the provider network,
location, site, site group and region it falls under cached for filtering. A termination is
also a cable end (dcim's ``CabledObjectModel``): ``Cable(a_terminations=[interface],
b_terminations=[termination])``, and a path traced from the interface crosses the circuit
to whatever is cabled to its other side.
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models

from circuits.choices import CircuitDistanceUnitChoices, CircuitStatusChoices, CircuitTerminationSideChoices
from dcim.models import CabledObjectModel
from utilities.derived import DerivedFieldsMixin
from utilities.fields import ColorField
from utilities.generic import clean_generic_reference
from utilities.models import NetBoxModel, OrganizationalModel
from utilities.scope import scope_cache

TERMINATION_TYPES = (models.Q(app_label="dcim", model__in=("region", "sitegroup", "site", "location"))
                     | models.Q(app_label="circuits", model="providernetwork"))


class Provider(NetBoxModel):
    name = models.CharField(max_length=100, unique=True, help_text="Full name of the provider")
    slug = models.SlugField(max_length=100, unique=True)
    asns = models.ManyToManyField("ipam.ASN", related_name="providers", blank=True, verbose_name="ASNs")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProviderAccount(NetBoxModel):
    """An account with a provider; a circuit may name the one it is billed to."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="accounts")
    account = models.CharField(max_length=100, verbose_name="account ID")
    name = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["provider", "account"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "account"],
                                    name="circuits_provideraccount_unique_provider_account"),
            models.UniqueConstraint(fields=["provider", "name"], name="circuits_provideraccount_unique_provider_name",
                                    condition=~models.Q(name="")),
        ]

    def __str__(self):
        return f"{self.account} ({self.name})" if self.name else self.account


class ProviderNetwork(NetBoxModel):
    """A network of a provider that circuits can end in (an MPLS cloud, an exchange's fabric ...)."""

    name = models.CharField(max_length=100)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="networks")
    service_id = models.CharField(max_length=100, blank=True, verbose_name="service ID")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="circuits_providernetwork_unique_provider_name"),
        ]

    def __str__(self):
        return self.name


class CircuitType(OrganizationalModel):
    """The kind of circuit: Internet transit, MPLS, dark fibre ..."""

    color = ColorField(blank=True)


class Circuit(NetBoxModel):
    cid = models.CharField(max_length=100, verbose_name="circuit ID", help_text="Unique circuit ID")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="circuits")
    provider_account = models.ForeignKey(ProviderAccount, on_delete=models.PROTECT, related_name="circuits",
                                         null=True, blank=True)
    type = models.ForeignKey(CircuitType, on_delete=models.PROTECT, related_name="circuits")
    status = models.CharField(max_length=50, choices=CircuitStatusChoices, default=CircuitStatusChoices.STATUS_ACTIVE)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="circuits",
                               null=True, blank=True)
    install_date = models.DateField(null=True, blank=True, verbose_name="installed")
    termination_date = models.DateField(null=True, blank=True, verbose_name="terminates")
    commit_rate = models.PositiveIntegerField(null=True, blank=True, verbose_name="commit rate (Kbps)",
                                              help_text="Committed rate")
    distance = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    distance_unit = models.CharField(max_length=50, choices=CircuitDistanceUnitChoices, null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)
    # The two ends, kept in step by CircuitTermination.save() / delete() (NetBox caches them the same way).
    termination_a = models.ForeignKey("circuits.CircuitTermination", on_delete=models.SET_NULL, related_name="+",
                                      editable=False, null=True, blank=True)
    termination_z = models.ForeignKey("circuits.CircuitTermination", on_delete=models.SET_NULL, related_name="+",
                                      editable=False, null=True, blank=True)

    class Meta:
        ordering = ["provider", "cid", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "cid"], name="circuits_circuit_unique_provider_cid",
                                    violation_error_message="Circuit ID must be unique per provider."),
        ]

    def __str__(self):
        return self.cid

    def get_status_color(self):
        return CircuitStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        if self.provider_account_id and self.provider_id and self.provider_account.provider_id != self.provider_id:
            raise ValidationError({"provider_account": f"Account {self.provider_account} is not with {self.provider}."})
        if self.distance is not None and not self.distance_unit:
            raise ValidationError({"distance_unit": "Must specify a unit when setting a distance."})


class CircuitTermination(DerivedFieldsMixin, NetBoxModel, CabledObjectModel):
    circuit = models.ForeignKey(Circuit, on_delete=models.CASCADE, related_name="terminations")
    term_side = models.CharField(max_length=1, choices=CircuitTerminationSideChoices, verbose_name="termination")
    termination_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                         null=True, blank=True, limit_choices_to=TERMINATION_TYPES)
    termination_id = models.PositiveBigIntegerField(null=True, blank=True)
    termination = GenericForeignKey("termination_type", "termination_id")
    port_speed = models.PositiveIntegerField(null=True, blank=True, verbose_name="port speed (Kbps)",
                                             help_text="Physical circuit speed")
    upstream_speed = models.PositiveIntegerField(null=True, blank=True, verbose_name="upstream speed (Kbps)",
                                                 help_text="Upstream speed, if different from port speed")
    xconnect_id = models.CharField(max_length=50, blank=True, verbose_name="cross-connect ID",
                                   help_text="ID of the local cross-connect")
    pp_info = models.CharField(max_length=100, blank=True, verbose_name="patch panel/port(s)",
                               help_text="Patch panel ID and port number(s)")
    description = models.CharField(max_length=200, blank=True)
    _provider_network = models.ForeignKey(ProviderNetwork, on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="circuit_terminations", editable=False)
    _location = models.ForeignKey("dcim.Location", on_delete=models.CASCADE, related_name="circuit_terminations",
                                  null=True, blank=True, editable=False)
    _site = models.ForeignKey("dcim.Site", on_delete=models.CASCADE, related_name="circuit_terminations",
                              null=True, blank=True, editable=False)
    _region = models.ForeignKey("dcim.Region", on_delete=models.CASCADE, related_name="circuit_terminations",
                                null=True, blank=True, editable=False)
    _site_group = models.ForeignKey("dcim.SiteGroup", on_delete=models.CASCADE, related_name="circuit_terminations",
                                    null=True, blank=True, editable=False)

    derived_from = ("termination_type", "termination_id")

    class Meta:
        ordering = ["circuit", "term_side"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "term_side"],
                                    name="circuits_circuittermination_unique_circuit_term_side"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original_end = (self.__dict__.get("circuit_id"), self.__dict__.get("term_side"))

    def __str__(self):
        return f"{self.circuit}: Termination {self.term_side}"

    @property
    def parent_object(self):
        return self.circuit

    def clean(self):
        super().clean()
        clean_generic_reference(self, "termination", "termination")

    def derive_fields(self):
        """The provider network, site and region the termination falls under (for filtering), as NetBox caches them."""
        end = self.termination if self.termination_type_id is not None else None
        if isinstance(end, ProviderNetwork):
            return {"_provider_network": end, **scope_cache(None)}
        return {"_provider_network": None, **scope_cache(end)}

    def save(self, *args, **kwargs):
        self.apply_derived_fields()
        super().save(*args, **kwargs)
        # The circuit's termination_a / termination_z follow the termination, also when it moves (as NetBox 4.7).
        old_circuit, old_side = self._original_end
        if old_circuit is not None and (old_circuit, old_side) != (self.circuit_id, self.term_side):
            Circuit.objects.filter(pk=old_circuit, **{_side_field(old_side): self.pk}).update(
                **{_side_field(old_side): None})
        Circuit.objects.filter(pk=self.circuit_id).update(**{_side_field(self.term_side): self})
        self._original_end = (self.circuit_id, self.term_side)

    def get_peer_termination(self):
        """The termination at the circuit's other side, or None."""
        peer_side = "Z" if self.term_side == CircuitTerminationSideChoices.SIDE_A else "A"
        return CircuitTermination.objects.filter(circuit=self.circuit_id, term_side=peer_side).first()


def _side_field(term_side):
    return "termination_a" if term_side == CircuitTerminationSideChoices.SIDE_A else "termination_z"
