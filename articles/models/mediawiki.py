"""What an article brings from a MediaWiki wiki besides its text: its links
to the same article in other languages, and who made each revision of its
history there (django-reversion's revisions hold a user of this site only)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision

from people.models import validate_line

from ..wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from .article import Article


# A wiki's language prefix: "ru", "fa", "zh-min-nan", "simple", "be-tarask".
validate_language_code = RegexValidator(
    r"\A[a-z]{2,8}(-[a-z0-9]{1,8})*\Z",
    _("A language code is lowercase letters, with parts after hyphens: ru, fa, zh-min-nan."),
)


class InterlanguageLink(models.Model):
    """``[[ru:Русские в Афганистане]]``: the article in another language,
    by its language code (BCP 47, as the wiki's prefix gives it) and title."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="interlanguage_links",
        verbose_name=_("article"),
    )
    language = models.CharField(
        _("language"), max_length=20, validators=[validate_language_code],
        help_text=_("A language code: ru, fa, ps..."),
    )
    title = models.CharField(_("title"), max_length=MAX_NAME_LENGTH, validators=[validate_line])

    class Meta:
        verbose_name = _("interlanguage link")
        verbose_name_plural = _("interlanguage links")
        ordering = ["language", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="one_link_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class RevisionOrigin(models.Model):
    """A revision imported from a MediaWiki dump: its contributor there (a
    user name, or an IP address for an anonymous edit) and its id there.
    The revision's own date is the original timestamp."""

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="origin", verbose_name=_("revision")
    )
    contributor = models.CharField(_("contributor"), max_length=255, blank=True)
    wiki_revision_id = models.BigIntegerField(_("wiki revision id"), null=True, blank=True)

    class Meta:
        verbose_name = _("revision origin")
        verbose_name_plural = _("revision origins")

    def __str__(self) -> str:
        return self.contributor or "(unknown contributor)"
