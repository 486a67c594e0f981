"""The project starts and answers /api/status/."""


def test_status_needs_login(client, db):
    assert client.get("/api/status/").status_code in (401, 403)


def test_status(admin_client):
    data = admin_client.get("/api/status/").json()
    assert data["django-version"].startswith("5.")
    assert "netbox_userscripts" in data["installed-apps"]


def test_database_is_the_one_asked_for(db):
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("USERSCRIPTS_TEST_POSTGRES") else "sqlite"
    assert connection.vendor == expected
