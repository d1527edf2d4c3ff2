"""The figures the public "What residents told us" pages and their downloads show, worked out by feedback.insight
and kept here so that a page never counts anything. Only what may be published is kept: small groups are
already withheld."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedInsight(models.Model):
    """One row: the published figures, as feedback.insight.publishable() made them."""

    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(help_text=_("When the figures were last worked out."))

    class Meta:
        verbose_name = _("published insight")

    def __str__(self):
        return f"What residents told us, worked out {self.computed_at:%Y-%m-%d %H:%M}"


class InsightReportSent(models.Model):
    """That the monthly report for one council (or the partnership, scope "all") and month was queued, so the
    report is never emailed twice, however often send_insight_reports runs."""

    scope = models.CharField(max_length=80)
    month = models.DateField(help_text=_("The first day of the month the report is about."))
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "month"], name="one_report_per_month")]
        verbose_name = _("monthly insight report sent")

    def __str__(self):
        return f"Insight report for {self.scope}, {self.month:%Y-%m}"
