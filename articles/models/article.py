"""The article: its validators, its queryset and the Article model."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from encyclopedia.text import SlugField
from people.models import Person, Place, validate_line, validate_name

from .. import wikitext
from ..wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH


def _raise_as_validation_error(check, value: str, **kwargs) -> None:
    try:
        check(value, **kwargs)
    except wikitext.WikitextError as exc:
        raise ValidationError(
            _("Line %(line)s: %(message)s"), params={"line": exc.line, "message": exc.message}
        ) from None


def validate_lead(value: str) -> None:
    _raise_as_validation_error(wikitext.check_block_text, value, lead=True)


def validate_body(value: str) -> None:
    _raise_as_validation_error(wikitext.check_block_text, value)


def validate_title(value: str) -> None:
    """For titles and headings: exported, they sit between '=' marks."""
    validate_name(value)
    if value != value.strip() or value.startswith("=") or value.endswith("="):
        raise ValidationError(_("May not start or end with '=' or spaces."))


def normalize_title(instance: models.Model, field: str) -> None:
    """Store ``field`` in its one form (NFC, no invisible characters), and
    refuse it when another article already has that form: "Russians in
    Afghanistan" + U+200B would otherwise be a second, look-alike article."""
    value = getattr(instance, field)
    normal = wikitext.names.normalize_name(value)
    setattr(instance, field, normal)
    if normal != value and field == "title":
        other = Article.objects.filter(title=normal).exclude(pk=instance.pk).exists()
        if other:
            raise ValidationError({field: ValidationError(
                _("An article titled %(title)s already exists: this title differs from it "
                  "only by invisible characters or Unicode form."),
                params={"title": repr(normal)},
            )})


# An article's content language, as BCP 47 writes it: en, ru, fa-AF, ps,
# zh-Hant, sr-Latn-RS. The rule is the wiki-text's "Language:" line's.
CONTENT_LANGUAGE_RE = wikitext.LANGUAGE_RE.pattern
DEFAULT_CONTENT_LANGUAGE = wikitext.DEFAULT_LANGUAGE
validate_content_language = RegexValidator(
    CONTENT_LANGUAGE_RE,
    _("A language code as BCP 47 writes it: en, ru, fa-AF, ps, zh-Hant."),
)


class TranslationGroup(models.Model):
    """Articles that describe the same community, each in its own language
    ("Russians in Afghanistan", "Русские в Афганистане", ...): what the page
    lists under "In other languages". A group is made when an editor says
    that one article is a translation of another, or when a MediaWiki
    import's interlanguage link names an article that is here."""

    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("translation group")
        verbose_name_plural = _("translation groups")

    def __str__(self) -> str:
        return f"translation group {self.pk}"


def published_slug(title_field: str) -> Subquery:
    """The slug of the published article titled as the row's ``title_field``
    says (None while there is none), resolved on read so that it follows
    articles being written, published or renamed."""
    return Subquery(
        Article.objects.published().filter(title=OuterRef(title_field)).values("slug")[:1]
    )


class MillisecondDateTimeField(models.DateTimeField):
    """Stored to the millisecond, which is what dumpdata keeps: a restored
    backup then renders every page (times included) byte for byte."""

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value is not None and value.microsecond % 1000:
            value = value.replace(microsecond=value.microsecond - value.microsecond % 1000)
            setattr(model_instance, self.attname, value)
        return value


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)

    def listing(self) -> "ArticleQuerySet":
        """Just what lists of articles show."""
        return self.only("title", "slug", "group_name", "population", "population_note")

    def with_document(self) -> "ArticleQuerySet":
        """Everything an article's wiki-text holds, in a fixed number of queries."""
        # The row models and the infobox storage import Article.
        from ..infobox import ROW_STORAGE
        from .references import ArticleReference, Citation
        from .rows import SeeAlso

        return self.prefetch_related(
            "sections",
            Prefetch("see_also", SeeAlso.objects.select_related("target")),
            "extra_rows",
            *(storage.prefetch() for storage in ROW_STORAGE),
            Prefetch("references", ArticleReference.objects.select_related("source")),
            Prefetch("citations", Citation.objects.select_related("reference")),
        )

    def for_page(self) -> "ArticleQuerySet":
        """The article for its public page; selectors.article_page reads the
        rest. Not the wiki-text nor the search document: the page shows
        neither."""
        return self.select_related("origin_country", "host_country").defer(
            "lead", "search_document"
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(
        _("title"), max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_title]
    )
    slug = SlugField(_("slug"), max_length=MAX_NAME_LENGTH, unique=True)
    lead = models.TextField(
        _("lead"),
        blank=True,
        validators=[validate_lead],
        help_text=_("Paragraphs before the first heading, separated by blank lines."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created = MillisecondDateTimeField(_("created"), auto_now_add=True)
    updated = MillisecondDateTimeField(_("updated"), auto_now=True)
    tags = TaggableManager(blank=True)  # verbose name: taggit's own, translated "Tags"

    # The infobox ("Infobox ethnic group"): typed fields and ordered rows.
    group_name = models.CharField(
        _("group"), max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line]
    )
    population = models.PositiveBigIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
        help_text=_("Head count; leave empty when it is not a number."),
    )
    population_note = models.CharField(
        _("population note"),
        max_length=MAX_NAME_LENGTH,
        blank=True,
        validators=[validate_line],
        help_text=_("Shown in brackets after the count (\"2009 est.\"), or the whole figure "
                    "when there is no count (\"several thousand\")."),
    )
    population_places = models.ManyToManyField(
        Place, through="PopulationPlace", related_name="population_articles", blank=True,
        verbose_name=_("population places"),
    )
    languages = models.ManyToManyField(
        "Language", through="ArticleLanguage", related_name="articles", blank=True,
        verbose_name=_("languages"),
    )
    religions = models.ManyToManyField(
        "Religion", through="ArticleReligion", related_name="articles", blank=True,
        verbose_name=_("religions"),
    )

    # The community: "Russians in Afghanistan" is the origin group
    # "Russians" (from Russia) living in the host country Afghanistan.
    origin_group = models.CharField(
        _("origin group"), max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text=_("The group, as in the title \"Russians in Afghanistan\": Russians."),
    )
    origin_country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="emigrant_articles",
        verbose_name=_("origin country"), help_text=_("Where the group comes from (Russia)."),
    )
    host_country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="host_articles",
        verbose_name=_("host country"), help_text=_("Where the community lives (Afghanistan)."),
    )

    # What search engines show under the title; without it, the lead's
    # first words. A MediaWiki import fills it from {{Short description}}.
    description = models.CharField(
        _("description"), max_length=300, blank=True, validators=[validate_line],
        help_text=_("One line for search engines; empty: the lead's first words."),
    )

    # The language the article is written in (its text's lang and dir on the
    # page, its search configuration), whatever the reader's interface.
    language = models.CharField(
        _("language"), max_length=20, default=DEFAULT_CONTENT_LANGUAGE,
        validators=[validate_content_language],
        help_text=_("The language the article is written in, as BCP 47: en, ru, fa-AF, ps."),
    )
    translation_group = models.ForeignKey(
        TranslationGroup, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles", editable=False, verbose_name=_("translation group"),
    )
    # The article this one was translated from (in the same group): when it
    # changes after this one's last edit, editors are told.
    translated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations",
        verbose_name=_("translated from"),
        help_text=_("The article this one is a translation of; both then list each other "
                    "under \"In other languages\"."),
    )

    # Derived when the article is saved (services.article_refresh), never typed.
    lead_html = models.TextField(blank=True, editable=False)
    search_document = models.TextField(blank=True, editable=False)
    # Verifiability (wikitext.verifiability), kept as columns so that the
    # admin sorts and filters without parsing every article.
    paragraphs = models.PositiveIntegerField(_("paragraphs"), default=0, editable=False)
    cited_paragraphs = models.PositiveIntegerField(
        _("cited paragraphs"), default=0, editable=False
    )
    citations_needed = models.PositiveIntegerField(
        _("citations needed"), default=0, editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "-updated"], name="article_status_updated"),
            # Related communities (selectors.related_articles): the published
            # articles of a group, of a host country. With status in them, so
            # that SQLite's planner (no statistics) prefers them to status's own.
            models.Index(fields=["origin_group", "status"], name="article_group_status"),
            models.Index(fields=["host_country", "status"], name="article_host_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        normalize_title(self, "title")
        self.lead = wikitext.normalize_text(self.lead)
        if self.population is None and wikitext.starts_with_count(self.population_note):
            # Exported, it would read back as a count, not as a note.
            raise ValidationError(
                {"population": _("The note starts with a number: enter it as the population.")}
            )

    def mentioned_people(self) -> models.QuerySet:
        """People shown as mentioned: found in the text or added by hand."""
        return Person.objects.filter(
            pk__in=self.person_mentions.shown().values("person_id")
        )

    def mentioned_places(self) -> models.QuerySet:
        return Place.objects.filter(
            pk__in=self.place_mentions.shown().values("place_id")
        )

    @property
    def population_figure(self) -> wikitext.Population | None:
        if self.population is None and not self.population_note:
            return None
        return wikitext.Population(self.population, self.population_note)
