"""The API root (``/api/``) and ``/api/status/`` as NetBox and pynetbox know them."""
import platform

import django
from django.apps import apps
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from netbox import VERSION
from netbox_userscripts.loading.registry import registry


class APIRootView(APIView):
    """Links to each part of the API."""

    def get_view_name(self):
        return "API Root"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, format=None):
        links = {}
        for name in ("tenancy", "dcim", "ipam", "virtualization", "circuits", "extras", "userscripts"):
            try:
                links[name] = reverse(f"{name}-api:api-root", request=request, format=format)
            except Exception:
                continue
        links["status"] = reverse("api-status", request=request, format=format)
        return Response(links)


class StatusView(APIView):
    """Versions, installed apps and the state of the userscripts (pynetbox's ``status()``)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        modules = registry.modules()
        return Response({
            "netbox-version": VERSION,
            "django-version": django.get_version(),
            "python-version": platform.python_version(),
            "installed-apps": {
                config.name: getattr(config.module, "__version__", None) or getattr(config.module, "VERSION", None)
                for config in apps.get_app_configs()
            },
            "plugins": {},
            "rq-workers-running": 0,
            "userscripts": {
                "root": settings.USERSCRIPTS_ROOT,
                "loaded": [m.name for m in modules if m.loaded],
                "failed": [m.name for m in modules if not m.loaded],
            },
        })
