"""Sources (shared between articles), an article's references and each citation (use of a marker)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.urls import reverse
from reversion import register as versioned

from encyclopedia.text import SlugField
from people.models import validate_line

from .. import wikitext
from .article import Article, MillisecondDateTimeField
from .rows import Ordered


@versioned()
class Source(models.Model):
    """A source (book, web page, article...), one row however many articles
    cite it: found by ``identity`` (articles.sources.source_identity: the
    DOI, else the ISBN, else the normalised URL, else title, work or
    publisher and date). What differs per article (the accessed date, the
    quote, the key) is on ArticleReference."""

    class Type(models.TextChoices):
        WEB = "web", _("Web page")
        NEWS = "news", _("News article")
        BOOK = "book", _("Book")
        JOURNAL = "journal", _("Journal article")
        REPORT = "report", _("Report")
        DATASET = "dataset", _("Dataset")

    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.WEB)
    title = models.CharField(_("title"), max_length=255, validators=[validate_line])
    authors = models.JSONField(
        _("authors"), default=list, blank=True, help_text=_("The names, in order.")
    )
    work = models.CharField(
        _("work"), max_length=255, blank=True, validators=[validate_line],
        help_text=_("The website, newspaper or journal."),
    )
    publisher = models.CharField(
        _("publisher"), max_length=255, blank=True, validators=[validate_line]
    )
    date = models.CharField(
        _("date"), max_length=10, blank=True, help_text=_("ISO 8601: 2019, 2019-06 or 2019-06-12.")
    )
    url = models.CharField(_("URL"), max_length=2000, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=32, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    language = models.CharField(
        _("language"), max_length=35, blank=True, validators=[validate_line]
    )
    archive_url = models.CharField(_("archive URL"), max_length=2000, blank=True)
    archive_date = models.CharField(_("archive date"), max_length=10, blank=True)
    identity = models.CharField(max_length=64, unique=True, editable=False)
    slug = SlugField(_("slug"), max_length=255, unique=True)
    created = MillisecondDateTimeField(_("created"), auto_now_add=True)
    updated = MillisecondDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("source-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        from ..sources import source_identity

        errors = {}
        for name in ("url", "archive_url"):
            problem = getattr(self, name) and wikitext.check_reference_url(getattr(self, name))
            if problem:
                errors[name] = problem
        for name in ("date", "archive_date"):
            problem = getattr(self, name) and wikitext.check_iso_date(getattr(self, name))
            if problem:
                errors[name] = problem
        if not isinstance(self.authors, list) or not all(
            isinstance(a, str) and a.strip() for a in self.authors
        ):
            errors["authors"] = _("A list of names.")
        if errors:
            raise ValidationError(errors)
        self.identity = source_identity(
            doi=self.doi, isbn=self.isbn, url=self.url, title=self.title, work=self.work,
            publisher=self.publisher, date=self.date,
        )
        # The identity is no form field: a form would not check it, and a
        # second row for one source would fail on the unique index.
        other = Source.objects.filter(identity=self.identity).exclude(pk=self.pk).first()
        if other is not None:
            raise ValidationError(
                _("This is the source “%(title)s”, already stored (the same DOI, else ISBN, "
                  "else URL, else title, work or publisher and date): cite that one instead."),
                params={"title": other.title},
            )


@versioned()
class ArticleReference(Ordered):
    """An entry of an article's References, in order: the article's own key
    for a shared Source, and what this article's editor noted about it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references", verbose_name=_("article")
    )
    key = models.CharField(
        _("key"), max_length=50, help_text=_("As the markers write it: [^smith] is smith.")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="references", verbose_name=_("source")
    )
    accessed = models.CharField(
        _("accessed"), max_length=10, blank=True,
        help_text=_("When this article's editor read it (ISO 8601)."),
    )
    quote = models.CharField(_("quote"), max_length=1000, blank=True)
    # The entry's other fields, as written: [[field, value], ...].
    extras = models.JSONField(_("extras"), default=list, blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_article_reference")
        ]


    def entry(self) -> wikitext.Reference:
        """The wiki-text's entry for this reference: the shared source's
        fields with this article's key, accessed date, quote and other
        fields. Select the source with the row to spare a query."""
        source = self.source
        return wikitext.Reference(
            key=self.key,
            type=source.type,
            title=source.title,
            authors=tuple(source.authors or ()),
            work=source.work,
            publisher=source.publisher,
            date=source.date,
            url=source.url,
            isbn=source.isbn,
            doi=source.doi,
            accessed=self.accessed,
            archive_url=source.archive_url,
            archive_date=source.archive_date,
            language=source.language,
            quote=self.quote,
            extras=tuple((str(name), str(value)) for name, value in (self.extras or ())),
        )
    def __str__(self) -> str:
        return f"[^{self.key}] {self.source}" if self.source_id else f"[^{self.key}]"

    def clean(self) -> None:
        problem = wikitext.reference_key_problem(self.key)
        if problem:
            raise ValidationError({"key": problem})
        if self.accessed:
            problem = wikitext.check_iso_date(self.accessed)
            if problem:
                raise ValidationError({"accessed": problem})


@versioned()
class Citation(Ordered):
    """One use of a marker: where it stands (``place``), which reference
    (None for [^?], citation needed) and which locator. ``position`` orders
    the uses in the article: infobox rows, then the lead, then the sections.

    ``place`` is "infobox:<field key>" ("infobox:Population"),
    "infobox-extra:<row position>", "lead" or "section:<section position>".
    Infobox citations exist only as these rows; text ones are rebuilt from
    the text by services.article_refresh."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="citations", verbose_name=_("article")
    )
    reference = models.ForeignKey(
        ArticleReference, null=True, blank=True, on_delete=models.CASCADE,
        related_name="citations", verbose_name=_("reference"),
    )
    locator = models.CharField(
        _("locator"), max_length=100, blank=True, help_text=_("p. 42, pp. 50–52, § 3")
    )
    place = models.CharField(_("place"), max_length=80)

    class Meta(Ordered.Meta):
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self) -> str:
        return f"{self.marker} in {self.place}"

    @property
    def marker(self) -> wikitext.Marker:
        """The marker as the wiki-text writes it (``[^smith|p. 42]``); select
        the reference with the row (or set it) to spare a query."""
        reference = self.reference  # the row itself while the import builds it
        key = reference.key if reference is not None else wikitext.CITATION_NEEDED
        return wikitext.Marker(key, self.locator)
