"""NetBox's change log as recorded changes for ``userscripts_replay --since 2h`` or ``--change-ids 1,2,3``.

Each ``core.ObjectChange`` becomes a ``commits.replay.RecordedChange``: its object type's model,
its action, ``prechange_data`` as ``before`` and ``postchange_data`` as ``after`` (NetBox's
serialisation: the fields by name, a foreign key by its id, with ``tags`` and ``custom_fields``
beside them), its ``request_id`` keeping one request's changes together. Oldest first; a
record whose model is gone (an uninstalled plugin's) is left out.
"""
from core.models import ObjectChange
from django.utils import timezone

from netbox_userscripts.commits.replay import ReplayError, recorded_change


def recorded_changes(since=None, ids=None):
    """The change log's records of the last ``since`` (a ``timedelta``), or those of ``ids``; ``ReplayError``."""
    records = ObjectChange.objects.select_related("changed_object_type").order_by("time", "pk")
    if since is not None:
        records = records.filter(time__gte=timezone.now() - since)
    else:
        records = records.filter(pk__in=ids)
        missing = sorted(set(ids) - set(records.values_list("pk", flat=True)))
        if missing:
            raise ReplayError(f"no change log record {', '.join(map(str, missing))}.")
    changes = []
    for record in records:
        model = record.changed_object_type.model_class()
        if model is not None:
            changes.append(recorded_change(model, record.action, record.changed_object_id, record.prechange_data,
                                           record.postchange_data, record.request_id, f"change log record {record.pk}"))
    return changes
