"""REST API of the virtualization app (``/api/virtualization/``)."""
