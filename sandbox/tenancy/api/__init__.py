"""REST API of the tenancy app (``/api/tenancy/``)."""
