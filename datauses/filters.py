"""The register's filters. Everything lives in the query string, so a filtered list can be shared."""

from typing import NamedTuple
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from base import memo

from .models.choices import DecisionMaking, LawfulBasis, Status
from .models.entries import DataUseCategory
from .models.snippets import DataCategory, Organisation, ServiceArea

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SORT_CHOICES = [("title", _("Title (A to Z)")), ("updated", _("Recently updated"))]
# "Uses automated decisions or AI": an algorithm, or any decision-making other than none.
AUTOMATED = Q(uses_algorithm=True) | ~Q(decision_making__in=["", DecisionMaking.NONE])
SORT_ORDER = {"title": ["title", "pk"], "updated": [F("last_published_at").desc(nulls_last=True), "title", "pk"]}


class ActiveFilter(NamedTuple):
    """One chosen filter option, as the results list shows it with a link to remove it."""

    group: str  # the filter's label, such as "Status"
    label: str  # the option's label, such as "In use"
    # The query string without this option, back on the first page: "?q=cctv&status=pilot", or "" for none.
    remove_query: str


class DataUseFilterSet(django_filters.FilterSet):
    # Every filter follows a single-valued relation or uses EXISTS, so no filter repeats a row and none
    # needs DISTINCT (which would compare every column of every matching page).
    council = django_filters.MultipleChoiceFilter(
        field_name="organisation__slug", label=_("Council"), widget=forms.CheckboxSelectMultiple, distinct=False
    )
    service_area = django_filters.MultipleChoiceFilter(
        field_name="service_area__slug",
        label=_("Service area"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    data = django_filters.MultipleChoiceFilter(
        method="filter_data", label=_("Kind of data"), widget=forms.CheckboxSelectMultiple, distinct=False
    )
    lawful_basis = django_filters.MultipleChoiceFilter(
        choices=LawfulBasis.choices, label=_("Lawful basis"), widget=forms.CheckboxSelectMultiple, distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple, distinct=False
    )
    automated = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_automated",
        label=_("Uses automated decisions or AI"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    sharing = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_sharing",
        label=_("Shares data outside the council"),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="sort_by", label=_("Sort by"), empty_label=None)

    def __init__(self, data=None, *args, register=None, locale_id=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        locale_id = register.locale_id if register else locale_id
        self.filters["service_area"].extra["choices"] = self.choices(ServiceArea, locale_id)
        self.filters["data"].extra["choices"] = self.choices(DataCategory, locale_id)
        if register is not None and not register.is_combined:
            # A council's own register is already narrowed to that council.
            del self.filters["council"]
        else:
            self.filters["council"].extra["choices"] = self.choices(Organisation, locale_id)

    def choices(self, model, locale_id):
        """The terms to offer, remembered until a term changes (base.memo) when the request is given."""
        key = ("choices", model._meta.label, locale_id)
        return memo.remember(self.request, key, lambda: _slug_choices(model, locale_id))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not (self.is_bound and self.form.cleaned_data.get("sort")):
            queryset = queryset.order_by(*SORT_ORDER["title"])
        return queryset

    def filter_data(self, queryset, name, value):
        links = DataUseCategory.objects.filter(page=OuterRef("pk"), category__slug__in=value)
        return queryset.filter(Exists(links))

    def filter_automated(self, queryset, name, value):
        return queryset.filter(AUTOMATED if value == "yes" else ~AUTOMATED)

    def filter_sharing(self, queryset, name, value):
        return queryset.filter(shares_data=(value == "yes"))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDER[value])

    def active_filters(self):
        """The chosen filter options, in the order of the form, each with the query string that removes it.

        An option given twice in the web address is listed once. Options the filter does not recognise are
        not listed: the list is not narrowed by them (has_unrecognised_values says so).
        """
        if not self.is_bound:
            return []
        self.form.is_valid()
        chosen = []
        for name, field in self.form.fields.items():
            if name == "sort":
                continue
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            labels = dict(field.choices)
            for item in dict.fromkeys(value if isinstance(value, list) else [value]):
                remaining = [(key, v) for key, v in _params(self.data) if not (key == name and v == item)]
                chosen.append(ActiveFilter(field.label, labels.get(item, item), _query(remaining)))
        return chosen

    @property
    def clear_filters_query(self):
        """The query string of the same list with no filters: the search words and the sort order stay."""
        filter_names = set(self.base_filters) - {"sort"}
        return _query([(key, value) for key, value in _params(self.data) if key not in filter_names])

    @property
    def has_unrecognised_values(self):
        return self.is_bound and bool(self.form.errors)


def _slug_choices(model, locale_id):
    """(slug, name) for each term, named in the page's language.

    Entries not yet translated still use the English terms, so a term with no translation is offered
    under its English name: filters match by slug, which is the same in every language.
    """
    name = "short_name" if model is Organisation else "name"
    terms = model.objects.all()
    if locale_id:
        terms = terms.filter(Q(locale_id=locale_id) | Q(locale__language_code=settings.LANGUAGE_CODE))
    names = {}
    for slug, label, term_locale in terms.values_list("slug", name, "locale_id"):
        if slug not in names or term_locale == locale_id:
            names[slug] = label
    return sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))


def _params(data):
    """The (name, value) pairs of a query, in order, leaving out empty values and the page number.

    Removing or clearing a filter changes the results, so the links go back to the first page.
    """
    pairs = (
        data.lists() if hasattr(data, "lists") else ((k, v if isinstance(v, list) else [v]) for k, v in data.items())
    )
    return [(key, value) for key, values in pairs if key != "page" for value in values if value not in (None, "")]


def _query(pairs):
    return f"?{urlencode(pairs)}" if pairs else ""
