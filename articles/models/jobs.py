"""Background admin imports."""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """A confirmed admin import, run outside the request that confirmed it:
    an upload of dense Markdown can take longer to render than a worker may
    spend on one request. The import itself is still one transaction."""

    shown_on_pages = False  # encyclopedia.pagecache: its progress changes no page

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
