"""Keeping entries up to date: the reminders sent about review dates, and the checks of each entry's links."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewReminder(models.Model):
    """One reminder about one entry's review, so that a job run twice never sends it twice."""

    class Stage(models.TextChoices):
        DUE_SOON = "due-soon", _("due in 30 days")
        DUE = "due", _("due today")
        OVERDUE = "overdue", _("overdue")

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="review_reminders")
    due_on = models.DateField(help_text=_("The review date the reminder was about."))
    stage = models.CharField(max_length=10, choices=Stage.choices)
    # The day it was sent: overdue reminders are weekly, each on its own date.
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "due_on", "stage", "sent_on"], name="one_review_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.get_stage_display()} ({self.sent_on})"


class LinkCheck(models.Model):
    """The last check of one outbound link on an entry, made by a scheduled job and never during a page view."""

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="link_checks")
    url = models.URLField(max_length=2000)
    checked_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True, help_text=_("Why the link could not be reached."))
    is_broken = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "url"], name="one_link_check_per_entry_url")]
        ordering = ["url"]

    def __str__(self):
        return self.url
