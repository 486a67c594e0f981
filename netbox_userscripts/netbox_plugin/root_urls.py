"""NetBox's URL map with ``/userscript/`` in front (see ``middleware``)."""
from django.conf import settings
from django.urls import include, path

from netbox_userscripts.netbox_plugin import views

urlpatterns = [
    path(f"{settings.BASE_PATH}userscript/", views.call_userscript, name="userscript-call"),
    path("", include(settings.ROOT_URLCONF)),
]

handler404 = "netbox.views.errors.handler_404"
handler500 = "netbox.views.errors.handler_500"
