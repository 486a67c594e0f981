"""URL map of the project: home, admin, login, API, and the userscripts engine."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from netbox.api.views import APIRootView, StatusView
from netbox.views import home

api_patterns = [
    path("", APIRootView.as_view(), name="api-root"),
    path("status/", StatusView.as_view(), name="api-status"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    # First: /userscript/ is a hot path, and the engine's URLs overlap nothing below.
    path("", include("netbox_userscripts.urls")),
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("api/tenancy/", include("tenancy.api.urls")),
    path("api/dcim/", include("dcim.api.urls")),
    path("api/ipam/", include("ipam.api.urls")),
    path("api/virtualization/", include("virtualization.api.urls")),
    path("api/circuits/", include("circuits.api.urls")),
    path("api/extras/", include("extras.api.urls")),  # tags; the engine's jobs API comes first, above
    path("api/plugins/custom-objects/", include("custom_objects.api.urls")),
]
