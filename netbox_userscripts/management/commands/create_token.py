"""``manage.py create_token USERNAME``: print a new API token for the user."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create a new API token for USERNAME (replacing its old one) and print it."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}; create it with 'manage.py createsuperuser'.") from None
        Token.objects.filter(user=user).delete()
        self.stdout.write(Token.objects.create(user=user).key)
