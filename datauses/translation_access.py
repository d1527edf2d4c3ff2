"""wagtail-localize's admin views, each allowed only on objects the person may change.

wagtail-localize checks only the global "submit translation" permission when someone starts or syncs a
translation, and only the model permission in its translation editor for snippets, so one council's comms
officer could translate another council's pages and snippets. These views take the same addresses, ahead of
wagtail-localize's own (see datauses/wagtail_hooks.py), and ask first whether this person may change the object.
"""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.models import Locale, TranslatableMixin
from wagtail.permissions import page_permission_policy, policy_registry
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation, report, snippets_api, submit_translations, update_translations

from .permissions import may_change


def landing_page(page, locale):
    """Where a translation of the page into this language goes: its copy there (an alias, which the translation
    replaces), or else the copy of the nearest page above it, under which wagtail-localize puts it."""
    for ancestor in reversed(page.get_ancestors(inclusive=True).filter(depth__gt=1)):
        copy = ancestor.get_translation_or_none(locale)
        if copy is not None:
            return copy
    return None


def locales_to_translate_into(user, page):
    """The languages this person may translate the page into: those where they may edit what it becomes."""
    allowed = []
    for locale in Locale.objects.exclude(pk=page.locale_id):
        # With no copy of anything above it yet, the translation starts a new tree under the root page: only
        # someone who may add pages at the root (an admin, or a group given the whole tree) may.
        target = landing_page(page, locale)
        if target is None:
            root = page.get_ancestors().filter(depth=1).first()
            may = root is not None and root.permissions_for_user(user).can_add_subpage()
        else:
            may = may_change(user, target)
        if may:
            allowed.append(locale.pk)
    return Locale.objects.filter(pk__in=allowed)


class SubmitPageTranslationView(submit_translations.SubmitPageTranslationView):
    def get_object(self):
        page = super().get_object()
        if not locales_to_translate_into(self.request.user, page).exists():
            raise PermissionDenied
        return page

    def get_form(self):
        form = super().get_form()
        field = form.fields["locales"]
        field.queryset = field.queryset.filter(pk__in=locales_to_translate_into(self.request.user, self.object))
        return form


class SubmitSnippetTranslationView(submit_translations.SubmitSnippetTranslationView):
    def get_object(self):
        instance = super().get_object()
        if not may_change(self.request.user, instance):
            raise PermissionDenied
        return instance


class UpdateTranslationsView(update_translations.UpdateTranslationsView):
    """Syncing rewrites every translation of the object, so the person must be able to change each of them."""

    def get_object(self):
        source = super().get_object()
        targets = []
        for translation in source.translations.filter(enabled=True):
            try:
                targets.append(translation.get_target_instance())
            except ObjectDoesNotExist:
                continue
        if not targets:
            try:
                targets = [source.get_source_instance()]
            except ObjectDoesNotExist as missing:
                raise Http404 from missing
        if not all(may_change(self.request.user, target) for target in targets):
            raise PermissionDenied
        return source


def translation_they_may_change(view):
    """For the translation editor's views: the translated page or snippet must be one the person may change."""

    @wraps(view)
    def guarded(request, translation_id, *args, **kwargs):
        translation = get_object_or_404(Translation, pk=translation_id)
        try:
            target = translation.get_target_instance()
        except ObjectDoesNotExist as missing:
            raise Http404 from missing
        if not may_change(request.user, target):
            raise PermissionDenied
        return view(request, translation_id, *args, **kwargs)

    return guarded


class SnippetsApi(snippets_api.SnippetViewSet):
    """The translation editor's snippet chooser: only the snippets the person may see or change."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.get_model())
        return policy.instances_user_has_any_permission_for(self.request.user, ["view", "change"])


class TranslationsReportView(report.TranslationsReportView):
    """Only translations of pages and snippets the person may change."""

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_active and user.is_superuser:
            return queryset
        pages = page_permission_policy.instances_user_has_permission_for(user, "change")
        rule = Q(source__object_id__in=pages.values("translation_key"))
        for model in get_snippet_models():
            if issubclass(model, TranslatableMixin):
                snippets = policy_registry.get_by_type(model).instances_user_has_permission_for(user, "change")
                rule |= Q(source__object_id__in=snippets.values("translation_key"))
        return queryset.filter(rule)


# The same addresses as wagtail-localize's own (wagtail_localize/wagtail_hooks.py), which these come before.
urlpatterns = [
    path("submit/page/<int:page_id>/", SubmitPageTranslationView.as_view(), name="submit_page_translation"),
    path(
        "submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        SubmitSnippetTranslationView.as_view(),
        name="submit_snippet_translation",
    ),
    path("update/<int:translation_source_id>/", UpdateTranslationsView.as_view(), name="update_translations"),
    path(
        "translate/<int:translation_id>/strings/<int:string_segment_id>/edit/",
        translation_they_may_change(edit_translation.edit_string_translation),
        name="edit_string_translation",
    ),
    path(
        "translate/<int:translation_id>/overrides/<int:overridable_segment_id>/edit/",
        translation_they_may_change(edit_translation.edit_override),
        name="edit_override",
    ),
    path(
        "translate/<int:translation_id>/pofile/download/",
        translation_they_may_change(edit_translation.download_pofile),
        name="download_pofile",
    ),
    path(
        "translate/<int:translation_id>/pofile/upload/",
        translation_they_may_change(edit_translation.upload_pofile),
        name="upload_pofile",
    ),
    path(
        "translate/<int:translation_id>/machine_translate/",
        translation_they_may_change(edit_translation.machine_translate),
        name="machine_translate",
    ),
    path(
        "translate/<int:translation_id>/preview/",
        translation_they_may_change(edit_translation.preview_translation),
        name="preview_translation",
    ),
    path(
        "translate/<int:translation_id>/preview/<str:mode>/",
        translation_they_may_change(edit_translation.preview_translation),
        name="preview_translation",
    ),
    path(
        "translate/<int:translation_id>/disable/",
        translation_they_may_change(edit_translation.stop_translation),
        name="stop_translation",
    ),
    path("reports/translations/", TranslationsReportView.as_view(), name="translations_report"),
    path(
        "reports/translations/results/",
        TranslationsReportView.as_view(results_only=True),
        name="translations_report_results",
    ),
    path(
        "api/snippets/<slug:app_label>/<slug:model_name>/",
        SnippetsApi.as_view({"get": "list"}),
        name="snippets_api_listing",
    ),
    path(
        "api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
        SnippetsApi.as_view({"get": "retrieve"}),
        name="snippets_api_detail",
    ),
]
