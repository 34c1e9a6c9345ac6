"""Import MediaWiki pages (Special:Export dumps, wikitext files) with their
history, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import wikitext
from articles.models import Article
from articles.services import ImportFailed, ImportResult
from articles.services.import_mediawiki import SUFFIXES, MediaWikiReport, mediawiki_import
from encyclopedia.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import MediaWiki pages: Special:Export XML (.xml, .xml.bz2, .xml.gz) with every "
        "revision as a history entry, or wikitext files (.wiki, .mediawiki). Infoboxes, "
        "references, sections, links, tables and categories are converted; what cannot be "
        "is dropped and reported per page. The articles are in the wiki's language, as "
        "the dump's root names it (xml:lang), unless --language says otherwise. One bad "
        "page and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=f"Files ending {', '.join(SUFFIXES)}.")
        parser.add_argument("--latest-only", action="store_true",
                            help="Import only each page's newest revision, not its history.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Read and convert everything and report; write nothing.")
        parser.add_argument("--status", choices=Article.Status.values,
                            default=Article.Status.PUBLISHED,
                            help="The status of the articles created (default: published).")
        parser.add_argument("--title", help="The title of the page of a wikitext file "
                            "(default: the file's name). Only with one wikitext file.")
        parser.add_argument("--language", metavar="CODE",
                            help="The language of every article imported, as BCP 47 writes "
                            "it (ru, ps, fa-AF), instead of the wiki's (an XML dump's "
                            "xml:lang; English for a wikitext file). There is no Dari "
                            "wikipedia: Dari articles come from the Persian one (fa), and "
                            "--language fa-AF makes them Dari.")

    def handle(self, *args, files, latest_only, dry_run, status, title, language, **options):
        if language is not None:
            code = language
            language = wikitext.canonical_language(code.strip())
            if language is None:
                raise CommandError(
                    f"--language {code!r} is not a language code; write it as BCP 47 does: "
                    "a language of two or three letters, then optionally a script and a "
                    "region, joined by hyphens (ru, ps, fa-AF)"
                )
        paths = [Path(name) for name in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            if not path.name.casefold().endswith(SUFFIXES):
                raise CommandError(f"{path}: not a MediaWiki file (expected {', '.join(SUFFIXES)})")
        if title and len(paths) != 1:
            raise CommandError("--title names the page of one wikitext file; give one file")
        verbosity = options["verbosity"]
        bar: list[ProgressBar] = []

        def total(count: int) -> None:
            if verbosity == 1 and self.stdout.isatty():
                bar.append(ProgressBar(self.stdout, total=count))

        def progress(result: ImportResult) -> None:
            if verbosity >= 2:
                verb = "created" if result.created else "updated"
                self.stdout.write(f"{result.name}: {verb} {result.title!r}")
            elif bar:
                bar[0].advance()

        try:
            report = mediawiki_import(
                files=[(str(path), path) for path in paths], latest_only=latest_only,
                status=status, dry_run=dry_run, title=title, language=language,
                on_progress=progress,
                on_total=total,
            )
        except ImportFailed as exc:
            if bar:
                bar[0].finish()
            raise CommandError(str(exc)) from None
        if bar:
            bar[0].finish()
        if verbosity >= 1:
            self._report(report, dry_run=dry_run)

    def _report(self, report: MediaWikiReport, *, dry_run: bool) -> None:
        for page in report.pages:
            verb = "create" if page.created else "update"
            history = f"{page.revisions} revision{'s' if page.revisions != 1 else ''}"
            line = f"{page.name}: {verb} '{page.title}' ({history})"
            if page.dropped:
                line += f"; dropped: {page.dropped_text}"
            self.stdout.write(line)
        if report.skipped:
            skipped = ", ".join(
                f"{count} {'redirect' if kind == 'redirect' else kind + ' page'}{'s' if count != 1 else ''}"
                for kind, count in sorted(report.skipped.items())
            )
            self.stdout.write(f"Skipped (not articles): {skipped}.")
        for (code, language), count in sorted(report.approximated.items()):
            self.stdout.write(self.style.WARNING(
                f"The wiki's language {code!r} is not a language code an article holds: "
                f"{count} page{'s' if count != 1 else ''} imported as {language!r} "
                "(--language chooses another)."
            ))
        created = sum(page.created for page in report.pages)
        summary = (
            f"{len(report.pages)} page(s), {report.revisions} revision(s): {created} to create, "
            f"{len(report.pages) - created} to update"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {len(report.pages)} article(s) with {report.revisions} revision(s): "
                f"{created} created, {len(report.pages) - created} updated."
            ))
