"""Background admin imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A confirmed admin import, run outside the request that confirmed it:
    an upload of dense Markdown can take longer to render than a worker may
    spend on one request. The import itself is still one transaction."""

    shown_on_pages = False  # encyclopedia.pagecache: its progress changes no page

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    files = models.PositiveIntegerField(_("files"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # When it failed: why (file and line); nothing was imported.
    message = models.TextField(_("message"), blank=True)
    # When it is done: [title, article id, created] for each file, in order.
    results = models.JSONField(_("results"), default=list, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Import of {self.files} file(s), {self.get_status_display().lower()}"
