"""Sentiment tallies: how many people gave each comfort answer, per entry, per month and per published version,
kept in the database so the owners' views never count every response. feedback.tallies keeps them right."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .submissions import COMFORTABLE, UNCOMFORTABLE, Comfort

COMFORTS = [value for value, _label in Comfort.choices]


class ComfortCounts(models.Model):
    """A count for each comfort answer, of the responses that count towards sentiment (summary.counted)."""

    very_comfortable = models.PositiveIntegerField(default=0)
    fairly_comfortable = models.PositiveIntegerField(default=0)
    not_sure = models.PositiveIntegerField(default=0)
    fairly_uncomfortable = models.PositiveIntegerField(default=0)
    very_uncomfortable = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def responses(self):
        return sum(getattr(self, comfort) for comfort in COMFORTS)


class EntrySentiment(ComfortCounts):
    """Everything counted about one entry (and the council its feedback was given to): the spread, the net comfort
    score the overview sorts by, the conditions people chose and the responses nobody has looked at yet."""

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    comfortable = models.PositiveIntegerField(default=0)
    uncomfortable = models.PositiveIntegerField(default=0)
    net = models.SmallIntegerField(default=0)
    conditions = models.JSONField(default=dict, blank=True)  # {"oversight": 6, ...}
    trust = models.JSONField(default=dict, blank=True)  # {"yes": 4, "partly": 2, ...}; no answer is not counted
    new = models.PositiveIntegerField(default=0)  # in the state "new": nobody has looked at them yet
    newest_new_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "organisation"], name="one_sentiment_per_entry")]
        indexes = [models.Index(fields=["net", "-total"], name="feedback_sentiment_order")]
        verbose_name = _("entry sentiment")

    def __str__(self):
        return f"Sentiment of entry {self.entry_id}: {self.total} responses, net {self.net}"

    def work_out_totals(self):
        """Set total, comfortable, uncomfortable and net from the comfort counts (net as summary.grouped rounds it)."""
        self.total = self.responses
        self.comfortable = sum(getattr(self, comfort) for comfort in COMFORTABLE)
        self.uncomfortable = sum(getattr(self, comfort) for comfort in UNCOMFORTABLE)
        self.net = round(100 * (self.comfortable - self.uncomfortable) / self.total) if self.total else 0


class MonthTally(ComfortCounts):
    """One entry's answers in one month (in the site's time zone)."""

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("The first day of the month."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "organisation", "month"], name="one_tally_per_month")]

    def __str__(self):
        return f"Entry {self.entry_id} in {self.month:%Y-%m}"


class VersionTally(ComfortCounts):
    """One entry's answers given on one published version of it (no version: given before versions were kept)."""

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    # Emptied with the responses' own link when Wagtail deletes an old revision, so both still agree.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "organisation", "revision"], name="one_tally_per_version")
        ]

    def __str__(self):
        return f"Entry {self.entry_id} on revision {self.revision_id}"


class CouncilMonth(ComfortCounts):
    """A council's answers in one month: the sum of its entries' MonthTally rows, for the council-wide trend."""

    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="one_tally_per_council_month")]

    def __str__(self):
        return f"Council {self.organisation_id} in {self.month:%Y-%m}"


class TallyLock(models.Model):
    """One row, locked while the tallies change, so two workers never count the same response twice."""

    recounted_at = models.DateTimeField(null=True, blank=True, help_text=_("When everything was last recounted."))

    def __str__(self):
        return f"Sentiment tallies, recounted {self.recounted_at}"
