"""NetBox's naming conventions of the API: where a model's serializer and views are found.

``dcim.Site`` is served by ``dcim.api.serializers.SiteSerializer`` and its detail view is
``dcim-api:site-detail``. Fields, serializers and viewsets all ask here, so none of them
has to import another to find a model's serializer.
"""
import importlib


def get_serializer_for_model(model):
    """``dcim.Site`` -> ``dcim.api.serializers.SiteSerializer``; ``LookupError`` if it is not there."""
    module = importlib.import_module(f"{model._meta.app_label}.api.serializers")
    name = f"{model.__name__}Serializer"
    try:
        return getattr(module, name)
    except AttributeError:
        raise LookupError(f"No serializer for {model._meta.label}: define {name} in {module.__name__}.") from None


def detail_view_name(model):
    return f"{model._meta.app_label}-api:{model._meta.model_name}-detail"
