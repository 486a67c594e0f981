"""Receiver slots: a module's receivers change with its record, in one assignment.

Disconnecting a module's old receivers and connecting the new ones leaves a moment when
a save on another thread finds neither, or both. Instead, each receiver position of a
module (signal, sender, receiver name) is connected once, as a ``Slot``, and a slot calls
whatever the module's record *in use* has at that position. Replacing a version is then:
connect the slots the new receivers need, put the new record in the registry (the one
assignment that also replaces ``call`` and the jobs), disconnect the slots no longer used.
A signal in flight calls the old version's receiver or the new one's, never none and
never both.
"""
from netbox_userscripts.hooks.receivers import _django_connect


class Slot:
    """A connected receiver that calls, at its position, the receiver of the version in use."""

    def __init__(self, owner, key, name):
        self.owner = owner
        self.key = key
        self.__name__ = self.__qualname__ = name
        self.__module__ = "netbox_userscripts.hooks.slots"

    def __call__(self, signal, sender, **kwargs):
        script = self.owner.current()
        receiver = script.connections.table.get(self.key) if script is not None else None
        if receiver is None:  # not in the version in use; disconnected in a moment
            return None
        return receiver(signal=signal, sender=sender, **kwargs)

    def __repr__(self):
        return f"<Slot {self.__name__}>"


class ReceiverSlots:
    """The connected slots of one userscript module, kept from one version to the next.

    ``current`` returns the module's record in use (a ``loader.LoadedModule``) or None.
    """

    def __init__(self, module_name, current):
        self.module_name = module_name
        self.current = current
        self._slots = {}  # key -> (Slot, Connection it was connected with)

    def connect(self, connections):
        """Connect a slot for each receiver of ``connections`` that has none yet (before the swap)."""
        for connection in connections.items:
            if connection.key not in self._slots:
                slot = Slot(self, connection.key, f"{self.module_name}.{connection.receiver.__qualname__}")
                _django_connect(connection.signal, slot, sender=connection.sender, weak=False)
                self._slots[connection.key] = (slot, connection)
                notify = getattr(connection.signal, "receivers_changed", None)  # post_commit follows its senders
                if notify is not None:
                    notify(connection.sender)

    def prune(self, connections):
        """Disconnect the slots that ``connections`` (the version now in use) does not use."""
        for key in [k for k in self._slots if k not in connections.table]:
            slot, connection = self._slots.pop(key)
            connection.signal.disconnect(slot, sender=connection.sender)

    def uninstall(self):
        """Disconnect every slot (the module is gone from the registry already)."""
        for slot, connection in self._slots.values():
            connection.signal.disconnect(slot, sender=connection.sender)
        self._slots.clear()
