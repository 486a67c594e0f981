"""NetBox's limit/offset pagination: ``limit=0`` means the maximum page, sizes from settings.

``PAGINATE_COUNT`` is the default page size and ``MAX_PAGE_SIZE`` the cap; both are read
per request so a test (or a reloaded configuration) can change them. ``next`` is an
absolute URL that keeps every filter, which pynetbox follows verbatim.
"""
from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class OptionalLimitOffsetPagination(LimitOffsetPagination):
    @property
    def max_limit(self):
        return settings.MAX_PAGE_SIZE

    @property
    def default_limit(self):
        return min(settings.PAGINATE_COUNT, settings.MAX_PAGE_SIZE)

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        try:
            limit = int(raw)
        except ValueError:
            return self.default_limit
        if limit < 0:
            return self.default_limit
        if limit == 0:  # pynetbox's all() asks for limit=0: "as many as you allow"
            return self.max_limit
        return min(limit, self.max_limit)
