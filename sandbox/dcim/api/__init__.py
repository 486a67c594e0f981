"""REST API of the dcim app (``/api/dcim/``)."""
