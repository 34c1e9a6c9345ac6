"""The population history chart's figures."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from reversion import register as versioned

from people.models import validate_line

from .. import wikitext
from ..wikitext.document import MAX_LINE_LENGTH as MAX_NAME_LENGTH
from .article import Article
from .references import Source


@versioned()
class PopulationFigure(models.Model):
    """A dated head count for the population history chart."""

    class Method(models.TextChoices):
        CENSUS = "census", "Census"
        ESTIMATE = "estimate", "Estimate"
        SURVEY = "survey", "Survey"
        OTHER = "other", "Other"

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
    # A range around the headline count, as Wikidata's population
    # statements have (value, bounds, point in time, method, source).
    low = models.PositiveBigIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
        help_text="The lowest figure of a range; the count stays the headline figure.",
    )
    high = models.PositiveBigIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
    )
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.PROTECT,
        related_name="population_figures",
    )
    locator = models.CharField(max_length=100, blank=True, help_text="p. 42, table 3...")

    class Meta:
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.count:,}"

    def clean(self) -> None:
        errors = {}
        if self.count is not None:
            if self.low is not None and self.low > self.count:
                errors["low"] = "The low end of the range may not exceed the count."
            if self.high is not None and self.high < self.count:
                errors["high"] = "The high end of the range may not be below the count."
        elif self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = "The high end of the range may not be below the low end."
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.period or str(self.year)
