"""Each list endpoint serves a page of the demo data in a number of queries that does not grow with the page.

dcim's interfaces are the exception by design: one patched through front and rear ports costs a few
queries to trace to its far end (``connected_endpoints``); the demo has ten of them.
"""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_data import ENDPOINTS, client_for

pytestmark = pytest.mark.django_db


def test_a_page_costs_a_fixed_number_of_queries(superuser, token_for, settings):
    call_command("loaddemo", stdout=io.StringIO())
    api = client_for(superuser, token_for)
    settings.MAX_PAGE_SIZE = 1000
    grown = {}
    for app, endpoint in ENDPOINTS:
        counts = []
        for limit in (3, 1000):
            with CaptureQueriesContext(connection) as queries:
                response = api.get(f"/api/{app}/{endpoint}/?limit={limit}")
            assert response.status_code == 200, response.content
            counts.append(len(queries.captured_queries))
        if counts[1] > counts[0] + 6:
            grown[f"{app}/{endpoint}"] = counts
    # A bigger page of cable terminations holds more kinds of cable end (nine), one query per kind.
    assert set(grown) <= {"dcim/interfaces", "dcim/cable-terminations"}, grown
    assert grown.get("dcim/interfaces", [0, 0])[1] <= 60
    assert grown.get("dcim/cable-terminations", [0, 0])[1] <= 16
