"""The rows inside an article: infobox terms and lists, extra infobox rows, sections and See also."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from reversion import register as versioned

from encyclopedia.text import SlugField
from people.models import NamedByKey, Place, validate_line, validate_name

from .. import wikitext
from ..communities import community_from_title
from ..wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from .article import Article, normalize_title, validate_body, validate_title


class Ordered(models.Model):
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class InfoboxTerm(NamedByKey):
    """A value that many infoboxes share and readers browse by; unique by
    name_key, so "Dari" and "dari" are one language."""

    name = models.CharField(
        _("name"), max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_name]
    )
    slug = SlugField(_("slug"), max_length=MAX_NAME_LENGTH, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Langs and Rels are comma-separated lists in the wiki-text.
        if "," in self.name:
            raise ValidationError({"name": _("A name may not contain a comma.")})
        self.clean_name()


class Language(InfoboxTerm):
    class Meta(InfoboxTerm.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class Religion(InfoboxTerm):
    class Meta(InfoboxTerm.Meta):
        verbose_name = _("religion")
        verbose_name_plural = _("religions")


@versioned()
class PopulationPlace(Ordered):
    """A place with a significant population (the infobox's Popplace)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="place_rows", verbose_name=_("article")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )

    class Meta(Ordered.Meta):
        verbose_name = _("region with significant population")
        verbose_name_plural = _("regions with significant population")
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="unique_population_place")
        ]

    def __str__(self) -> str:
        return str(self.place)


@versioned()
class ArticleLanguage(Ordered):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="language_rows", verbose_name=_("article")
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )

    class Meta(Ordered.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="unique_article_language")
        ]

    def __str__(self) -> str:
        return str(self.language)


@versioned()
class ArticleReligion(Ordered):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="religion_rows", verbose_name=_("article")
    )
    religion = models.ForeignKey(
        Religion, on_delete=models.PROTECT, related_name="+", verbose_name=_("religion")
    )

    class Meta(Ordered.Meta):
        verbose_name = _("religion")
        verbose_name_plural = _("religions")
        constraints = [
            models.UniqueConstraint(fields=["article", "religion"], name="unique_article_religion")
        ]

    def __str__(self) -> str:
        return str(self.religion)


@versioned()
class RelatedGroup(Ordered):
    """A related ethnic group (the infobox's Related), by the title of its
    article; the page links it while a published article has that title."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_rows", verbose_name=_("article")
    )
    title = models.CharField(_("title"), max_length=MAX_NAME_LENGTH, validators=[validate_title])

    class Meta(Ordered.Meta):
        verbose_name = _("related ethnic group")
        verbose_name_plural = _("related ethnic groups")
        constraints = [
            models.UniqueConstraint(fields=["article", "title"], name="unique_related_group")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        self.title = wikitext.names.normalize_name(self.title)
        # Related is a comma-separated list in the wiki-text.
        if "," in self.title:
            raise ValidationError({"title": _("A related group's title may not contain a comma.")})


@versioned()
class InfoboxRow(Ordered):
    """An infobox row with no typed field, kept as written.

    ``position`` is the row's place among all the infobox's rows.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="extra_rows", verbose_name=_("article")
    )
    key = models.CharField(_("key"), max_length=MAX_NAME_LENGTH, validators=[validate_line])
    value = models.CharField(_("value"), max_length=MAX_NAME_LENGTH, validators=[validate_line])

    class Meta(Ordered.Meta):
        verbose_name = _("other infobox row")
        verbose_name_plural = _("other infobox rows")

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"

    def clean(self) -> None:
        if ":" in self.key:
            raise ValidationError({"key": _("A key may not contain ':'.")})
        if self.key.casefold() in {key.casefold() for key in wikitext.KNOWN_KEYS}:
            raise ValidationError({"key": ValidationError(
                _("Use the article's own field for %(key)s."), params={"key": repr(self.key)}
            )})


@versioned(exclude=("body_html",))
class Section(Ordered):
    class Level(models.IntegerChoices):
        SECTION = 2, _("Section (==)")
        SUBSECTION = 3, _("Subsection (===)")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="sections", verbose_name=_("article")
    )
    heading = models.CharField(
        _("heading"), max_length=MAX_NAME_LENGTH, validators=[validate_title]
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.SECTION
    )
    body = models.TextField(
        _("body"), blank=True, validators=[validate_body],
        help_text=_("Markdown. Link to articles with [[Title]] or [[Title|label]]."),
    )
    body_html = models.TextField(blank=True, editable=False)

    class Meta(Ordered.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        self.body = wikitext.normalize_text(self.body)
        if self.level == self.Level.SECTION and self.heading.casefold() == "see also":
            raise ValidationError({"heading": _("Add related articles as See also rows instead.")})


# Derived from target_title, as Section.body_html from the body: not kept in
# revisions (a revert's save sets them again, _parse_see_also_target).
@versioned(exclude=("target_group", "target_host"))
class SeeAlso(Ordered):
    """A related article, by title; ``target`` is set while such an article exists.

    ``target_group`` and ``target_host`` are the title read as a community
    (communities.community_from_title: "Russians", "Afghanistan"; both ""
    for a title that names none), so that the related communities of a page
    are found through an index instead of a LIKE over every row."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="see_also", verbose_name=_("article")
    )
    target_title = models.CharField(
        _("target title"), max_length=MAX_NAME_LENGTH, validators=[validate_title]
    )
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="see_also_incoming",
    )
    target_group = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, editable=False)
    target_host = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, editable=False)

    class Meta(Ordered.Meta):
        verbose_name = _("See also link")
        verbose_name_plural = _("See also")
        # What selectors.related_articles asks for: the unlinked rows (target
        # null) of a group, of a host country, or of one title (the reverse
        # community; see_also_link and the import look rows up by title too).
        indexes = [
            models.Index(fields=["target_group", "target"], name="seealso_group_unlinked"),
            models.Index(fields=["target_host", "target"], name="seealso_host_unlinked"),
            models.Index(fields=["target_title", "target"], name="seealso_title_unlinked"),
        ]

    def __str__(self) -> str:
        return self.target_title

    def clean(self) -> None:
        normalize_title(self, "target_title")

    @staticmethod
    def community_of(title: str) -> tuple[str, str]:
        """(target_group, target_host) for a row titled ``title``: for the
        writes that make rows without saving them (the import's inserts)."""
        return community_from_title(title) or ("", "")

    def parse_target(self) -> None:
        """Set target_group and target_host from target_title."""
        self.target_group, self.target_host = self.community_of(self.target_title)

    def save(self, *args, **kwargs) -> None:
        # A save of the title alone writes what is read from it too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "target_title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "target_group", "target_host"}
        super().save(*args, **kwargs)


@receiver(pre_save, sender=SeeAlso)
def _parse_see_also_target(sender, instance: SeeAlso, **kwargs) -> None:
    """Every save of a row reads its title again: the admin's forms, and the
    raw saves of loaddata and of a revert (which skip Model.save), included."""
    instance.parse_target()
