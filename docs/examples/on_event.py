"""Called by a NetBox event rule whose action is this userscript (inside NetBox 4.7+ only).

The action data ``{"background": true, "channel": "#noc"}`` runs it as a NetBox job and
passes ``channel="#noc"``; ``{"function": "other"}`` would call ``other`` instead.
"""


def on_event(event, object_type, data, snapshots, username, request_id, channel="#netops", **action_data):
    # event: "object_created", "object_updated", ...; object_type: "dcim.site"; data: NetBox's serialized object
    logger.info("%s %s %s by %s, for %s", event, object_type, data.get("name", data.get("id")), username, channel)
