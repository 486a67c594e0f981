"""The project's OpenAPI schema class (``DEFAULT_SCHEMA_CLASS``): bulk operations, and views without serializers.

drf-spectacular describes the ordinary actions by itself; the bulk actions on the list
endpoint (``bulk_update``, ``bulk_partial_update``, ``bulk_destroy``) take lists, whose
items carry the ``id`` of the object to edit or delete.

The engine's own API views (``/api/extras/jobs/``, ``/api/userscripts/``, ...) are plain
``APIView``s: the engine does not depend on drf-spectacular, so they declare no serializer.
They are documented as taking and answering free-form JSON, instead of drf-spectacular
printing an error for each of them whenever the schema is built.
"""
from functools import lru_cache

import uritemplate
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

BULK_ACTIONS = {"bulk_update", "bulk_partial_update", "bulk_destroy"}


class BulkDestroySerializer(serializers.Serializer):
    id = serializers.IntegerField()


@lru_cache(maxsize=None)
def bulk_edit_serializer(serializer_class):
    """``DeviceSerializer`` with a writable ``id``: one item of a bulk edit (component ``DeviceBulk``)."""
    name = serializer_class.__name__.removesuffix("Serializer") + "BulkSerializer"
    attrs = {"id": serializers.IntegerField(), "__module__": serializer_class.__module__}
    return type(name, (serializer_class,), attrs)


class NetBoxAutoSchema(AutoSchema):
    @property
    def bulk_action(self):
        action = getattr(self.view, "action", None)
        return action if action in BULK_ACTIONS else None

    @property
    def free_form(self):
        """True for a view that declares no serializer in any of the ways drf-spectacular looks for."""
        declares = ("get_serializer", "get_serializer_class", "serializer_class")  # GenericAPIView has all three
        return not any(hasattr(self.view, name) for name in declares)

    def get_operation_id(self):
        path = [t.replace("-", "_") for t in self._tokenize_path()]
        if self.bulk_action:
            return "_".join([*path, self.bulk_action])
        if self.free_form and self.method == "GET" and not uritemplate.variables(self.path):
            return "_".join([*path, "list"])  # not "retrieve", which its detail view (.../{name}/) is
        return super().get_operation_id()

    def get_request_serializer(self):
        if self.bulk_action == "bulk_destroy":
            return BulkDestroySerializer(many=True)
        if self.bulk_action:
            return bulk_edit_serializer(self.view.get_serializer_class())(many=True)
        if self.free_form:
            return OpenApiTypes.ANY
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self.bulk_action == "bulk_destroy":
            return None
        if self.bulk_action:
            return self.view.get_serializer_class()(many=True)
        if self.free_form:
            return OpenApiTypes.ANY
        return super().get_response_serializers()
