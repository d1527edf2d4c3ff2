"""Admin: the searches report, next to Wagtail's promoted search results."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class SearchesMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_searches(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("searches/", admin_views.searches, name="searches")]


@hooks.register("register_reports_menu_item")
def register_searches_report():
    return SearchesMenuItem(_("Searches"), reverse("searches"), icon_name="search", order=900)
