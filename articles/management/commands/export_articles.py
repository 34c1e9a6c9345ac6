"""Export articles as canonical wiki-text."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.services import ExportFailed, articles_export, articles_export_to_folder


class Command(BaseCommand):
    help = (
        "Export articles as wiki-text: to standard output, or with --out one "
        "<slug>.txt file per article (a slug too long for a file name is cut "
        "and given a hash). Exports every article when no slug is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", metavar="SLUG", help="Slugs of the articles to export (default: all)."
        )
        parser.add_argument(
            "--out", metavar="DIR",
            help="Write <slug>.txt files into this folder (created if missing); all are "
            "written or none.",
        )

    def handle(self, *args, slugs, out, **options):
        try:
            if out is None:
                for _article, text in articles_export(slugs=slugs or None):
                    self.stdout.write(text, ending="")
                return
            folder = Path(out)
            verbose = options["verbosity"] >= 2
            count = articles_export_to_folder(
                folder=folder, slugs=slugs or None,
                on_file=(lambda path: self.stdout.write(str(path))) if verbose else None,
            )
        except (Article.DoesNotExist, ExportFailed) as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Exported {count} article(s) to {folder}."))
