"""URLs of ``/api/tenancy/`` (namespace ``tenancy-api``)."""
from netbox.api.routers import NetBoxRouter
from tenancy.api import views

router = NetBoxRouter()
router.register("tenants", views.TenantViewSet)

app_name = "tenancy-api"
urlpatterns = router.urls
