"""First-run set-up used by ``make run``: safe to run again and again."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import article_revision_save

# Through django.conf, not encyclopedia.settings: an app reads the settings,
# it does not import the project's wiring.
FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = (
        "Load the seed fixture into an empty database and create an admin "
        "account with a random password if there is no superuser yet. "
        "Never overwrites articles or accounts that exist."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", default="admin", help="Name of the admin account to create (default: admin)."
        )

    def handle(self, *args, username, **options):
        if Article.objects.exists():
            self.stdout.write("Articles exist: fixtures not loaded (your edits are kept).")
        else:
            call_command("loaddata", FIXTURE, verbosity=options["verbosity"])
            for article in Article.objects.all():
                # Fixtures bypass the services: give each article its first
                # revision, so that history and revert start from here.
                article_revision_save(article=article, comment="Loaded from fixtures/seed.json")

        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists: log in with its password.")
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(
            "\nCreated the admin account (shown only this once):\n"
            f"  user:     {username}\n"
            f"  password: {password}\n"
            "  log in at http://127.0.0.1:8000/admin/\n"
        ))
