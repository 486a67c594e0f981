"""Serializers of the custom object models, found by NetBox's naming convention (``Table5ModelSerializer``).

``netbox.api.naming.get_serializer_for_model`` looks a model's serializer up in
``<app>.api.serializers``; each type's is built from its current model (``object_serializer``).
"""
from custom_objects.api.serializers import object_serializer
from custom_objects.cache import cache

SUFFIX = "Serializer"


def __getattr__(name):
    model = cache.get_model_named(name.removesuffix(SUFFIX)) if name.endswith(SUFFIX) else None
    if model is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return object_serializer(model)
