from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from articles.wikitext import WikitextError, check_line
from encyclopedia.text import MAX_NAME_LENGTH


def validate_line(value: str) -> None:
    try:
        check_line(value)
    except WikitextError as exc:
        raise ValidationError(exc.message) from None


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Province or region"
        CITY = "city", "City or town"
        OTHER = "other", "Other"

    name = models.CharField(max_length=MAX_NAME_LENGTH, unique=True, validators=[validate_line])
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    demonym = models.CharField(
        max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text="Its people, plural, as article titles use it: Afghans, Russians.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The place this one lies in: Balkh Province is in Afghanistan.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("place-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # Popplace lists places separated by commas, so a comma in a name
        # could not be exported and read back as the same place.
        if "," in self.name:
            raise ValidationError({"name": "A place name may not contain a comma."})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A place cannot lie inside itself."})
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
    name = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_line])
    slug = models.SlugField(max_length=MAX_NAME_LENGTH, unique=True, allow_unicode=True)
    description = models.CharField(
        "short description", max_length=500, blank=True, validators=[validate_line]
    )
    places = models.ManyToManyField(Place, related_name="people", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"slug": self.slug})


class Alias(models.Model):
    """Another name or spelling a person is known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_line])

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_alias_per_person")
        ]

    def __str__(self) -> str:
        return self.name
