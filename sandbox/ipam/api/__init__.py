"""REST API of the ipam app (``/api/ipam/``)."""
