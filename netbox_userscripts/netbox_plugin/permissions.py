"""The plugin's permissions inside NetBox: actions on the object type "Userscripts > userscript".

NetBox grants ``app_label.ACTION_model`` through its ObjectPermissions, so each action here
is the permission ``netbox_userscripts.ACTION_userscript``. ``call`` gives the same name
the engine checks everywhere (``call_userscript``); ``run`` and ``sync`` stand, inside
NetBox, for the project's Django permissions ``run_job`` and ``sync_userscripts``.

An ObjectPermission may be constrained to modules, as NetBox's own for scripts are
(``{"name__in": ["a", "b"]}``): ``allows`` checks a module's ``Userscript`` row against it,
``visible_modules`` names the rows a user's ``view`` constraints leave (the plugin's lists,
log and task runs show those modules only). ``visible_objects`` is NetBox's own rule for a
script's object choices: ``queryset.restrict(user, "view")``.
"""
from netbox_userscripts.fleet.moduletable import module_table
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.models import Userscript
from utilities.querysets import RestrictedQuerySet

VIEW = "netbox_userscripts.view_userscript"
CALL = "netbox_userscripts.call_userscript"
RUN = "netbox_userscripts.run_userscript"
SYNC = "netbox_userscripts.sync_userscript"

ACTIONS = {
    "call": "Call a userscript's call() over /userscript/",
    "run": "Run the scripts a userscript defines",
    "sync": "Sync the userscripts from their repository",
}


def allows(user, permission, module):
    """Whether ``user`` has ``permission`` on the module named ``module`` (the plugin's ``host_module_permission``)."""
    if user.is_superuser:
        return True
    row = Userscript.objects.filter(name=module).first()
    if row is None and registry.get(module) is not None:
        module_table.record(registry.modules())  # loaded here before any heartbeat wrote its row
        row = Userscript.objects.filter(name=module).first()
    return row is not None and user.has_perm(permission, row)


def visible_rows(user):
    """The ``Userscript`` rows ``user`` may view (the model's plain manager has no ``restrict()``)."""
    return RestrictedQuerySet(model=Userscript).restrict(user, "view")


def visible_modules(user):
    """None if ``user`` may view every module, else the names they may view (``host_visible_modules``)."""
    if user.is_superuser:
        return None
    rows = visible_rows(user)
    if not rows.query.where:  # restrict() left it whole: a permission without constraints
        return None
    return set(rows.values_list("name", flat=True))


def visible_objects(queryset, user):
    """``queryset`` narrowed to what ``user`` may view, as NetBox's API narrows it (``host_visible_objects``)."""
    if isinstance(queryset, RestrictedQuerySet):
        return queryset.restrict(user, "view")
    # A model outside NetBox's (a plain Django model): its view permission, all or nothing.
    model = queryset.model._meta
    return queryset if user.has_perm(f"{model.app_label}.view_{model.model_name}") else queryset.none()
