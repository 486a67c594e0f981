"""Receiver slots: a module's receivers are swapped by one assignment, not by reconnecting.

Disconnecting a module's old receivers and connecting the new ones leaves a moment when
a save on another thread finds neither, or both. Instead, each receiver position of a
module (signal, sender, receiver name) is connected once, as a ``Slot``, and a slot calls
whatever the module's *current* version has at that position. Replacing a version is
then: connect the slots its new receivers need, swap the module's table of receivers (one
assignment, atomic for every thread), disconnect the slots no longer used. A signal in
flight calls the old version's receivers or the new one's, never none and never both.
"""
from netbox_userscripts.receivers import _django_connect


class Slot:
    """A connected receiver that calls the current version's receiver at its position."""

    def __init__(self, owner, key, name):
        self.owner = owner
        self.key = key
        self.__name__ = self.__qualname__ = name
        self.__module__ = "netbox_userscripts.slots"

    def __call__(self, signal, sender, **kwargs):
        receiver = self.owner.table.get(self.key)
        if receiver is None:  # removed by the version now in use; disconnected in a moment
            return None
        return receiver(signal=signal, sender=sender, **kwargs)

    def __repr__(self):
        return f"<Slot {self.__name__}>"


class ReceiverSlots:
    """The connected slots of one userscript module, kept from one version to the next."""

    def __init__(self, module_name):
        self.module_name = module_name
        self.table = {}  # key -> GuardedReceiver of the version in use
        self._slots = {}  # key -> (Slot, Connection it was connected with)

    def install(self, connections):
        """Make ``connections`` (a ``receivers.Connections``) the receivers in use."""
        table = {c.key: c.receiver for c in connections.items}
        for connection in connections.items:
            if connection.key not in self._slots:
                slot = Slot(self, connection.key, f"{self.module_name}.{connection.receiver.__qualname__}")
                _django_connect(connection.signal, slot, sender=connection.sender, weak=False)
                self._slots[connection.key] = (slot, connection)
        self.table = table  # the swap
        for key in [k for k in self._slots if k not in table]:
            slot, connection = self._slots.pop(key)
            connection.signal.disconnect(slot, sender=connection.sender)

    def uninstall(self):
        """Disconnect every slot: the module's receivers stop at once."""
        self.table = {}
        for slot, connection in self._slots.values():
            connection.signal.disconnect(slot, sender=connection.sender)
        self._slots.clear()
