"""NetBox's ``ChoiceSet``: a class of value constants plus the ``CHOICES`` list for a field.

    class DeviceStatusChoices(ChoiceSet):
        STATUS_ACTIVE = "active"
        CHOICES = [(STATUS_ACTIVE, "Active", "green"), ...]

    models.CharField(choices=DeviceStatusChoices, default=DeviceStatusChoices.STATUS_ACTIVE)

Entries of ``CHOICES`` are ``(value, label)`` or ``(value, label, color)``. Iterating the
class (or calling ``choices()``) gives Django's ``(value, label)`` pairs, so the class
itself can be given to a field's ``choices``; colours are kept apart in ``colors``.
"""


class ChoiceSetMeta(type):
    """Turns ``CHOICES`` into Django's pairs when the class is made."""

    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        pairs, colors = [], {}
        for entry in attrs.get("CHOICES", getattr(cls, "CHOICES", [])):
            value, label = entry[0], entry[1]
            if isinstance(label, (list, tuple)):  # an optgroup: (group label, [choices])
                pairs.append((value, [tuple(choice[:2]) for choice in label]))
                colors.update({choice[0]: choice[2] for choice in label if len(choice) > 2})
                continue
            pairs.append((value, label))
            if len(entry) > 2:
                colors[value] = entry[2]
        cls._choices = pairs
        cls.colors = colors
        return cls

    def __iter__(cls):
        return iter(cls._choices)

    def __call__(cls, *args, **kwargs):
        # Django and django-filter call a callable ``choices`` to get the pairs (NetBox does this too).
        return list(cls._choices)

    def __len__(cls):
        return len(cls._choices)

    def __contains__(cls, value):
        return value in cls.values()


class ChoiceSet(metaclass=ChoiceSetMeta):
    """Base of the data apps' choice classes; see the module docstring."""

    CHOICES = []

    @classmethod
    def choices(cls):
        """Django's ``(value, label)`` pairs (optgroups kept)."""
        return list(cls._choices)

    @classmethod
    def values(cls):
        """Every value, optgroups flattened."""
        values = []
        for value, label in cls._choices:
            if isinstance(label, (list, tuple)):
                values.extend(choice[0] for choice in label)
            else:
                values.append(value)
        return values

    @classmethod
    def label_of(cls, value):
        """The label of ``value``, or ``value`` itself when it is not a choice."""
        for key, label in cls._choices:
            if isinstance(label, (list, tuple)):
                for choice in label:
                    if choice[0] == value:
                        return choice[1]
            elif key == value:
                return label
        return value

    @classmethod
    def color_of(cls, value):
        return cls.colors.get(value)
