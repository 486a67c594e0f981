"""URLs of ``/api/extras/tags/``: beside the engine's ``/api/extras/`` (jobs), in a namespace of their own."""
from extras.api import views
from netbox.api.routers import NetBoxRouter

router = NetBoxRouter()
router.include_root_view = False  # /api/extras/ itself is the engine's
router.register("tags", views.TagViewSet)

app_name = "extras-data-api"  # ExtrasConfig.api_namespace
urlpatterns = router.urls
