"""NetBox's naming conventions of the API: where a model's serializer and views are found.

``dcim.Site`` is served by ``dcim.api.serializers.SiteSerializer`` and its detail view is
``dcim-api:site-detail`` (an app whose AppConfig sets ``api_namespace`` uses that namespace
instead: extras' tags live beside the engine's ``extras-api``). Fields, serializers and
viewsets all ask here, so none of them has to import another to find a model's serializer.
"""
import importlib

from django.apps import apps


def get_serializer_for_model(model):
    """``dcim.Site`` -> ``dcim.api.serializers.SiteSerializer``; ``LookupError`` if it is not there.

    The module is the app's (its AppConfig's ``name``): the custom object models of the app
    ``custom_objects_dynamic`` are served by ``custom_objects.dynamic.api.serializers``.
    """
    module = importlib.import_module(f"{model._meta.app_config.name}.api.serializers")
    name = f"{model.__name__}Serializer"
    try:
        return getattr(module, name)
    except AttributeError:
        raise LookupError(f"No serializer for {model._meta.label}: define {name} in {module.__name__}.") from None


def api_namespace(app_label):
    """The URL namespace of an app's REST API: ``<label>-api``, or its AppConfig's ``api_namespace``."""
    return getattr(apps.get_app_config(app_label), "api_namespace", f"{app_label}-api")


def detail_view_name(model):
    return f"{api_namespace(model._meta.app_label)}:{model._meta.model_name}-detail"
