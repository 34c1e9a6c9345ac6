"""Import wiki-text articles from files and folders, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.services import ImportFailed, ImportResult, articles_import
from encyclopedia.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import wiki-text articles (*.txt) from files and folders. An article "
        "whose title exists is updated in place. Every file is checked first; "
        "one bad file and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH",
            help="A wiki-text file, or a folder whose *.txt files (recursively) are imported.",
        )
        parser.add_argument(
            "--status", choices=Article.Status.values, default=Article.Status.PUBLISHED,
            help="The status of the articles created (default: published); an article "
            "updated keeps its own.",
        )
        parser.add_argument(
            "--drafts", action="store_true",
            help="Import every article as a draft: the articles created, and the existing "
            "ones updated, are unpublished (--status is then ignored).",
        )

    def handle(self, *args, paths, status, drafts=False, **options):
        files = self._files(paths)
        verbosity = options["verbosity"]
        bar = ProgressBar(self.stdout, total=len(files)) if (
            verbosity == 1 and self.stdout.isatty()
        ) else None

        def progress(result: ImportResult) -> None:
            if verbosity >= 2:
                verb = "created" if result.created else "updated"
                self.stdout.write(f"{result.name}: {verb} {result.title!r}")
            elif bar:
                bar.advance()

        try:
            results = articles_import(
                sources=[(str(path), path) for path in files], on_progress=progress,
                status=status, drafts=drafts,
            )
        except ImportFailed as exc:
            if bar:
                bar.finish()
            raise CommandError(str(exc)) from None
        if bar:
            bar.finish()
        if verbosity >= 1:
            created = sum(result.created for result in results)
            self.stdout.write(self.style.SUCCESS(
                f"Imported {len(results)} article(s): {created} created, "
                f"{len(results) - created} updated"
                + (", all of them drafts." if drafts else ".")
            ))

    def _files(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*.txt") if p.is_file())
                if not found:
                    raise CommandError(f"{path}: the folder holds no .txt files")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        return files
