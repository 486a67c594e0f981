"""Views of ``/api/plugins/custom-objects/``: types, fields, choice sets, each type's objects, links, schema.

Every view is the shared API base (``netbox.api``): pagination with an absolute ``next``,
``brief``, ``OPTIONS`` choices, filters, bulk operations all or nothing. Edits of
definitions change tables (``custom_objects.schema``), so their views run with SQLite's
foreign-key checks off around the transaction and save bulk edits object by object.
"""
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from custom_objects import changes, state
from custom_objects.api import serializers
from custom_objects.cache import cache
from custom_objects.filtersets import (
    CustomFieldChoiceSetFilterSet,
    CustomObjectTypeFieldFilterSet,
    CustomObjectTypeFilterSet,
    object_filterset,
)
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField
from custom_objects.state import StaleModelError
from netbox.api.schema import NetBoxAutoSchema
from netbox.api.viewsets import NetBoxModelViewSet


class DefinitionViewSet(NetBoxModelViewSet):
    """Types, fields and choice sets: each save goes through the model, which changes the tables."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with changes.prepared():
            return super().dispatch(request, *args, **kwargs)

    def bulk_update(self, request, partial=False, **kwargs):
        items = self._bulk_items(request.data)
        objects = self._objects_for(items)
        saved, errors = [], []
        with transaction.atomic():
            for item in items:
                data = {k: v for k, v in item.items() if k != "id"}
                serializer = self.get_serializer(objects[item["id"]], data=data, partial=partial)
                if serializer.is_valid() and not any(errors):
                    serializer.save()
                    saved.append(serializer.instance)
                errors.append(serializer.errors if serializer.errors else {})
            if any(errors):
                raise ValidationError(errors)
        return Response(self.get_serializer(saved, many=True).data)


class CustomObjectTypeViewSet(DefinitionViewSet):
    queryset = CustomObjectType.objects.prefetch_related("fields__choice_set", "fields__related_object_type",
                                                         "fields__custom_object_type", "tags")
    serializer_class = serializers.CustomObjectTypeSerializer
    filterset_class = CustomObjectTypeFilterSet


class CustomObjectTypeFieldViewSet(DefinitionViewSet):
    queryset = CustomObjectTypeField.objects.select_related("custom_object_type", "choice_set", "related_object_type")
    serializer_class = serializers.CustomObjectTypeFieldSerializer
    filterset_class = CustomObjectTypeFieldFilterSet


class CustomFieldChoiceSetViewSet(DefinitionViewSet):
    queryset = CustomFieldChoiceSet.objects.all()
    serializer_class = serializers.CustomFieldChoiceSetSerializer
    filterset_class = CustomFieldChoiceSetFilterSet


class ExcludedSchema(NetBoxAutoSchema):
    """Left out of the OpenAPI document: these endpoints exist per type, at run time."""

    def is_excluded(self):
        return True


class CustomObjectViewSet(NetBoxModelViewSet):
    """The objects of one type, at ``<slug>/`` (either spelling of the slug)."""

    schema = ExcludedSchema()

    @property
    def model(self):
        model = self.__dict__.get("_model")
        if model is None:
            slug = self.kwargs.get("slug", "")
            try:
                model = self.__dict__["_model"] = cache.get_model(slug)
            except LookupError:
                raise Http404(f"No custom object type {slug!r}.") from None
        return model

    def get_view_name(self):
        return self.model.custom_object_type.display_name_plural.capitalize() if "slug" in self.kwargs else "Objects"

    def get_queryset(self):
        model = self.model
        return model.objects.select_related(*(f.name for f in model._meta.fields if f.many_to_one)).prefetch_related(
            *(f.name for f in model._meta.many_to_many))

    def get_serializer_class(self):
        return serializers.object_serializer(self.model)

    @property
    def filterset_class(self):
        return object_filterset(self.model)

    def handle_exception(self, exc):
        if isinstance(exc, DatabaseError) and not isinstance(exc, StaleModelError) and "_model" in self.__dict__:
            # A type changed by another process between this request's check and its query.
            try:
                if state.read(DEFAULT_DB_ALIAS) != self._model._schema_token:
                    exc = StaleModelError(f"The custom object type {self.kwargs.get('slug')!r} changed while "
                                          "this request ran; nothing was written. Retry the request.")
            except DatabaseError:
                pass
        if isinstance(exc, StaleModelError):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)


class CustomObjectsRootView(APIView):
    """Custom objects: types, fields, choice sets, linked objects, and one endpoint per type."""

    schema = ExcludedSchema()

    def get_view_name(self):
        return "Custom Objects"

    def get(self, request, format=None):
        links = {name: reverse(f"custom_objects-api:{view}", request=request, format=format) for name, view in (
            ("custom-object-types", "customobjecttype-list"),
            ("custom-object-type-fields", "customobjecttypefield-list"),
            ("custom-field-choice-sets", "customfieldchoiceset-list"),
            ("linked-objects", "linked-objects"),
        )}
        for model in cache.all_models():
            slug = model.custom_object_type.slug
            links[slug] = reverse("custom_objects-api:customobject-list", kwargs={"slug": slug}, request=request,
                                  format=format)
        return Response(links)
