"""Filters for the feedback inbox in the admin."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import Comfort, FeedbackSubmission, State


class FeedbackFilterSet(WagtailFilterSet):
    entry = django_filters.NumberFilter(field_name="entry_id", label=_("Entry (page ID)"))
    comfort = django_filters.MultipleChoiceFilter(choices=Comfort.choices, label=_("Comfort"))
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    flagged_personal_data = django_filters.BooleanFilter(label=_("Flagged for personal data"))
    language = django_filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("Language it was given in"))

    class Meta:
        model = FeedbackSubmission
        fields = ["entry", "comfort", "state", "created_at", "flagged_personal_data", "language"]
