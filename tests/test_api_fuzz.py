"""Schema-driven fuzzing of the data API: schemathesis against /api/schema/ finds no server error.

The OpenAPI document is generated in-process (the same one /api/schema/ serves) and every
operation under /api/tenancy/, /api/dcim/ and /api/ipam/ is called through the WSGI app with
a few generated requests each. Bounded: a handful of examples per operation, no shrinking.
The schema is built inside the test (it reads filter choices from the database), so one
test drives all operations with hypothesis directly instead of ``schema.parametrize()``.
"""
import json
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings

from tests.api_data import make_site

pytestmark = pytest.mark.django_db
EXAMPLES = 3
BUDGET_SECONDS = 50
app = get_wsgi_application()


@pytest.fixture
def keep_connection():
    """As Django's test client does: a request must not close the test's connection (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_server_error(superuser, token_for, keep_connection):
    make_site(devices=2)  # something for generated ids and lookups to hit
    headers = {"Authorization": f"Token {token_for(superuser)}"}
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(document).include(path_regex=r"^/api/(tenancy|dcim|ipam)/.+")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures, done, started = [], 0, time.monotonic()
    for operation in operations:
        if time.monotonic() - started > BUDGET_SECONDS:
            break  # a slow machine fuzzes fewer operations rather than taking longer
        done += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def call(case):
            # Each request in a savepoint rolled back after it: every example starts from the same
            # data, and a refused statement does not poison the test's transaction (PostgreSQL).
            savepoint = transaction.savepoint()
            try:
                response = case.call(app=app, headers=headers)
            finally:
                transaction.savepoint_rollback(savepoint)
            content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", [""])[0]
            if response.status_code >= 500 or not (response.status_code == 204 or "json" in content_type):
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{response.text[:300]}\n    {case.as_curl_command()}")

        call()
    print(f"fuzzed {done} of {len(operations)} operations in {time.monotonic() - started:.0f} s")
    assert not failures, "\n".join(failures[:10])
    assert time.monotonic() - started < BUDGET_SECONDS + 10
