"""The admin's Import entries screen (Settings, then Import entries): a council's editors and data protection
officers upload a file, see every problem in it, or get the entries as drafts (datauses/register_import.py).
datauses/wagtail_hooks.py imports this module so that its hooks register."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import coverage, register_import


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy(
            "The register's own CSV or JSON download, an ATRS record (JSON, or the text of a GOV.UK record) or a "
            "Dutch algorithm register record (JSON). Up to 25 MB, in UTF-8."
        ),
    )
    check_only = forms.BooleanField(
        required=False,
        label=gettext_lazy("Only check the file"),
        help_text=gettext_lazy("Report any problems, and import nothing."),
    )


def councils_for(request):
    if not hasattr(request, "_import_councils"):
        request._import_councils = register_import.councils_for(request.user)
    return request._import_councils


def index(request):
    councils = councils_for(request)
    if not councils:
        raise PermissionDenied
    context = {
        "header_title": _("Import entries"),
        "header_icon": "upload",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": _("Import entries")},
        ],
        "councils": councils,
    }
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report, problems = register_import.run(
                upload.read(),
                upload.name,
                user=request.user,
                councils=councils,
                dry_run=form.cleaned_data["check_only"],
            )
        except register_import.ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            context.update(
                problems=problems, report=report, checked=not problems, filename=upload.name, form=ImportForm()
            )
            status = 422 if problems else 200
            return render(request, "datauses/admin/import.html", context, status=status)
    context["form"] = form
    return render(request, "datauses/admin/import.html", context, status=422 if form.errors else 200)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        # The councils a person edits are worked out once per request (the Coverage item asks too); the page
        # itself checks who may add entries to which register.
        return request.user.is_superuser or bool(coverage.councils_edited_by(request))


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        gettext_lazy("Import entries"), reverse("register_import:index"), name="import-entries", icon_name="upload"
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    urls = [path("", index, name="index")]
    return [path("import-entries/", include((urls, "register_import"), namespace="register_import"))]
