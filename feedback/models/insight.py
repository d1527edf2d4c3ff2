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
