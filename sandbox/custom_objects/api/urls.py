"""URLs of ``/api/plugins/custom-objects/`` (namespace ``custom_objects-api``), as NetBox's plugin names them.

The fixed endpoints come first; every other ``<slug>/`` is a type's list of objects
(either spelling of a slug with ``_``, since pynetbox sends ``-``).
"""
from django.urls import path

from custom_objects.api import linked, schema_views, views
from netbox.api.routers import NetBoxRouter

router = NetBoxRouter()
router.include_root_view = False
router.register("custom-object-types", views.CustomObjectTypeViewSet)
router.register("custom-object-type-fields", views.CustomObjectTypeFieldViewSet)
router.register("custom-field-choice-sets", views.CustomFieldChoiceSetViewSet)

object_list = views.CustomObjectViewSet.as_view({
    "get": "list", "post": "create", "put": "bulk_update", "patch": "bulk_partial_update", "delete": "bulk_destroy"})
object_detail = views.CustomObjectViewSet.as_view({
    "get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"})

app_name = "custom_objects-api"
urlpatterns = [
    path("", views.CustomObjectsRootView.as_view(), name="api-root"),
    *router.urls,
    path("linked-objects/", linked.LinkedObjectsView.as_view(), name="linked-objects"),
    path("schema/preview/", schema_views.SchemaPreviewView.as_view(), name="schema-preview"),
    path("schema/apply/", schema_views.SchemaApplyView.as_view(), name="schema-apply"),
    path("<str:slug>/", object_list, name="customobject-list"),
    path("<str:slug>/<int:pk>/", object_detail, name="customobject-detail"),
]
