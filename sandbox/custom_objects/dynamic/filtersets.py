"""Filtersets of the custom object models, found by NetBox's naming convention (``Table5ModelFilterSet``).

Job vars with ``query_params`` look a model's filterset up here (``<app>.filtersets``),
so the parameters of a custom object type mean what they mean in its API.
"""
from custom_objects.cache import cache
from custom_objects.filtersets import object_filterset

SUFFIX = "FilterSet"


def __getattr__(name):
    model = cache.get_model_named(name.removesuffix(SUFFIX)) if name.endswith(SUFFIX) else None
    if model is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return object_filterset(model)
