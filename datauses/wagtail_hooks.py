"""The register's taxonomies in the Wagtail admin, grouped under one "Register settings" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DataCategory, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner


class TaxonomyViewSet(SnippetViewSet):
    # These lists are short, so a plain database "contains" search finds partial words on every database.
    search_backend_name = None


class OrganisationViewSet(TaxonomyViewSet):
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


class ServiceOwnerTeamViewSet(TaxonomyViewSet):
    model = ServiceOwnerTeam
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
    """wagtail-localize offers "Translate" to everyone who may submit translations, but its translation editor
    then refuses anyone who may not edit the term, leaving a Welsh copy nobody can finish. Hide it from them."""
    opts = type(snippet)._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        buttons[:] = [button for button in buttons if "/localize/" not in (getattr(button, "url", "") or "")]
