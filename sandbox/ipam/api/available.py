"""NetBox's ``available-ips``, ``available-prefixes`` and ``available-vlans`` routes of prefixes, IP
ranges and VLAN groups (pynetbox's ``prefix.available_ips.list()`` / ``.create()``,
``prefix.available_prefixes.create({"prefix_length": 26})``, ``group.available_vlans.create({"name": "x"})``).

GET lists free addresses (``{"family", "address", "vrf"}``) or free space (``{"family", "prefix",
"vrf"}``), ``?limit=`` as in lists. POST takes one object or a list; each gets the next free
address (its mask the parent's, or ``prefix_length``) or the first free block of the given
``prefix_length``, in the parent's VRF, and is created through the ordinary serializer (so its
validation and save signals apply), all or none: 201 with what was made, 409 when the space runs
out. Creating addresses also needs ``ipam.add_ipaddress`` (prefixes: ``ipam.add_prefix``).
"""
from itertools import islice

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from netbox.api.naming import get_serializer_for_model
from netbox.api.pagination import OptionalLimitOffsetPagination


class SpaceExhausted(Exception):
    pass


def _requested(data):
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise ValidationError({"non_field_errors": ["Send an object, or a non-empty list of objects."]})
    return items


def _prefix_length(item, low, high):
    value = item.pop("prefix_length", None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError({"prefix_length": [f"Give a whole number from {low} to {high}."]})
    return value


class AvailableObjectsMixin:
    """What the routes share: a related object's brief form, and creating all or none."""

    def _brief(self, obj):
        if obj is None:
            return None
        serializer = get_serializer_for_model(type(obj))
        return serializer(obj, nested=True, context={"request": self.request}).data

    def _vrf(self, parent):
        return self._brief(parent.vrf)

    def _create(self, request, model, permission, build):
        if not request.user.has_perm(permission):
            raise PermissionDenied(f"Creating needs the permission {permission}.")
        serializer_class = get_serializer_for_model(model)
        with transaction.atomic():
            try:
                data = build()
            except SpaceExhausted:
                return Response({"detail": "Insufficient resources are available to satisfy the request"},
                                status=status.HTTP_409_CONFLICT)
            many = isinstance(request.data, list)
            serializer = serializer_class(data=data if many else data[0], many=many, context={"request": request})
            serializer.is_valid(raise_exception=True)
            serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class AvailableIPsMixin(AvailableObjectsMixin):
    """``available-ips``; the viewset's objects have ``vrf``, ``mask_length`` and ``get_available_ips()``."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get", "post"], url_path="available-ips")
    def available_ips(self, request, pk=None):
        parent = self.get_object()
        free = iter(parent.get_available_ips())
        if request.method == "GET":
            limit = OptionalLimitOffsetPagination().get_limit(request)
            vrf = self._vrf(parent)
            return Response([{"family": ip.version, "address": f"{ip}/{parent.mask_length}", "vrf": vrf}
                             for ip in islice(free, limit)])
        items = _requested(request.data)
        maximum = 32 if parent.family == 4 else 128

        def build():
            data = []
            for item in items:
                length = _prefix_length(item, 1, maximum) or parent.mask_length
                ip = next(free, None)
                if ip is None:
                    raise SpaceExhausted
                data.append({**item, "address": f"{ip}/{length}", "vrf": parent.vrf_id})
            return data

        model = parent._meta.apps.get_model("ipam", "IPAddress")
        return self._create(request, model, "ipam.add_ipaddress", build)


class AvailablePrefixesMixin(AvailableIPsMixin):
    """``available-ips`` and ``available-prefixes`` of a prefix (which has ``get_available_prefixes()``)."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get", "post"], url_path="available-prefixes")
    def available_prefixes(self, request, pk=None):
        parent = self.get_object()
        free = parent.get_available_prefixes()
        if request.method == "GET":
            vrf = self._vrf(parent)
            return Response([{"family": cidr.version, "prefix": str(cidr), "vrf": vrf} for cidr in free.iter_cidrs()])
        items = _requested(request.data)
        maximum = 32 if parent.family == 4 else 128

        def build():
            data = []
            for item in items:
                length = _prefix_length(item, parent.mask_length + 1, maximum)
                if length is None:
                    raise ValidationError({"prefix_length": ["This field is required."]})
                block = next((cidr for cidr in free.iter_cidrs() if cidr.prefixlen <= length), None)
                if block is None:
                    raise SpaceExhausted
                new = next(block.subnet(length))
                free.remove(new)
                data.append({**item, "prefix": str(new), "vrf": parent.vrf_id})
            return data

        return self._create(request, type(parent), "ipam.add_prefix", build)


class AvailableVLANsMixin(AvailableObjectsMixin):
    """``available-vlans`` of a VLAN group: free VLAN IDs; POST ``{"name": ...}`` makes a VLAN with the next."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get", "post"], url_path="available-vlans")
    def available_vlans(self, request, pk=None):
        group = self.get_object()
        free = iter(group.get_available_vids())
        if request.method == "GET":
            limit = OptionalLimitOffsetPagination().get_limit(request)
            brief = self._brief(group)
            return Response([{"vid": vid, "group": brief} for vid in islice(free, limit)])
        items = _requested(request.data)

        def build():
            data = []
            for item in items:
                vid = next(free, None)
                if vid is None:
                    raise SpaceExhausted
                data.append({**item, "vid": vid, "group": group.pk})
            return data

        return self._create(request, group.vlans.model, "ipam.add_vlan", build)
