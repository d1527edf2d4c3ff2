"""The register's taxonomies in the Wagtail admin, grouped under one "Register settings" menu, and
wagtail-localize's views guarded so that each person translates only what they may change."""

from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Task
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import coverage, import_admin, review_dates, roles, translation_access, writing_admin  # noqa: F401 (their hooks register)
from .models import DataCategory, DataUsePage, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner
from .permissions import CouncilSnippetPolicy, OnlyTheirCouncils, may_change, register_policies

# Before any viewset asks for a policy, so that Wagtail does not make a default one.
register_policies()


class TaxonomyViewSet(SnippetViewSet):
    # These lists are short, so a plain database "contains" search finds partial words on every database.
    search_backend_name = None


class CouncilSnippetViewSet(TaxonomyViewSet):
    """A council's own snippets: every view that opens one finds only the person's own councils' (for changing)."""

    def construct_view(self, view_class, **kwargs):
        guarded = type(view_class.__name__, (OnlyTheirCouncils, view_class), {})
        return super().construct_view(guarded, **kwargs)


class OwnTeamsOnly:
    """Editors choose the owner team of their own council's entries, so they are offered only their councils'."""

    def own(self, teams):
        user = self.request.user
        if user.is_superuser or roles.works_across_councils(user):
            return teams
        return teams.filter(organisation__in=roles.councils_of(user))

    def get_object_list(self):
        return self.own(super().get_object_list())

    def get_object(self, pk):
        if not self.own(ServiceOwnerTeam.objects.filter(pk=pk)).exists():
            raise Http404
        return super().get_object(pk)


class TeamChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        return super().construct_view(type(view_class.__name__, (OwnTeamsOnly, view_class), {}), **kwargs)


class OrganisationViewSet(CouncilSnippetViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Councils")
    list_display = ["name", "short_name", "reference_prefix", "website"]
    list_filter = ["locale"]
    search_fields = ["name", "short_name"]
    copy_view_enabled = False


class ServiceAreaViewSet(TaxonomyViewSet):
    model = ServiceArea
    icon = "folder-open-1"
    menu_label = _("Service areas")
    list_display = ["name", "slug"]
    list_filter = ["locale"]
    search_fields = ["name"]


class DataCategoryViewSet(TaxonomyViewSet):
    model = DataCategory
    icon = "tag"
    menu_label = _("Kinds of data")
    list_display = ["name", "slug", "is_special_category"]
    list_filter = ["is_special_category", "locale"]
    search_fields = ["name"]


class SharingPartnerViewSet(TaxonomyViewSet):
    model = SharingPartner
    icon = "group"
    menu_label = _("Sharing partners")
    list_display = ["name", "kind", "website"]
    list_filter = ["kind", "locale"]
    search_fields = ["name"]


class ServiceOwnerTeamViewSet(CouncilSnippetViewSet):
    model = ServiceOwnerTeam
    chooser_viewset_class = TeamChooserViewSet
    icon = "user"
    menu_label = _("Service owner teams")
    list_display = ["name", "organisation", "contact_email"]
    list_filter = ["organisation", "locale"]
    search_fields = ["name"]


class RegisterSettingsGroup(SnippetViewSetGroup):
    menu_label = _("Register settings")
    menu_icon = "list-ul"
    menu_order = 250
    items = (
        OrganisationViewSet,
        ServiceAreaViewSet,
        DataCategoryViewSet,
        SharingPartnerViewSet,
        ServiceOwnerTeamViewSet,
    )


register_snippet(RegisterSettingsGroup)


def is_translation_button(button):
    return "/localize/" in (getattr(button, "url", "") or "")


def changes_every_row(user, snippet):
    """Whether the person may change every row of the snippet's model: the model permission, and for a council's
    own snippets working across councils. Worked out once per model and kept on the request's user, as a listing
    asks for each row."""
    model = type(snippet)
    known = getattr(user, "_changes_every_row", None)
    if known is None:
        known = {}
        user._changes_every_row = known
    if model not in known:
        policy = policy_registry.get(snippet)
        if isinstance(policy, CouncilSnippetPolicy):
            known[model] = policy.user_has_permission(user, "change") and policy.may_act_for_any_council(user)
        elif type(policy).user_has_permission_for_instance is ModelPermissionPolicy.user_has_permission_for_instance:
            known[model] = policy.user_has_permission(user, "change")
        else:  # a policy that looks at each object: ask for each row
            known[model] = False
    return known[model]


@hooks.register("construct_snippet_listing_buttons")
def offer_translation_only_to_editors(buttons, snippet, user):
    """wagtail-localize offers "Translate" to everyone who may submit translations; our guarded views then refuse
    anyone who may not change the snippet (see translation_access.py), so do not offer it to them."""
    # Asked for every row of a listing: look at the council (queries) only where there is a button to take away
    # and the answer is not the same for every row.
    if not any(is_translation_button(button) for button in buttons) or changes_every_row(user, snippet):
        return
    if not may_change(user, snippet):
        buttons[:] = [button for button in buttons if not is_translation_button(button)]


@hooks.register("before_move_page")
def move_only_what_they_may_move(request, page, destination):
    """Wagtail's move confirmation shows any page to anyone and checks only when it is sent; check first."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("register_admin_urls", order=-1)
def guard_translation_views():
    """Our guarded copies of wagtail-localize's views, at its addresses and ahead of its own patterns."""
    return [path("localize/", include((translation_access.urlpatterns, "translation_access")))]


# ---- the page listing of a register's entries -------------------------------------------------------------------

ENTRY_COLUMNS = [
    *[column for column in IndexView.base_columns if column.name in ("bulk_actions", "title")],
    Column("reference", label=_("Reference"), sort_key="reference", width="10%"),
    Column("owner_team", label=_("Owner team"), accessor="owner_team", width="16%"),
    DateColumn("next_review_due", label=_("Next review"), sort_key="next_review_due", width="12%"),
    *[column for column in IndexView.base_columns if column.name in ("parent", "latest_revision_created_at", "status")],
]


def fetch_specific_tasks(pages):
    """Wagtail's listing prefetches each page's sign-off task, then its row buttons ask that task for its specific
    class (GroupApprovalTask), a query for each page in sign-off: fetch those at once, into the cache it reads."""
    tasks = [
        state.current_task_state.task
        for page in pages
        for state in getattr(page, "_current_workflow_states", ())
        if state.current_task_state is not None
    ]
    if not tasks:
        return
    specific = {task.pk: task for task in Task.objects.filter(pk__in={task.pk for task in tasks}).specific()}
    for task in tasks:
        if task.pk in specific:
            task.specific = specific[task.pk]  # Task.specific is a cached_property


class EntryQueries:
    def get_table(self, object_list):
        # Wagtail turns the listing into specific pages after querying, so fetch the teams for them all at once.
        prefetch_related_objects(
            [page for page in object_list if isinstance(page, DataUsePage)], "owner_team__organisation"
        )
        fetch_specific_tasks(object_list)
        return super().get_table(object_list)


class EntryViewSet(PageViewSet):
    """Exploring a register lists its entries with their reference, owner team and next review date."""

    model = DataUsePage
    columns = ENTRY_COLUMNS
    index_view_class = type("EntryIndexView", (EntryQueries, ExplorableIndexView), {})


@hooks.register("register_admin_viewset")
def register_entry_listing():
    return EntryViewSet("register_entries")
