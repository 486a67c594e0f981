"""A job that takes every device of a site offline with one bulk edit: every device is
validated, then written by one UPDATE between one pre_bulk_edit and one post_bulk_edit.

    manage.py runjob --commit --data '{"site": {"slug": "ams1"}}' local/take_offline/TakeOffline
"""
from dcim.choices import DeviceStatusChoices
from dcim.models import Device, Site
from netbox_userscripts import bulk_edit
from netbox_userscripts.jobs import Job, ObjectVar


class TakeOffline(Job):
    class Meta:
        name = "Take a site's devices offline"

    site = ObjectVar(model=Site)

    def run(self, data, commit):
        devices = Device.objects.filter(site=data["site"]).exclude(status=DeviceStatusChoices.STATUS_OFFLINE)
        edited = bulk_edit(devices, status=DeviceStatusChoices.STATUS_OFFLINE)  # the primary keys edited
        self.log_success(f"{len(edited)} devices of {data['site']} taken offline", obj=data["site"])
        return len(edited)
