"""``linked-objects/?object_type=dcim.device&object_id=5``: the custom objects that point at one object.

Each result is ``{"custom_object_type": brief, "field_name": ..., "object": the custom
object}``, paginated like every list (``count``, ``next``, ``previous``, ``results``); only
types whose objects the user may view are searched.
"""
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from custom_objects.api.serializers import object_serializer, type_brief
from custom_objects.cache import cache
from netbox.api.pagination import OptionalLimitOffsetPagination


class LinkedObjectsView(APIView):
    """The custom objects whose object or multiobject fields point at the given object."""

    pagination_class = OptionalLimitOffsetPagination

    def get_view_name(self):
        return "Linked Objects"

    @extend_schema(parameters=[OpenApiParameter("object_type", str, required=True, description='e.g. "dcim.device"'),
                               OpenApiParameter("object_id", int, required=True)],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, format=None):
        target = self._target(request.query_params)
        rows = []
        for model in cache.all_models():
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            for field in (*opts.fields, *opts.many_to_many):
                if field.is_relation and field.related_model is type(target):
                    for obj in model.objects.filter(**{field.name: target}).distinct().order_by("pk"):
                        rows.append((model, field.name, obj))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        context = {"request": request, "view": self}
        results = [{"custom_object_type": type_brief(model.custom_object_type, context), "field_name": name,
                    "object": object_serializer(model)(obj, context=context).data} for model, name, obj in page]
        return paginator.get_paginated_response(results)

    def _target(self, params):
        object_type, object_id = params.get("object_type"), params.get("object_id")
        errors = {}
        if not object_type:
            errors["object_type"] = ['Required, as "app_label.model" (e.g. dcim.device).']
        if not object_id:
            errors["object_id"] = ["Required: the id of the object."]
        if errors:
            raise ValidationError(errors)
        app_label, _, model_name = object_type.lower().partition(".")
        try:
            model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        except ContentType.DoesNotExist:
            model = None
        if model is None:
            raise ValidationError({"object_type": [f"No object type {object_type!r}: use app_label.model, "
                                                   "e.g. dcim.device."]})
        if not object_id.isdigit() or int(object_id) >= 2 ** 63:
            raise ValidationError({"object_id": [f"{object_id!r} is not an object id."]})
        try:
            return model._default_manager.get(pk=int(object_id))
        except model.DoesNotExist:
            raise Http404(f"No {model._meta.verbose_name} with id {object_id}.") from None



