"""Filters for the feedback inbox in the admin."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from datauses.models import DataUsePage

from .models import Comfort, FeedbackSubmission, State
from .permissions import visible_to


def entries_with_visible_feedback(request):
    """The entries this person may read feedback on, and that have some: the inbox's entry filter offers only these."""
    if request is None:
        return DataUsePage.objects.none()
    feedback = visible_to(request.user, FeedbackSubmission.objects.all())
    return DataUsePage.objects.filter(pk__in=feedback.values("entry_id")).order_by("title", "reference", "pk")


class EntryField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.reference})" if obj.reference else obj.title


class EntryChoiceFilter(django_filters.ModelChoiceFilter):
    """An entry by title and reference number, "Cameras (BRS-0003)", never a page ID."""

    field_class = EntryField


class FeedbackFilterSet(WagtailFilterSet):
    entry = EntryChoiceFilter(queryset=entries_with_visible_feedback, label=_("Entry"))
    comfort = django_filters.MultipleChoiceFilter(choices=Comfort.choices, label=_("Comfort"))
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("State"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    flagged_personal_data = django_filters.BooleanFilter(label=_("Flagged for personal data"))
    language = django_filters.ChoiceFilter(choices=settings.LANGUAGES, label=_("Language it was given in"))

    class Meta:
        model = FeedbackSubmission
        fields = ["entry", "comfort", "state", "created_at", "flagged_personal_data", "language"]
