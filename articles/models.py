from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from reversion import register as versioned
from taggit.managers import TaggableManager

from people.models import NamedByKey, Person, Place, validate_line, validate_name

from . import wikitext
# Titles, headings, names and infobox values all fit on one line of a
# document; the parser enforces the same limit so imports fail with a line
# number instead of a database error.
from .wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH


def _raise_as_validation_error(check, value: str, **kwargs) -> None:
    try:
        check(value, **kwargs)
    except wikitext.WikitextError as exc:
        raise ValidationError(f"Line {exc.line}: {exc.message}") from None


def validate_lead(value: str) -> None:
    _raise_as_validation_error(wikitext.check_block_text, value, lead=True)


def validate_body(value: str) -> None:
    _raise_as_validation_error(wikitext.check_block_text, value)


def validate_title(value: str) -> None:
    """For titles and headings: exported, they sit between '=' marks."""
    validate_name(value)
    if value != value.strip() or value.startswith("=") or value.endswith("="):
        raise ValidationError("May not start or end with '=' or spaces.")


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
            raise ValidationError({field: (
                f"An article titled {normal!r} already exists: this title differs from it "
                "only by invisible characters or Unicode form."
            )})


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
        from .infobox import ROW_STORAGE  # it imports this module's models

        return self.prefetch_related(
            "sections",
            Prefetch("see_also", SeeAlso.objects.select_related("target")),
            "extra_rows",
            *(storage.prefetch() for storage in ROW_STORAGE),
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
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_title])
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True, allow_unicode=True)
    lead = models.TextField(
        blank=True,
        validators=[validate_lead],
        help_text="Paragraphs before the first heading, separated by blank lines.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created = MillisecondDateTimeField(auto_now_add=True)
    updated = MillisecondDateTimeField(auto_now=True)
    tags = TaggableManager(blank=True)

    # The infobox ("Infobox ethnic group"): typed fields and ordered rows.
    group_name = models.CharField(
        "group", max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line]
    )
    population = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
        help_text="Head count; leave empty when it is not a number.",
    )
    population_note = models.CharField(
        max_length=MAX_NAME_LENGTH,
        blank=True,
        validators=[validate_line],
        help_text="Shown in brackets after the count (\"2009 est.\"), or the whole figure "
        "when there is no count (\"several thousand\").",
    )
    population_places = models.ManyToManyField(
        Place, through="PopulationPlace", related_name="population_articles", blank=True
    )
    languages = models.ManyToManyField(
        "Language", through="ArticleLanguage", related_name="articles", blank=True
    )
    religions = models.ManyToManyField(
        "Religion", through="ArticleReligion", related_name="articles", blank=True
    )

    # The community: "Russians in Afghanistan" is the origin group
    # "Russians" (from Russia) living in the host country Afghanistan.
    origin_group = models.CharField(
        max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text="The group, as in the title \"Russians in Afghanistan\": Russians.",
    )
    origin_country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="emigrant_articles",
        help_text="Where the group comes from (Russia).",
    )
    host_country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="host_articles",
        help_text="Where the community lives (Afghanistan).",
    )

    # Derived when the article is saved (services.article_refresh), never typed.
    lead_html = models.TextField(blank=True, editable=False)
    search_document = models.TextField(blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "-updated"], name="article_status_updated")]

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
                {"population": "The note starts with a number: enter it as the population."}
            )

    def mentioned_people(self) -> models.QuerySet:
        """People shown as mentioned: found in the text or added by hand."""
        return Person.objects.filter(
            pk__in=PersonMention.objects.shown().filter(article=self).values("person_id")
        )

    def mentioned_places(self) -> models.QuerySet:
        return Place.objects.filter(
            pk__in=PlaceMention.objects.shown().filter(article=self).values("place_id")
        )

    @property
    def population_figure(self) -> wikitext.Population | None:
        if self.population is None and not self.population_note:
            return None
        return wikitext.Population(self.population, self.population_note)


class Ordered(models.Model):
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class InfoboxTerm(NamedByKey):
    """A value that many infoboxes share and readers browse by; unique by
    name_key, so "Dari" and "dari" are one language."""

    name = models.CharField(max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_name])
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True, allow_unicode=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Langs and Rels are comma-separated lists in the wiki-text.
        if "," in self.name:
            raise ValidationError({"name": "A name may not contain a comma."})
        self.clean_name()


class Language(InfoboxTerm):
    pass


class Religion(InfoboxTerm):
    pass


@versioned()
class PopulationPlace(Ordered):
    """A place with a significant population (the infobox's Popplace)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="place_rows")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")

    class Meta(Ordered.Meta):
        verbose_name = "region with significant population"
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="unique_population_place")
        ]

    def __str__(self) -> str:
        return str(self.place)


@versioned()
class ArticleLanguage(Ordered):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="language_rows")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")

    class Meta(Ordered.Meta):
        verbose_name = "language"
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="unique_article_language")
        ]

    def __str__(self) -> str:
        return str(self.language)


@versioned()
class ArticleReligion(Ordered):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="religion_rows")
    religion = models.ForeignKey(Religion, on_delete=models.PROTECT, related_name="+")

    class Meta(Ordered.Meta):
        verbose_name = "religion"
        constraints = [
            models.UniqueConstraint(fields=["article", "religion"], name="unique_article_religion")
        ]

    def __str__(self) -> str:
        return str(self.religion)


@versioned()
class RelatedGroup(Ordered):
    """A related ethnic group (the infobox's Related), by the title of its
    article; the page links it while a published article has that title."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_rows")
    title = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_title])

    class Meta(Ordered.Meta):
        verbose_name = "related ethnic group"
        constraints = [
            models.UniqueConstraint(fields=["article", "title"], name="unique_related_group")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.title = wikitext.names.normalize_name(self.title)
        # Related is a comma-separated list in the wiki-text.
        if "," in self.title:
            raise ValidationError({"title": "A related group's title may not contain a comma."})


@versioned()
class InfoboxRow(Ordered):
    """An infobox row with no typed field, kept as written.

    ``position`` is the row's place among all the infobox's rows.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="extra_rows")
    key = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_line])
    value = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_line])

    class Meta(Ordered.Meta):
        verbose_name = "other infobox row"

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"

    def clean(self) -> None:
        if ":" in self.key:
            raise ValidationError({"key": "A key may not contain ':'."})
        if self.key.casefold() in {key.casefold() for key in wikitext.KNOWN_KEYS}:
            raise ValidationError({"key": f"Use the article's own field for {self.key!r}."})


@versioned(exclude=("body_html",))
class Section(Ordered):
    class Level(models.IntegerChoices):
        SECTION = 2, "Section (==)"
        SUBSECTION = 3, "Subsection (===)"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_title])
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.SECTION)
    body = models.TextField(
        blank=True, validators=[validate_body],
        help_text="Markdown. Link to articles with [[Title]] or [[Title|label]].",
    )
    body_html = models.TextField(blank=True, editable=False)

    class Meta(Ordered.Meta):
        pass

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        self.body = wikitext.normalize_text(self.body)
        if self.level == self.Level.SECTION and self.heading.casefold() == "see also":
            raise ValidationError({"heading": "Add related articles as See also rows instead."})


@versioned()
class SeeAlso(Ordered):
    """A related article, by title; ``target`` is set while such an article exists."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="see_also")
    target_title = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_title])
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="see_also_incoming",
    )

    class Meta(Ordered.Meta):
        verbose_name = "See also link"
        verbose_name_plural = "See also"

    def __str__(self) -> str:
        return self.target_title

    def clean(self) -> None:
        normalize_title(self, "target_title")


class MentionQuerySet(models.QuerySet):
    def shown(self) -> "MentionQuerySet":
        """The mentions a page shows: found in the text or added by hand,
        not those removed by hand."""
        return self.filter(state__in=Mention.SHOWN)


class Mention(models.Model):
    """Whether an article mentions a person or place: found in its text, or
    decided by hand. A hand decision is never overridden by detection."""

    class State(models.TextChoices):
        FOUND = "found", "Found in the text"
        ADDED = "added", "Added by hand"
        REMOVED = "removed", "Removed by hand"

    SHOWN = (State.FOUND, State.ADDED)

    state = models.CharField(max_length=10, choices=State.choices, default=State.ADDED)

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True


@versioned()
class PersonMention(Mention):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        verbose_name = "person mentioned"
        verbose_name_plural = "people mentioned"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="unique_person_mention")
        ]

    def __str__(self) -> str:
        return str(self.person)


@versioned()
class PlaceMention(Mention):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="place_mentions")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        verbose_name = "place mentioned"
        verbose_name_plural = "places mentioned"
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="unique_place_mention")
        ]

    def __str__(self) -> str:
        return str(self.place)


class WikiLink(models.Model):
    """A [[Title]] link in an article's text, kept so that the text is rendered
    again when an article with that title appears, is renamed or goes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wikilinks")
    target_title = models.CharField(max_length=MAX_NAME_LENGTH, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "target_title"], name="unique_wikilink")
        ]

    def __str__(self) -> str:
        return f"{self.article} -> {self.target_title}"


class FormerName(models.Model):
    """A title and slug an article had before it was renamed: old URLs
    redirect, and links and See also rows by the old title still find it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_names")
    title = models.CharField(max_length=MAX_NAME_LENGTH, db_index=True)
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, allow_unicode=True, db_index=True)
    renamed = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-renamed", "-id"]

    def __str__(self) -> str:
        return self.title


@versioned()
class PopulationFigure(models.Model):
    """A dated head count for the population history chart."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="population_figures"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year, or the first year of a period; places the figure on the chart."
    )
    period = models.CharField(
        max_length=50, blank=True, validators=[validate_line],
        help_text="How to show the date when it is not one year: \"1960s–1970s\".",
    )
    count = models.PositiveBigIntegerField(
        validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)]
    )
    note = models.CharField(
        max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text="\"est.\", \"roughly\", a source...",
    )

    class Meta:
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.count:,}"

    @property
    def label(self) -> str:
        return self.period or str(self.year)


class ImportJob(models.Model):
    """A confirmed admin import, run outside the request that confirmed it:
    an upload of dense Markdown can take longer to render than a worker may
    spend on one request. The import itself is still one transaction."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    files = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    # When it failed: why (file and line); nothing was imported.
    message = models.TextField(blank=True)
    # When it is done: [title, article id, created] for each file, in order.
    results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Import of {self.files} file(s), {self.get_status_display().lower()}"


# A revision holds the article with every row its page and wiki-text show,
# so that reverting restores them as one unit. Derived text (rendered HTML,
# the search document) is left out: services.article_revert renders it
# again, and storing it would more than double the size of every revision.
# Registered last: the rows come from infobox.STORAGE, which needs the
# models above.
from .infobox import ARTICLE_ROWS  # noqa: E402

versioned(follow=ARTICLE_ROWS, exclude=("lead_html", "search_document"))(Article)
