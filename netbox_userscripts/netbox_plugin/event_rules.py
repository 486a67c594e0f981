"""The event-rule action "Userscript" (slug ``userscripts.call``, NetBox 4.7+): a rule calls a userscript's function.

The rule's action object is the module's ``Userscript`` row; ``action_data`` may name the
function (``"function"``, default ``on_event``) and ask for ``"background": true``. When
the rule fires, the function is called as

    on_event(event, object_type, data, snapshots, username, request_id, **rest_of_action_data)

inline once the transaction NetBox's event flush happened in has committed (``after_commit``),
or, with ``background``, in a NetBox job on ``rqworker`` (``UserscriptEventJob``, queued through
the tasks outbox by ``jobqueue``: a Redis down at that moment delays it, never loses it). The flush is
inside a transaction when changes are replayed in one (a branch's merge or revert, each change
flushed on its own): the call waits for its commit, as django-rq holds NetBox's webhooks, and
never happens when it rolls back (a dry run, a failed merge). A failure goes to the script's
log with its traceback and never breaks the request or the other rules; a rule whose module is
not loaded (deleted, or failing to import) is skipped with a log line there.
NetBox lists the actions of ``event_rule_actions`` (the plugin's ``event_rule_actions``).
"""
import json
import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, router, transaction

from netbox.constants import RQ_QUEUE_DEFAULT
from netbox.jobs import JobRunner
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.models import Userscript
from netbox_userscripts.netbox_plugin import compat, jobqueue
from utilities.rqworker import any_workers_for_queue

SLUG = "userscripts.call"
DEFAULT_FUNCTION = "on_event"
OPTIONS = ("function", "background")


def options(action_data):
    """``(function, background, rest)`` from a rule's ``action_data``; ``ValidationError`` naming what is wrong."""
    if action_data is None:
        action_data = {}
    if not isinstance(action_data, dict):
        raise ValidationError({"action_data": 'must be an object, e.g. {"function": "on_event", "background": false}'})
    function = action_data.get("function", DEFAULT_FUNCTION)
    if not isinstance(function, str) or not function.isidentifier() or function.startswith("_"):
        raise ValidationError({"action_data": f'"function" must name a function of the module, got {function!r}.'})
    background = action_data.get("background", False)
    if not isinstance(background, bool):
        raise ValidationError({"action_data": f'"background" must be true or false, got {background!r}.'})
    return function, background, {k: v for k, v in action_data.items() if k not in OPTIONS}


def event_arguments(event_context, rest):
    """The keywords the function gets for one event: JSON values only, so a background job carries them as they are."""
    object_type = event_context.get("object_type")
    request = event_context.get("request")
    user = event_context.get("user") or getattr(request, "user", None)
    arguments = {
        **rest,
        "event": event_context.get("event_type"),
        "object_type": f"{object_type.app_label}.{object_type.model}" if object_type is not None else None,
        "data": _data(event_context),
        "snapshots": event_context.get("snapshots"),
        "username": getattr(user, "username", None),
        "request_id": str(request.id) if getattr(request, "id", None) else None,
    }
    return json.loads(json.dumps(arguments, cls=DjangoJSONEncoder))


def _data(event_context):
    try:
        return event_context["data"]  # NetBox's EventContext serializes the object when asked (4.7)
    except KeyError:
        return None


def call(module, function, arguments, rule_name):
    """Call ``module.function(**arguments)`` under the failure rules; True if it ran and returned."""
    logger = logging.getLogger(f"{module}.py")
    try:
        func = registry.function(module, function)
    except LookupError as exc:
        logger.warning("event rule %r skipped: %s", rule_name, exc)
        return False
    try:
        with transaction.atomic():
            func(**arguments)
    except Exception:
        logger.exception("event rule %r: %s() failed on %s of %s", rule_name, function, arguments.get("event"),
                         arguments.get("object_type"))
        return False
    return True


def after_commit(callback, object_type):
    """Run ``callback`` once the transaction in progress commits, at once when none is; never on a rollback.

    The transaction is the one open on the event's model's database (NetBox's router: a
    branch's schema while a branch is active) or else on ``default`` (where a merge replays
    its changes and a script's outer transaction is). ``robust``: whatever still escapes
    ``call`` is logged by Django, never raised into the request that has already committed.
    """
    model = object_type.model_class() if object_type is not None else None
    aliases = [router.db_for_write(model)] if model is not None else []
    aliases.append(DEFAULT_DB_ALIAS)
    using = next((alias for alias in aliases if transaction.get_connection(alias).in_atomic_block), aliases[0])
    transaction.on_commit(callback, using=using, robust=True)


class UserscriptEventJob(JobRunner):
    """A background call of a rule's function, recorded as a NetBox job (the module's log has the details)."""

    class Meta:
        name = "Userscript event"

    def run(self, module, function, arguments, rule_name, **kwargs):
        if not call(module, function, arguments, rule_name):
            raise RuntimeError(f"{module}.{function}() did not complete: see the userscripts log ({module}.py).")


if compat.EventRuleAction is not None:

    class UserscriptAction(compat.EventRuleAction):
        slug = SLUG
        label = "Userscript"
        description = "Call a function of a userscript module (on_event unless action data names another)"
        object_model = Userscript
        object_required = True

        def validate(self, *, action_object, action_data):
            function, background, _ = options(action_data)
            script = registry.get(action_object.name) if action_object is not None else None
            if script is not None and script.loaded and not callable(getattr(script.module, function, None)):
                raise ValidationError({"action_data": f"The userscript {action_object.name} has no function "
                                                      f"{function}()."})
            if background and not any_workers_for_queue(RQ_QUEUE_DEFAULT):
                # NetBox's words when a script is run with no worker to take it.
                raise ValidationError({"action_data": "Unable to run userscript in the background: RQ worker "
                                                      "process not running."})

        def enqueue(self, *, event_rule, event_context, action_object, action_data):
            # ``action_data`` here is the rule's merged with the object's data: read the rule's own.
            try:
                function, background, rest = options(event_rule.action_data)
            except ValidationError as exc:
                logging.getLogger(f"{action_object.name}.py").warning("event rule %r skipped: %s", event_rule.name,
                                                                      "; ".join(exc.messages))
                return
            arguments = event_arguments(event_context, rest)
            if background:
                jobqueue.enqueue(UserscriptEventJob, name=f"{action_object.name}.{function}",
                                 user=event_context.get("user"), module=action_object.name, function=function,
                                 arguments=arguments, rule_name=event_rule.name)
            else:
                after_commit(partial(call, action_object.name, function, arguments, event_rule.name),
                             event_context.get("object_type"))

        def resolve_import_object(self, value):
            return Userscript.objects.get(name=value)

    event_rule_actions = [UserscriptAction]
else:
    event_rule_actions = []
