"""The plugin's pages under ``/plugins/userscripts/`` (namespace ``plugins:netbox_userscripts``)."""
from django.urls import path

from netbox_userscripts.netbox_plugin import views

urlpatterns = [
    path("", views.UserscriptsView.as_view(), name="userscripts"),
    path("call/", views.call_userscript, name="call"),
    path("scripts/<str:name>/", views.ScriptView.as_view(), name="script"),
    path("results/<int:pk>/", views.ResultView.as_view(), name="result"),
]
