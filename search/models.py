"""What people search for, without anything about who they are.

How often each search is made is Wagtail's own log (``wagtail.contrib.search_promotions``' Query and
QueryDailyHits), which also feeds search promotions. This adds the searches that found nothing, so
editors can see what the register is missing. Only the normalised words, the language and the day are
kept; searches that look like personal details (an email, phone number, postcode...) are not logged.
"""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH


class SearchWithoutResults(models.Model):
    query_string = models.CharField(_("search words"), max_length=MAX_QUERY_STRING_LENGTH)
    language = models.CharField(_("language"), max_length=12)
    date = models.DateField(_("date"))
    hits = models.PositiveIntegerField(_("times searched"), default=0)

    class Meta:
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [
            models.UniqueConstraint(fields=["query_string", "language", "date"], name="unique_empty_search_per_day")
        ]

    def __str__(self):
        return self.query_string

    @classmethod
    def add_hit(cls, query_string, language, date=None):
        row, _created = cls.objects.get_or_create(
            query_string=query_string, language=language, date=date or timezone.localdate()
        )
        cls.objects.filter(pk=row.pk).update(hits=F("hits") + 1)
