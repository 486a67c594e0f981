"""``VRF``: a routing table; prefixes and addresses in one are unique within it (``enforce_unique``)."""
from django.db import models

from utilities.models import NetBoxModel


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


def table_name(vrf):
    """How an error names the table an object lives in."""
    return f"VRF {vrf}" if vrf is not None else "the global table"
