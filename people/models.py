from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.wikitext import WikitextError, check_line, join_places, split_places
from articles.wikitext.names import name_key, name_problem, normalize_name
from articles.wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from articles.wikitext.values import InfoboxValueError
from encyclopedia.text import SlugField


def validate_line(value: str) -> None:
    try:
        check_line(value)
    except WikitextError as exc:
        raise ValidationError(exc.message) from None


def validate_name(value: str) -> None:
    """For names and titles: one line, something visible, no bidirectional
    override (the rule is in articles/wikitext/names.py)."""
    validate_line(value)
    problem = name_problem(value)
    if problem:
        # The problem is an English phrase from the wiki-text rules.
        message = _("The name %(problem)s.") if problem.startswith("has ") else _(
            "Contains a %(problem)s."
        )
        raise ValidationError(message, params={"problem": problem})


class NamedByKey(models.Model):
    """A row readers find by its name, unique by :func:`name_key`: "Dari"
    and "dari" are one language, "Café" in NFC and NFD one place. The key
    is stored so that the database keeps it unique on every backend (SQLite's
    LOWER() folds ASCII only)."""

    name_key = models.CharField(max_length=MAX_NAME_LENGTH, unique=True, editable=False)

    class Meta:
        abstract = True

    def clean_name(self) -> None:
        """Store the name in its one form and refuse a second row under it."""
        self.name = normalize_name(self.name)
        self.name_key = name_key(self.name)
        other = (
            type(self)._default_manager.filter(name_key=self.name_key)
            .exclude(pk=self.pk).only("name").first()
        )
        if other is not None:
            raise ValidationError({"name": ValidationError(
                _("%(name)s already exists; names that differ only in case, "
                  "Unicode form or invisible characters are the same name."),
                params={"name": repr(other.name)},
            )})



@receiver(pre_save)
def _set_name_key(sender, instance, **kwargs) -> None:
    """Every save of a named row stores its key, loaddata's raw saves of a
    backup made before the key existed included."""
    if isinstance(instance, NamedByKey):
        instance.name_key = name_key(instance.name)


class Place(NamedByKey):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Province or region")
        CITY = "city", _("City or town")
        OTHER = "other", _("Other")

    name = models.CharField(
        _("name"), max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_name]
    )
    slug = SlugField(_("slug"), max_length=MAX_NAME_LENGTH, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    demonym = models.CharField(
        _("demonym"), max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text=_("Its people, plural, as article titles use it: Afghans, Russians."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent"),
        help_text=_("The place this one lies in: Balkh Province is in Afghanistan."),
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("place-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.name = normalize_name(self.name)
        # Popplace lists places separated by commas, so a comma in a name
        # could not be exported and read back as the same place.
        if "," in self.name:
            raise ValidationError({"name": _("A place name may not contain a comma.")})
        try:
            reads_back = split_places(join_places([self.name])) == [self.name]
        except InfoboxValueError:
            reads_back = False
        if not reads_back:
            raise ValidationError({"name": _(
                "This name could not be written in an infobox's "
                "Popplace and read back (a double quote with ' and ')."
            )})
        self.clean_name()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A place cannot lie inside itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def ancestors(self) -> list["Place"]:
        """Parents from the nearest outwards (Kabul -> [Afghanistan])."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Person(models.Model):
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH, validators=[validate_name])
    slug = SlugField(_("slug"), max_length=MAX_NAME_LENGTH, unique=True)
    description = models.CharField(
        _("short description"), max_length=500, blank=True, validators=[validate_line]
    )
    places = models.ManyToManyField(
        Place, related_name="people", blank=True, verbose_name=_("places")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        self.name = normalize_name(self.name)


class Alias(models.Model):
    """Another name or spelling a person is known by."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH, validators=[validate_name])

    class Meta:
        ordering = ["id"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_alias_per_person")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = normalize_name(self.name)
