"""``manage.py ensure_admin``: create the ``admin`` superuser once, printing its token (and a generated password).

The password is ``$USERSCRIPTS_ADMIN_PASSWORD`` if set, never printed: the operator chose it
and has it, and a terminal or CI log should not. Otherwise it is generated and printed once.
Does nothing when the user exists.
"""
import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = ("Create the 'admin' superuser if it does not exist and print its API token, and its password when "
            "generated (not when USERSCRIPTS_ADMIN_PASSWORD gives it).")

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"User {username!r} exists; 'manage.py create_token {username}' prints a new token.")
            return
        chosen = os.environ.get("USERSCRIPTS_ADMIN_PASSWORD")
        password = chosen or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username, password=password)
        token = Token.objects.create(user=user)
        self.stdout.write(self.style.SUCCESS(f"Created superuser {username!r}"))
        self.stdout.write("  password:  as USERSCRIPTS_ADMIN_PASSWORD says" if chosen else f"  password:  {password}")
        self.stdout.write(f"  API token: {token.key}")
