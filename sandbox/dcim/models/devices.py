"""What things are: ``Manufacturer``, ``DeviceType``, ``DeviceRole``, ``Platform`` and ``Device``.

A new device gets the components its type's templates describe, as in NetBox's
``Device.save()``: each is saved on its own, so userscripts see a save signal per component.
"""
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models, router, transaction

from dcim.choices import (
    DeviceAirflowChoices,
    DeviceFaceChoices,
    DeviceStatusChoices,
    SubdeviceRoleChoices,
    WeightUnitChoices,
)
from utilities.models import NetBoxModel, OrganizationalModel

color_validator = RegexValidator(r"^[0-9a-f]{6}$", "Enter a colour as six lower-case hex digits, e.g. 9e9e9e.")

# The related names of a device type's templates, in the order NetBox instantiates them
# (rear ports before front ports, which map onto them; power ports before the outlets they feed).
TEMPLATE_SETS = ("consoleporttemplates", "consoleserverporttemplates", "powerporttemplates", "poweroutlettemplates",
                 "interfacetemplates", "rearporttemplates", "frontporttemplates", "modulebaytemplates",
                 "devicebaytemplates")
HALF_U = Decimal("0.5")


class Manufacturer(OrganizationalModel):
    pass


class DeviceType(NetBoxModel):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="device_types")
    default_platform = models.ForeignKey("dcim.Platform", on_delete=models.SET_NULL, related_name="+",
                                         null=True, blank=True)
    model = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    part_number = models.CharField(max_length=50, blank=True, help_text="Discrete part number (optional)")
    u_height = models.DecimalField(max_digits=4, decimal_places=1, default=1.0,
                                   validators=[MinValueValidator(0)], verbose_name="height (U)")
    exclude_from_utilization = models.BooleanField(default=False,
                                                   help_text="Devices of this type are excluded when calculating "
                                                             "rack utilization.")
    is_full_depth = models.BooleanField(default=True, verbose_name="is full depth")
    subdevice_role = models.CharField(max_length=50, choices=SubdeviceRoleChoices.choices(), blank=True,
                                      verbose_name="parent/child status")
    airflow = models.CharField(max_length=50, choices=DeviceAirflowChoices.choices(), blank=True)
    weight = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    weight_unit = models.CharField(max_length=50, choices=WeightUnitChoices.choices(), blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["manufacturer", "model"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "model"], name="dcim_devicetype_unique_manufacturer_model"),
            models.UniqueConstraint(fields=["manufacturer", "slug"], name="dcim_devicetype_unique_manufacturer_slug"),
        ]

    def __str__(self):
        return self.model

    @property
    def full_name(self):
        return f"{self.manufacturer} {self.model}"

    @property
    def is_parent_device(self):
        return self.subdevice_role == SubdeviceRoleChoices.ROLE_PARENT

    @property
    def is_child_device(self):
        return self.subdevice_role == SubdeviceRoleChoices.ROLE_CHILD

    def clean(self):
        super().clean()
        errors = {}
        if self.weight is not None and not self.weight_unit:
            errors["weight_unit"] = "Must specify a unit when setting a weight"
        if self.u_height and Decimal(str(self.u_height)) % HALF_U:
            errors["u_height"] = "U height must be in increments of 0.5 rack units."
        if self.is_child_device and self.u_height:
            errors["u_height"] = "Child device types must be 0U."
        if self.pk and not self.is_parent_device and self.devicebaytemplates.exists():
            errors["subdevice_role"] = ("Must delete all device bay templates associated with this device before "
                                        "declassifying it as a parent device.")
        if errors:
            raise ValidationError(errors)


class DeviceRole(OrganizationalModel):
    color = models.CharField(max_length=6, default="9e9e9e", validators=[color_validator])
    vm_role = models.BooleanField(default=True, help_text="Virtual machines may be assigned to this role")


class Platform(OrganizationalModel):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="platforms",
                                     null=True, blank=True, help_text="Limit this platform to one manufacturer")


class Device(NetBoxModel):
    name = models.CharField(max_length=64, null=True, blank=True)
    device_type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, related_name="instances")
    role = models.ForeignKey(DeviceRole, on_delete=models.PROTECT, related_name="devices")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="devices",
                               null=True, blank=True)
    platform = models.ForeignKey(Platform, on_delete=models.SET_NULL, related_name="devices", null=True, blank=True)
    serial = models.CharField(max_length=50, blank=True, verbose_name="serial number")
    asset_tag = models.CharField(max_length=50, unique=True, null=True, blank=True,
                                 help_text="A unique tag used to identify this device")
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="devices")
    location = models.ForeignKey("dcim.Location", on_delete=models.PROTECT, related_name="devices",
                                 null=True, blank=True)
    rack = models.ForeignKey("dcim.Rack", on_delete=models.PROTECT, related_name="devices", null=True, blank=True)
    position = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True,
                                   validators=[MinValueValidator(1), MaxValueValidator(Decimal("100.5"))],
                                   verbose_name="position (U)")
    face = models.CharField(max_length=50, choices=DeviceFaceChoices.choices(), blank=True, verbose_name="rack face")
    status = models.CharField(max_length=50, choices=DeviceStatusChoices.choices(),
                              default=DeviceStatusChoices.STATUS_ACTIVE)
    airflow = models.CharField(max_length=50, choices=DeviceAirflowChoices.choices(), blank=True)
    cluster = models.ForeignKey("virtualization.Cluster", on_delete=models.SET_NULL, related_name="devices",
                                null=True, blank=True, help_text="The virtualization cluster this device hosts VMs for")
    primary_ip4 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv4")
    primary_ip6 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv6")
    oob_ip = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                  null=True, blank=True, verbose_name="out-of-band IP")
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="dcim_device_unique_site_name"),
        ]

    def __str__(self):
        if self.name:
            return self.name
        if self.device_type_id:
            return f"{self.device_type.manufacturer} {self.device_type.model} ({self.pk})"
        return f"Unnamed device ({self.pk})"

    # NetBox before 4.0 called the role ``device_role``; old scripts still use that name,
    # including as a keyword: ``Device(device_role=role, ...)``.
    @property
    def device_role(self):
        return self.role

    @device_role.setter
    def device_role(self, value):
        self.role = value

    @property
    def primary_ip(self):
        return self.primary_ip4 or self.primary_ip6

    @property
    def parent_device(self):
        """The device whose bay this device is installed in, or None."""
        bay = self.__class__.parent_bay.RelatedObjectDoesNotExist
        try:
            return self.parent_bay.device
        except bay:
            return None

    def get_status_color(self):
        return DeviceStatusChoices.color_of(self.status)

    def get_cables(self, pk_list=False):
        """The cables with an end on one of this device's components (their pks with ``pk_list``)."""
        cables = apps.get_model("dcim", "Cable").objects.filter(terminations___device=self).distinct()
        return list(cables.values_list("pk", flat=True)) if pk_list else cables

    def vc_interfaces(self, if_master=True):
        """NetBox's interfaces of the virtual chassis; there are no virtual chassis here, so this device's."""
        return self.interfaces.all()

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("site", "name"):
            return ValidationError(
                f"Device name must be unique per site: site {self.site} already has a device named {self.name!r}.",
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        super().clean()
        errors = {**self._clean_primary_ips(), **self._clean_placement()}
        if self.platform_id and self.device_type_id and self.platform.manufacturer_id not in (
                None, self.device_type.manufacturer_id):
            errors["platform"] = (f"Platform {self.platform} is for devices made by {self.platform.manufacturer}; "
                                  f"this device is made by {self.device_type.manufacturer}.")
        if errors:
            raise ValidationError(errors)

    def _clean_primary_ips(self):
        # One query per primary IP that is set, none otherwise: a bulk edit of thousands of
        # devices must stay cheap.
        errors = {}
        IPAddress = apps.get_model("ipam", "IPAddress")
        for field, family in (("primary_ip4", 4), ("primary_ip6", 6), ("oob_ip", None)):
            ip_id = getattr(self, f"{field}_id")
            row = IPAddress.objects.filter(pk=ip_id).values_list("address", "interface__device").first() \
                if ip_id is not None else None
            if row is None:
                continue  # none, or a missing one that clean_fields reports
            address, device_id = row
            if family and address.version != family:
                errors[field] = f"{address} is not an IPv{family} address."
            elif self.pk is None or device_id != self.pk:
                errors[field] = f"{address} is not assigned to an interface of this device."
        return errors

    def _clean_placement(self):
        """NetBox's rules for site, location, rack, position and face."""
        errors = {}
        if self.rack_id and self.site_id and self.rack.site_id != self.site_id:
            errors["rack"] = f"Rack {self.rack} does not belong to site {self.site}."
        if self.location_id and self.site_id and self.location.site_id != self.site_id:
            errors["location"] = f"Location {self.location} does not belong to site {self.site}."
        if self.rack_id and self.location_id and self.rack.location_id not in (None, self.location_id):
            errors["rack"] = f"Rack {self.rack} does not belong to location {self.location}."
        if self.cluster_id and self.cluster._site_id not in (None, self.site_id):
            errors["cluster"] = f"The assigned cluster belongs to a different site ({self.cluster._site})."
        elif self.cluster_id and self.cluster._location_id not in (None, self.location_id):
            errors["cluster"] = f"The assigned cluster belongs to a different location ({self.cluster._location})."
        if not self.rack_id:
            if self.face:
                errors["face"] = "Cannot select a rack face without assigning a rack."
            if self.position:
                errors["position"] = "Cannot select a rack position without assigning a rack."
        if self.position and Decimal(str(self.position)) % HALF_U:
            errors["position"] = "Position must be in increments of 0.5 rack units."
        if self.position and not self.face:
            errors["face"] = "Must specify rack face when defining rack position."
        if errors or not (self.rack_id and self.position and self.device_type_id):
            return errors
        device_type = self.device_type
        if not device_type.u_height:
            errors["position"] = f"A 0U device type ({device_type}) cannot be assigned to a rack position."
        elif device_type.is_child_device:
            errors["position"] = "Child device types cannot be assigned to a rack face or position."
        else:
            available = self.rack.get_available_units(u_height=device_type.u_height, rack_face=self.face,
                                                      exclude=[self.pk] if self.pk else [])
            if self.position not in available:
                errors["position"] = (f"U{self.position} is already occupied or does not have sufficient space to "
                                      f"accommodate this device type: {device_type} ({device_type.u_height}U)")
        return errors

    def save(self, *args, **kwargs):
        is_new = self._state.adding
        if is_new and self.device_type_id:
            self.airflow = self.airflow or self.device_type.airflow
            if self.platform_id is None:
                self.platform_id = self.device_type.default_platform_id
        if self.rack_id and self.rack.location_id:
            self.location_id = self.rack.location_id
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        template_sets = self._template_sets(using) if is_new and self.device_type_id else ()
        if not template_sets:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self.instantiate_components(template_sets)

    def _template_sets(self, using):
        """The related names of the template sets this device's type has, in one query.

        The query is plain SQL written once per process: built by the ORM, its nine EXISTS
        cost more to compile than a device costs to save.
        """
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(_template_sets_sql(connection), [self.device_type_id] * len(TEMPLATE_SETS))
            row = cursor.fetchone()
        return [name for name, present in zip(TEMPLATE_SETS, row, strict=True) if present]

    def instantiate_components(self, template_sets=TEMPLATE_SETS):
        """Create the components of this device's type, one save each (NetBox does this for new devices)."""
        device_type = self.device_type
        for related_name in template_sets:
            for template in getattr(device_type, related_name).all():
                template.instantiate(device=self).save()
        if "frontporttemplates" not in template_sets:
            return
        fronts = {port.name: port for port in self.frontports.all()}
        rears = {port.name: port for port in self.rearports.all()}
        for mapping in device_type.port_mappings.select_related("front_port", "rear_port"):
            self.port_mappings.create(front_port=fronts[mapping.front_port.name],
                                      front_port_position=mapping.front_port_position,
                                      rear_port=rears[mapping.rear_port.name],
                                      rear_port_position=mapping.rear_port_position)


_TEMPLATE_SETS_SQL = {}  # database vendor -> the query


def _template_sets_sql(connection):
    """``SELECT EXISTS(...), ...``: whether a device type has templates of each of ``TEMPLATE_SETS``."""
    sql = _TEMPLATE_SETS_SQL.get(connection.vendor)
    if sql is None:
        quote, checks = connection.ops.quote_name, []
        for name in TEMPLATE_SETS:
            opts = getattr(DeviceType, name).rel.related_model._meta
            column = opts.get_field("device_type").column
            checks.append(f"EXISTS(SELECT 1 FROM {quote(opts.db_table)} WHERE {quote(column)} = %s)")
        sql = _TEMPLATE_SETS_SQL[connection.vendor] = "SELECT " + ", ".join(checks)
    return sql
