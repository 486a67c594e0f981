"""The router of the data apps: the list route also takes PUT, PATCH and DELETE (bulk operations)."""
from rest_framework.routers import DefaultRouter


class NetBoxRouter(DefaultRouter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.routes = list(self.routes)  # the class attribute is shared with DefaultRouter
        list_route = self.routes[0]
        self.routes[0] = list_route._replace(mapping={
            **list_route.mapping,
            "put": "bulk_update",
            "patch": "bulk_partial_update",
            "delete": "bulk_destroy",
        })
