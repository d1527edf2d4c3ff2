"""The coverage report in the Wagtail admin (Reports, then Coverage): for each council a person edits, how complete
its live entries are, what they lack, which reviews are overdue and which links the last link check found broken.

Superusers see every council; comms officers, data protection officers and council admins see their own; nobody
else is shown the menu item or the page. datauses/wagtail_hooks.py imports this module so that its hooks register.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale

from . import roles
from .completeness import EXPECTED_PARTS, completeness
from .models import DataUsePage, LinkCheck, Organisation


def councils_edited_by(request):
    """The ids of the councils whose register the signed-in person edits, worked out once per request: the admin
    menu asks on every page whether to show the report."""
    if not hasattr(request, "_councils_user_edits"):
        request._councils_user_edits = roles.councils_user_edits(request.user)
    return request._councils_user_edits


def councils_user_may_see(request, locale):
    """The councils (in ``locale``, the site's main language) whose coverage this person may see."""
    user = request.user
    councils = Organisation.objects.filter(locale=locale).order_by("name")
    if user.is_superuser:
        return councils
    if not (user.is_authenticated and user.is_active):
        return councils.none()
    return councils.filter(pk__in=councils_edited_by(request))


def live_entries(council_ids, locale):
    """The councils' live entries in the site's main language, with what the report reads, in a fixed number of
    queries whatever the number of entries."""
    return (
        DataUsePage.objects.live()
        .filter(organisation_id__in=council_ids, locale=locale)
        .select_related("owner_team")
        .prefetch_related(
            "data_categories",
            "risks",
            "impact_assessments",
            Prefetch("link_checks", queryset=LinkCheck.objects.filter(is_broken=True), to_attr="broken_links"),
        )
        .order_by("reference", "pk")
    )


@dataclass
class EntryRow:
    entry: DataUsePage
    completeness: object
    is_overdue: bool
    edit_url: str

    @property
    def broken_links(self):
        return self.entry.broken_links


@dataclass
class CouncilCoverage:
    council: Organisation
    rows: list = field(default_factory=list)
    links_checked_at: object = None  # when the last link check ran on its entries, if it has

    @property
    def average(self):
        """The average completeness of its live entries, as a whole percentage; None without entries."""
        if not self.rows:
            return None
        return round(sum(row.completeness.score for row in self.rows) / len(self.rows))

    @property
    def incomplete(self):
        return [row for row in self.rows if row.completeness.missing]

    @property
    def overdue(self):
        return [row for row in self.rows if row.is_overdue]

    @property
    def broken_links(self):
        return [(row, check) for row in self.rows for check in row.broken_links]


def coverage(councils, locale):
    """A CouncilCoverage for each council, its entries from the least complete."""
    report = {council.pk: CouncilCoverage(council) for council in councils}
    for entry in live_entries(list(report), locale):
        report[entry.organisation_id].rows.append(
            EntryRow(
                entry=entry,
                completeness=completeness(entry),
                is_overdue=entry.is_review_overdue,
                edit_url=reverse("wagtailadmin_pages:edit", args=[entry.pk]),
            )
        )
    last_checks = (
        LinkCheck.objects.filter(entry__organisation_id__in=list(report), entry__live=True, entry__locale=locale)
        .values_list("entry__organisation_id")
        .annotate(last=Max("checked_at"))
        .order_by()
    )
    for council_id, last in last_checks:
        report[council_id].links_checked_at = last
    for council in report.values():
        council.rows.sort(key=lambda row: (row.completeness.score, row.entry.reference))
    return list(report.values())


def index(request):
    locale = Locale.get_default()
    councils = councils_user_may_see(request, locale)
    chosen = request.GET.get("council", "").strip()
    if chosen:
        councils = councils.filter(slug=chosen)
    councils = list(councils)
    if not councils:
        if chosen:
            raise Http404(_("There is no council with that name among the ones you look after."))
        if not request.user.is_superuser:
            raise PermissionDenied
    return render(
        request,
        "datauses/admin/coverage.html",
        {
            "header_title": _("Coverage"),
            "header_icon": "tasks",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Reports")},  # a menu of its own, with no page
                {"url": reverse("register_coverage:index") if chosen else "", "label": _("Coverage")},
                *([{"url": "", "label": councils[0].name}] if chosen else []),
            ],
            "report": coverage(councils, locale),
            "expected_parts": EXPECTED_PARTS,
        },
    )


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(councils_edited_by(request))


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem(
        gettext_lazy("Coverage"),
        reverse("register_coverage:index"),
        name="coverage",
        icon_name="tasks",
        order=1300,
    )


@hooks.register("register_admin_urls")
def register_coverage_urls():
    """The report at /admin/coverage/ (and /admin/coverage/?council=bristol for one council)."""
    urls = [path("", index, name="index")]
    return [path("coverage/", include((urls, "register_coverage"), namespace="register_coverage"))]
