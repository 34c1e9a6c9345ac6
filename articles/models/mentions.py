"""What the text refers to: people and places mentioned, [[links]], former titles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from reversion import register as versioned

from encyclopedia.text import SlugField
from people.models import Person, Place

from ..wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from .article import Article


class MentionQuerySet(models.QuerySet):
    def shown(self) -> "MentionQuerySet":
        """The mentions a page shows: found in the text or added by hand,
        not those removed by hand."""
        return self.filter(state__in=Mention.SHOWN)


class Mention(models.Model):
    """Whether an article mentions a person or place: found in its text, or
    decided by hand. A hand decision is never overridden by detection."""

    class State(models.TextChoices):
        FOUND = "found", _("Found in the text")
        ADDED = "added", _("Added by hand")
        REMOVED = "removed", _("Removed by hand")

    SHOWN = (State.FOUND, State.ADDED)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ADDED)

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True


@versioned()
class PersonMention(Mention):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="person_mentions",
        verbose_name=_("article"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("person")
    )

    class Meta:
        verbose_name = _("person mentioned")
        verbose_name_plural = _("people mentioned")
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="unique_person_mention")
        ]

    def __str__(self) -> str:
        return str(self.person)


@versioned()
class PlaceMention(Mention):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="place_mentions",
        verbose_name=_("article"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("place")
    )

    class Meta:
        verbose_name = _("place mentioned")
        verbose_name_plural = _("places mentioned")
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
        verbose_name = _("wiki link")
        verbose_name_plural = _("wiki links")
        constraints = [
            models.UniqueConstraint(fields=["article", "target_title"], name="unique_wikilink")
        ]

    def __str__(self) -> str:
        return f"{self.article} -> {self.target_title}"


class FormerName(models.Model):
    """A title and slug an article had before it was renamed: old URLs
    redirect, and links and See also rows by the old title still find it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_names")
    title = models.CharField(_("title"), max_length=MAX_NAME_LENGTH, db_index=True)
    slug = SlugField(_("slug"), max_length=MAX_NAME_LENGTH, db_index=True)
    renamed = models.DateTimeField(_("renamed"), auto_now_add=True)

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["-renamed", "-id"]

    def __str__(self) -> str:
        return self.title
