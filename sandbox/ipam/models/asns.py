"""``ASN``: an autonomous system number (16 or 32 bits), from an RIR, as in NetBox."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from utilities.models import NetBoxModel

ASN_MIN, ASN_MAX = 1, 2 ** 32 - 1


class ASN(NetBoxModel):
    asn = models.PositiveBigIntegerField(unique=True, verbose_name="ASN",
                                         validators=[MinValueValidator(ASN_MIN), MaxValueValidator(ASN_MAX)],
                                         help_text="16- or 32-bit autonomous system number")
    rir = models.ForeignKey("ipam.RIR", on_delete=models.PROTECT, related_name="asns", verbose_name="RIR")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="asns",
                               null=True, blank=True)
    sites = models.ManyToManyField("dcim.Site", related_name="asns", blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["asn"]
        verbose_name = "ASN"
        verbose_name_plural = "ASNs"

    def __str__(self):
        return f"AS{self.asn_with_asdot}"

    @property
    def asdot_notation(self):
        """``AS65536`` is ``1.0`` in asdot notation (RFC 5396); 16-bit numbers have none."""
        return f"{self.asn // 65536}.{self.asn % 65536}" if self.asn and self.asn > 65535 else None

    @property
    def asn_with_asdot(self):
        return f"{self.asn} ({self.asdot_notation})" if self.asdot_notation else str(self.asn)
