"""Which objects a user may see: an object var offers, and accepts, only those.

A job's form, its choices endpoint and its API show a user no object they could not read
elsewhere. The host decides what that means: an app config naming a ``host_visible_objects``
(``"dotted.path"`` to ``function(queryset, user) -> queryset``) is asked, as NetBox's plugin
does with ``queryset.restrict(user, "view")``. Without one, the project's API rule holds: a
logged-in user sees a model's objects with its ``view_<model>`` permission, an anonymous user
only when ``LOGIN_REQUIRED`` is off, as the API lets anyone read then.

``user=None`` is the engine itself (``manage.py runjob``, a worker running a queued job that
was checked when it was queued): nothing is hidden from it.
"""
from django.apps import apps
from django.utils.module_loading import import_string

from netbox_userscripts.conf import setting


def visible_objects(queryset, user):
    """``queryset`` narrowed to the objects ``user`` may view (all of it for ``user=None``)."""
    if user is None:
        return queryset
    hook = getattr(apps.get_app_config("netbox_userscripts"), "host_visible_objects", None)
    if hook:
        return import_string(hook)(queryset, user)
    return queryset if may_view_model(user, queryset.model) else queryset.none()


def may_view_model(user, model):
    """The project's rule for a read: the model's view permission, or anyone when LOGIN_REQUIRED is off."""
    if not user.is_authenticated:
        return not setting("LOGIN_REQUIRED")
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
