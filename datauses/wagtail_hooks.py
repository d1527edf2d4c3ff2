"""The register's taxonomies in the Wagtail admin, grouped under one "Register settings" menu, and
wagtail-localize's views guarded so that each person translates only what they may change."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import roles, translation_access
from .models import DataCategory, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner
from .permissions import OnlyTheirCouncils, may_change, register_policies

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


@hooks.register("construct_snippet_listing_buttons")
def offer_translation_only_to_editors(buttons, snippet, user):
    """wagtail-localize offers "Translate" to everyone who may submit translations; our guarded views then refuse
    anyone who may not change the snippet (see translation_access.py), so do not offer it to them."""
    if not may_change(user, snippet):
        buttons[:] = [button for button in buttons if "/localize/" not in (getattr(button, "url", "") or "")]


@hooks.register("before_move_page")
def move_only_what_they_may_move(request, page, destination):
    """Wagtail's move confirmation shows any page to anyone and checks only when it is sent; check first."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("register_admin_urls", order=-1)
def guard_translation_views():
    """Our guarded copies of wagtail-localize's views, at its addresses and ahead of its own patterns."""
    return [path("localize/", include((translation_access.urlpatterns, "translation_access")))]
