"""REST API of the circuits app (``/api/circuits/``)."""
