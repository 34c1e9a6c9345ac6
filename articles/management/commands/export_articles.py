"""Export articles as canonical wiki-text."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.services import articles_export


class Command(BaseCommand):
    help = (
        "Export articles as wiki-text: to standard output, or with --out one "
        "<slug>.txt file per article. Exports every article when no slug is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", metavar="SLUG", help="Slugs of the articles to export (default: all)."
        )
        parser.add_argument(
            "--out", metavar="DIR", help="Write <slug>.txt files into this folder (created if missing)."
        )

    def handle(self, *args, slugs, out, **options):
        folder = Path(out) if out else None
        if folder is not None:
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"{folder}: exists and is not a folder")
            folder.mkdir(parents=True, exist_ok=True)
        count = 0
        try:
            for article, text in articles_export(slugs=slugs or None):
                count += 1
                if folder is None:
                    self.stdout.write(text, ending="")
                    continue
                (folder / f"{article.slug}.txt").write_bytes(text.encode("utf-8"))
                if options["verbosity"] >= 2:
                    self.stdout.write(f"{folder / article.slug}.txt")
        except Article.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        if folder is not None and options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Exported {count} article(s) to {folder}."))
