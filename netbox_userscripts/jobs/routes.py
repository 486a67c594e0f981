"""How a job appears in a URL, shared by the pages and the API.

A job is addressed by its class path ``local/MODULE/ClassName`` (Nautobot) or its NetBox
name ``MODULE.ClassName``; ``both`` makes the two patterns of a route (the class path one
reverses), and ``job_for`` answers which loaded job a matched URL names, or 404.
"""
from django.http import Http404
from django.urls import path

from netbox_userscripts.loading.registry import registry

CLASS_PATH = "local/<str:module>/<str:class_name>"
NETBOX_NAME = "<str:name>"


def both(prefix, suffix, view, name):
    """The same view under the class path and the NetBox name (the first one reverses)."""
    return [path(f"{prefix}{CLASS_PATH}/{suffix}", view, name=name),
            path(f"{prefix}{NETBOX_NAME}/{suffix}", view, name=f"{name}-by-name")]


def job_for(kwargs):
    """The job class the URL's keyword arguments name; ``Http404`` when none is loaded."""
    name = kwargs.get("name") or f"{kwargs.get('module')}.{kwargs.get('class_name')}"
    try:
        return registry.get_job(name)
    except LookupError as exc:
        raise Http404(str(exc)) from None
