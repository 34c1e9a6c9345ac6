"""Import wiki-text articles from files and folders, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services import ImportFailed, ImportResult, articles_import


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

    def handle(self, *args, paths, **options):
        files = self._files(paths)
        total = len(files)
        done = 0

        def progress(result: ImportResult) -> None:
            nonlocal done
            done += 1
            verb = "created" if result.created else "updated"
            if options["verbosity"] >= 2:
                self.stdout.write(f"{result.name}: {verb} {result.article.title!r}")
            elif options["verbosity"] >= 1 and self.stdout.isatty():
                self.stdout.write(f"\rImporting {done}/{total}", ending="")

        try:
            results = articles_import(
                sources=((str(path), path.read_bytes()) for path in files),
                on_progress=progress,
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 1:
            if self.stdout.isatty() and options["verbosity"] == 1:
                self.stdout.write("")
            created = sum(result.created for result in results)
            self.stdout.write(self.style.SUCCESS(
                f"Imported {len(results)} article(s): {created} created, "
                f"{len(results) - created} updated."
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
