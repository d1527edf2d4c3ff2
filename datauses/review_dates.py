"""Entries whose review is due: whose entries each person looks after, the "Reviews due" report (under Reports,
with CSV and XLSX downloads) and the panel on the admin home that lists each person's own."""

import datetime
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_supported_content_language_variant

from base.spreadsheets import plain_cell

from . import roles
from .models import DataUsePage, Organisation, ServiceOwnerTeam

# "Due soon" reaches this many days ahead; the first reminder goes this many days before the review date.
SOON_DAYS = 30
# Entries listed on the admin home; the report has them all.
PANEL_ROWS = 10

OVERDUE = "overdue"
SOON = "soon"


@dataclass(frozen=True)
class Scope:
    """Whose entries a person looks after: every council's (superusers), the councils whose register they edit or
    sign off (editors and data protection officers), and their own teams' (service owners). Empty for anyone else."""

    everything: bool = False
    councils: tuple = ()  # Organisation ids
    teams: tuple = ()  # ServiceOwnerTeam ids

    def __bool__(self):
        return self.everything or bool(self.councils or self.teams)

    def may_edit(self, entry):
        """Editors and data protection officers edit their councils' entries; owners read them on the site."""
        return self.everything or entry.organisation_id in self.councils

    def link(self, entry, request=None):
        """Where an entry's title leads this person: its edit page if they may edit it, else the published page,
        else nowhere (an owner's draft)."""
        if self.may_edit(entry):
            return reverse("wagtailadmin_pages:edit", args=[entry.pk])
        return entry.get_url(request) if entry.live else None

    def entries(self, queryset):
        if self.everything:
            return queryset
        return queryset.filter(Q(organisation_id__in=self.councils) | Q(owner_team_id__in=self.teams))

    def councils_offered(self):
        """The councils to choose from in the report's filter: the person's own, in the site's main language."""
        councils = Organisation.objects.filter(locale__language_code=main_language())
        if self.everything:
            return councils
        teams = ServiceOwnerTeam.objects.filter(pk__in=self.teams).values("organisation_id")
        return councils.filter(Q(pk__in=self.councils) | Q(pk__in=teams))

    def teams_offered(self):
        """The owner teams to choose from: every team of the person's councils, and their own teams."""
        # In the main language: a team's copies in other languages share its group, but entries name the original.
        teams = ServiceOwnerTeam.objects.filter(locale__language_code=main_language()).select_related("organisation")
        if self.everything:
            return teams
        return teams.filter(Q(organisation_id__in=self.councils) | Q(pk__in=self.teams))


def scope_of(user):
    """The Scope of a signed-in person (four queries at most)."""
    if not (user.is_authenticated and user.is_active):
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    teams = ServiceOwnerTeam.objects.filter(group__in=user.groups.all()).values_list("pk", flat=True)
    return Scope(councils=tuple(roles.councils_user_edits(user)), teams=tuple(teams))


def main_language():
    """The language code of the site's main locale (entries are reviewed in it; translations follow)."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def reviews_due(scope, today):
    """Entries in the site's main language (live or draft) whose review is overdue or due within SOON_DAYS of
    ``today``, among those in ``scope``; the earliest due first."""
    horizon = today + datetime.timedelta(days=SOON_DAYS)
    entries = DataUsePage.objects.filter(locale__language_code=main_language(), next_review_due__lte=horizon)
    return scope.entries(entries).select_related("organisation", "owner_team").order_by("next_review_due", "pk")


def due_in_words(due, today):
    """How far off a review date is: "3 days overdue", "Due today", "12 days left"."""
    days = (due - today).days
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    if days == 0:
        return gettext("Due today")
    return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}


# ---- the report -------------------------------------------------------------------------------------------------


class ReviewsDueFilterSet(WagtailFilterSet):
    """Council and owner team (only the person's own are offered), and overdue or due soon. No model is named, so
    Wagtail adds no language filter: reviews are of the entries in the site's main language."""

    council = django_filters.ModelChoiceFilter(
        field_name="organisation",
        label=_("Council"),
        queryset=Organisation.objects.none(),
        empty_label=_("All your councils"),
    )
    owner_team = django_filters.ModelChoiceFilter(
        label=_("Owner team"), queryset=ServiceOwnerTeam.objects.none(), empty_label=_("All teams")
    )
    due = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(OVERDUE, _("Overdue")), (SOON, _("Due in the next 30 days"))],
        empty_label=_("Overdue or due in the next 30 days"),
        method="filter_due",
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, scope=None, today=None):
        if queryset is None:  # the view filters its own queryset (filter_queryset); one is needed without a model
            queryset = DataUsePage.objects.none()
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope or Scope()
        self.today = today or timezone.localdate()
        self.filters["council"].queryset = scope.councils_offered()
        self.filters["owner_team"].queryset = scope.teams_offered()

    def filter_due(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.filter(next_review_due__lt=self.today)
        if value == SOON:
            return queryset.filter(next_review_due__gte=self.today)
        return queryset


class DueColumn(Column):
    """How far off the review is, in words: in red, with a warning icon, when overdue."""

    cell_template_name = "datauses/admin/review_due_cell.html"

    def __init__(self, name, today, **kwargs):
        super().__init__(name, **kwargs)
        self.today = today

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["words"] = due_in_words(instance.next_review_due, self.today)
        context["overdue"] = instance.next_review_due < self.today
        return context


def long_date(day):
    return date_format(day, "j F Y") if day else ""


class ReviewsDueView(ReportView):
    """Every entry of the person's councils or teams whose review is overdue or due in the next 30 days."""

    page_title = _("Reviews due")
    header_icon = "calendar-alt"
    filterset_class = ReviewsDueFilterSet
    index_url_name = "review_dates:index"
    index_results_url_name = "review_dates:results"
    default_ordering = "next_review_due"
    export_filename = "reviews-due"
    list_export = ["reference", "title", "organisation", "owner_team", "next_review_due", "when", "last_reviewed"]
    export_headings = {
        "reference": _("Reference"),
        "title": _("Title"),
        "organisation": _("Council"),
        "owner_team": _("Owner team"),
        "next_review_due": _("Next review due"),
        "when": _("Overdue or left"),
        "last_reviewed": _("Last reviewed"),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()
        # A CSV is streamed after the view returns: keep the request's language and time zone for it.
        self.export_language = translation.get_language()
        self.export_timezone = timezone.get_current_timezone()

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_of(request.user)
        if not self.scope:
            # A plain 403 with the reason, rather than Wagtail's redirect to the dashboard.
            context = {
                "header_title": self.page_title,
                "header_icon": self.header_icon,
                "breadcrumbs_items": self.get_breadcrumbs_items(),
            }
            return TemplateResponse(request, "datauses/admin/review_refused.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def columns(self):
        return [
            Column("reference", label=_("Reference"), sort_key="reference"),
            TitleColumn(
                "title",
                label=_("Title"),
                get_url=lambda entry: self.scope.link(entry, self.request),
                sort_key="title",
            ),
            Column("organisation", label=_("Council"), accessor="organisation.short_name"),
            Column("owner_team", label=_("Owner team"), accessor="owner_team.name"),
            Column(
                "next_review_due",
                label=_("Next review due"),
                accessor=lambda entry: long_date(entry.next_review_due),
                sort_key="next_review_due",
            ),
            DueColumn("when", today=self.today, label=_("Overdue or left")),
            Column("last_reviewed", label=_("Last reviewed"), accessor=lambda entry: long_date(entry.last_reviewed)),
        ]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope, "today": self.today}

    def get_base_queryset(self):
        return reviews_due(self.scope, self.today)

    def order_queryset(self, queryset):
        # Ties in the same order on every page of the listing.
        return queryset.order_by(self.ordering, "reference", "pk")

    @cached_property
    def no_results_message(self):
        if self.is_filtering:
            return gettext("No entries match these filters.")
        return gettext("No entries are overdue for review or due for review in the next 30 days.")

    # ---- the download: the rows shown, every cell in words and spreadsheet-safe ----

    def to_row_dict(self, item):
        return {
            "reference": item.reference,
            "title": item.title,
            "organisation": item.organisation.name,
            "owner_team": item.owner_team.name if item.owner_team else "",
            "next_review_due": item.next_review_due,
            "when": due_in_words(item.next_review_due, self.today),
            "last_reviewed": item.last_reviewed,
        }

    def preprocess_field_value(self, field, value, export_format):
        # Titles and team names are typed by people: keep them from being read as formulas.
        return plain_cell(value)

    def stream_csv(self, queryset):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            yield from super().stream_csv(queryset)

    def write_xlsx(self, queryset, output):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            return super().write_xlsx(queryset, output)


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(scope_of(request.user))


urlpatterns = [
    path("", ReviewsDueView.as_view(), name="index"),
    path("results/", ReviewsDueView.as_view(results_only=True), name="results"),
]


# ---- the panel on the admin home --------------------------------------------------------------------------------


class ReviewsDuePanel(Component):
    """The person's own entries to review, the earliest due first; shown to anyone with a scope."""

    name = "reviews_due"
    template_name = "datauses/admin/review_panel.html"
    order = 160  # below the owner's desk, above Wagtail's own panels about pages

    def __init__(self, scope):
        self.scope = scope

    def get_context_data(self, parent_context):
        request = parent_context.get("request")
        today = timezone.localdate()
        entries = reviews_due(self.scope, today)
        counts = entries.aggregate(
            overdue=Count("pk", filter=Q(next_review_due__lt=today)),
            soon=Count("pk", filter=Q(next_review_due__gte=today)),
        )
        rows = [
            {
                "entry": entry,
                "url": self.scope.link(entry, request),
                "due": long_date(entry.next_review_due),
                "words": due_in_words(entry.next_review_due, today),
                "overdue": entry.next_review_due < today,
            }
            for entry in entries[:PANEL_ROWS]
        ]
        report = reverse("review_dates:index")
        return {
            "rows": rows,
            "overdue": counts["overdue"],
            "soon": counts["soon"],
            "more": counts["overdue"] + counts["soon"] - len(rows),
            "report_url": report,
            "overdue_url": f"{report}?due={OVERDUE}",
            "soon_url": f"{report}?due={SOON}",
        }


# ---- hooks (this module is imported by datauses/wagtail_hooks.py) -----------------------------------------------


@hooks.register("register_admin_urls")
def register_reviews_due_urls():
    return [path("reports/reviews-due/", include((urlpatterns, "review_dates")))]


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return ReviewsDueMenuItem(
        _("Reviews due"), reverse("review_dates:index"), name="reviews-due", icon_name="calendar-alt", order=1050
    )


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request, panels):
    scope = scope_of(request.user)
    if scope:
        panels.append(ReviewsDuePanel(scope))
