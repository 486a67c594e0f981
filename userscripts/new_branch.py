"""The "New Branch" example of NetBox's custom scripts documentation, as written there for NetBox 4.

It runs in the sandbox and inside NetBox 4.7 as the plugin's script ``new_branch.NewBranch``
(NetBox 4 names the device's role ``role``, and its ``ObjectVar`` has no ``display_field``).

Creates a planned site and its access switches (role "Access Switch", created if
missing), then returns a CSV table of the new devices. The switch model list is filtered
by the manufacturer chosen on the form (``query_params`` with ``$manufacturer``; the
example's ``field_order`` names three fields, so Manufacturer comes after them, as in NetBox).

    manage.py runjob --commit --data '{"site_name": "Branch 42", "switch_count": 2,
        "switch_model": {"model": "C9200-48P"}}' local/new_branch/NewBranch
"""
from django.utils.text import slugify

from dcim.choices import DeviceStatusChoices, SiteStatusChoices
from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from extras.scripts import *

name = "Branch provisioning"


class NewBranch(Script):

    class Meta:
        name = "New Branch"
        description = "Provision a new branch site"
        field_order = ["site_name", "switch_count", "switch_model"]

    site_name = StringVar(
        description="Name of the new site"
    )
    switch_count = IntegerVar(
        description="Number of access switches to create",
        min_value=1,
        max_value=48,
    )
    manufacturer = ObjectVar(
        model=Manufacturer,
        required=False
    )
    switch_model = ObjectVar(
        description="Access switch model",
        model=DeviceType,
        query_params={
            "manufacturer_id": "$manufacturer"
        }
    )

    def run(self, data, commit):

        if Site.objects.filter(name=data["site_name"]).exists():
            raise AbortScript(f"A site named {data['site_name']!r} already exists.")

        # Create the new site
        site = Site(
            name=data["site_name"],
            slug=slugify(data["site_name"]),
            status=SiteStatusChoices.STATUS_PLANNED
        )
        site.save()
        self.log_success(f"Created new site: {site}", obj=site)

        # Create access switches
        switch_role, _ = DeviceRole.objects.get_or_create(name="Access Switch", defaults={"slug": "access-switch"})
        for i in range(1, data["switch_count"] + 1):
            switch = Device(
                device_type=data["switch_model"],
                name=f"{site.slug}-switch{i}",
                site=site,
                status=DeviceStatusChoices.STATUS_PLANNED,
                role=switch_role
            )
            switch.save()
            self.log_success(f"Created new switch: {switch}", obj=switch)

        # Generate a CSV table of new devices
        output = [
            "name,make,model"
        ]
        for switch in Device.objects.filter(site=site).select_related("device_type__manufacturer"):
            attrs = [
                switch.name,
                switch.device_type.manufacturer.name,
                switch.device_type.model
            ]
            output.append(",".join(attrs))

        return "\n".join(output)
