"""OpenAPI for the bulk operations: list bodies, and operation ids that do not clash.

drf-spectacular describes the ordinary actions by itself; the bulk actions on the list
endpoint (``bulk_update``, ``bulk_partial_update``, ``bulk_destroy``) take lists, whose
items carry the ``id`` of the object to edit or delete.
"""
from functools import lru_cache

from drf_spectacular.openapi import AutoSchema
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

    def get_operation_id(self):
        if not self.bulk_action:
            return super().get_operation_id()
        path = [t.replace("-", "_") for t in self._tokenize_path()]
        return "_".join([*path, self.bulk_action])

    def get_request_serializer(self):
        if self.bulk_action == "bulk_destroy":
            return BulkDestroySerializer(many=True)
        if self.bulk_action:
            return bulk_edit_serializer(self.view.get_serializer_class())(many=True)
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self.bulk_action == "bulk_destroy":
            return None
        if self.bulk_action:
            return self.view.get_serializer_class()(many=True)
        return super().get_response_serializers()
