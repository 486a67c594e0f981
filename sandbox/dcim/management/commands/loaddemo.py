"""``manage.py loaddemo [--if-empty]``: load the demo data set (``dcim.demo``)."""
from django.core.management.base import BaseCommand, CommandError

from dcim.demo import SITES, load_demo
from dcim.models import Site


class Command(BaseCommand):
    help = ("Load the demo data set: 5 sites, 50 cabled devices, their prefixes, addresses and VLANs, "
            "clusters and VMs, circuits and tags.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already has a site.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Site.objects.exists():
            self.stdout.write("The database already has sites; demo data not loaded.")
            return
        taken = Site.objects.filter(slug__in=[site[0] for site in SITES]).values_list("slug", flat=True)
        if taken:
            raise CommandError(f"The demo data is already loaded (sites: {', '.join(taken)}); nothing done.")
        counts = load_demo()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo data: {summary}."))
