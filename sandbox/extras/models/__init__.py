"""The extras app's models: NetBox's ``Tag`` (and its ``TaggedItem``) and Nautobot's ``Status``."""
from extras.models.statuses import Status
from extras.models.tags import Tag, TaggedItem

__all__ = ["Status", "Tag", "TaggedItem"]
