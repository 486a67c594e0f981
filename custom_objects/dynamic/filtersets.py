"""Filtersets of the custom object models, found by NetBox's naming convention (``Table5ModelFilterSet``).

Job vars with ``query_params`` look a model's filterset up here (``<app>.filtersets``),
so the parameters of a custom object type mean what they mean in its API.
"""
from custom_objects import builder
from custom_objects.cache import cache
from custom_objects.filtersets import object_filterset


def __getattr__(name):
    if name.startswith("Table") and name.endswith("ModelFilterSet"):
        type_id = builder.type_id_of(name[:-len("FilterSet")].lower())
        if type_id is not None:
            try:
                return object_filterset(cache.get_model(type_id))
            except LookupError:
                pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
