"""Answers with the number of devices per status, as JSON, for one or more sites.

    curl -H "Authorization: Token $TOKEN" \
        "http://127.0.0.1:8000/userscript/?script=device_counts&site=ams1&site=fra1"
    {"sites": ["ams1", "fra1"], "devices": {"active": 12, "planned": 2}}
"""
from django.db.models import Count
from django.http import JsonResponse

from dcim.models import Device


def call(site=None, **kwargs):
    sites = [site] if isinstance(site, str) else site or []  # a repeated parameter is a list
    devices = Device.objects.filter(site__slug__in=sites) if sites else Device.objects.all()
    counts = dict(devices.order_by().values_list("status").annotate(n=Count("pk")))
    return JsonResponse({"sites": sites, "devices": counts})  # an HttpResponse is sent as is
