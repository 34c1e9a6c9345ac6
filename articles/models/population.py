"""The population history chart's figures."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
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
        CENSUS = "census", _("Census")
        ESTIMATE = "estimate", _("Estimate")
        SURVEY = "survey", _("Survey")
        OTHER = "other", _("Other")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="population_figures",
        verbose_name=_("article"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        help_text=_("The year, or the first year of a period; places the figure on the chart."),
    )
    period = models.CharField(
        _("period"), max_length=50, blank=True, validators=[validate_line],
        help_text=_("How to show the date when it is not one year: \"1960s–1970s\"."),
    )
    count = models.PositiveBigIntegerField(
        _("count"), validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)]
    )
    note = models.CharField(
        _("note"), max_length=MAX_NAME_LENGTH, blank=True, validators=[validate_line],
        help_text=_("\"est.\", \"roughly\", a source..."),
    )
    # A range around the headline count, as Wikidata's population
    # statements have (value, bounds, point in time, method, source).
    low = models.PositiveBigIntegerField(
        _("low"),
        null=True, blank=True, validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
        help_text=_("The lowest figure of a range; the count stays the headline figure."),
    )
    high = models.PositiveBigIntegerField(
        _("high"),
        null=True, blank=True, validators=[MaxValueValidator(wikitext.document.MAX_POPULATION)],
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, blank=True)
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.PROTECT,
        related_name="population_figures", verbose_name=_("source"),
    )
    locator = models.CharField(
        _("locator"), max_length=100, blank=True, help_text=_("p. 42, table 3...")
    )

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.count:,}"

    def clean(self) -> None:
        errors = {}
        if self.count is not None:
            if self.low is not None and self.low > self.count:
                errors["low"] = _("The low end of the range may not exceed the count.")
            if self.high is not None and self.high < self.count:
                errors["high"] = _("The high end of the range may not be below the count.")
        elif self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = _("The high end of the range may not be below the low end.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.period or str(self.year)
