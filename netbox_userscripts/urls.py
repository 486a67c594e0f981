"""URLs of the engine: the call endpoint (the jobs, pages and API add theirs)."""
from django.urls import path

from netbox_userscripts import views

urlpatterns = [
    path("userscript/", views.call_userscript, name="userscript-call"),
]
