"""The top of the page tree, plain content pages (accessibility, privacy) and site branding."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from base import memo
from base.blocks import BodyStreamBlock
from base.languages import other_languages
from base.validators import validate_brand_colour
from datauses.models import DataUsePage, RegisterPage


class HomePage(Page):
    """The front page: what the register is, and a way into each council's register."""

    intro = models.TextField(
        help_text=_("What the register is for, in two or three short sentences."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, help_text=_("Optional extra text below the list of councils."))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["datauses.RegisterPage", "home.ContentPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context.update(self.listing())
        else:
            context.update(memo.remember(request, ("home", self.pk), self.listing))
        return context

    def listing(self):
        """The councils' registers and the number of published entries (remembered: base.memo)."""
        registers = list(
            RegisterPage.objects.child_of(self).live().public().select_related("organisation").order_by("title")
        )
        return {
            "combined_register": next((r for r in registers if r.is_combined), None),
            "council_registers": [r for r in registers if not r.is_combined],
            "entry_count": DataUsePage.objects.live().public().filter(locale_id=self.locale_id).count(),
        }


class ContentPage(Page):
    """A plain page of text, such as the accessibility statement or the privacy notice."""

    intro = models.TextField(blank=True, help_text=_("Optional. One or two sentences at the top."))
    body = StreamField(BodyStreamBlock(), help_text=_("The page's text."))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("content page")


class PerLanguageWidget(forms.MultiWidget):
    """One labelled text box for each of the site's other languages."""

    template_name = "home/widgets/per_language.html"

    def __init__(self, attrs=None):
        self.languages = other_languages()
        super().__init__([forms.TextInput(attrs={"lang": code}) for code, _name in self.languages], attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code, _name in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_code, language) in zip(context["widget"]["subwidgets"], self.languages, strict=True):
            subwidget["label"] = language
        return context


class PerLanguageFormField(forms.MultiValueField):
    def __init__(self, max_length=None, **kwargs):
        self.languages = other_languages()
        fields = [forms.CharField(max_length=max_length, required=False) for _language in self.languages]
        super().__init__(fields, widget=PerLanguageWidget, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        return {code: text.strip() for (code, _name), text in zip(self.languages, data_list, strict=False) if text}


class PerLanguageTextField(models.JSONField):
    """A short text in each of the site's other languages, stored as {"cy": "..."}."""

    def __init__(self, *args, text_max_length=None, **kwargs):
        self.text_max_length = text_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.text_max_length is not None:
            kwargs["text_max_length"] = self.text_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return PerLanguageFormField(
            max_length=self.text_max_length, label=capfirst(self.verbose_name), help_text=self.help_text
        )


DEFAULT_SERVICE_NAME = "Data Use Register"


@register_setting(icon="palette")
class BrandingSettings(BaseSiteSetting):
    """How the partnership's own pages look: the home page, combined register and search."""

    service_name = models.CharField(
        max_length=80, default=DEFAULT_SERVICE_NAME, help_text=_("Shown in the header of every page.")
    )
    service_name_translations = PerLanguageTextField(
        default=dict,
        blank=True,
        text_max_length=80,
        verbose_name=_("service name in other languages"),
        help_text=_(
            "The name as it appears on pages in each language. Leave a box empty to use the English name "
            "(or, if you kept 'Data Use Register', the site's own translation of it)."
        ),
    )
    partnership_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Who runs the register, shown in the footer. For example 'The West and Wales data partnership'."),
    )
    partnership_name_translations = PerLanguageTextField(
        default=dict,
        blank=True,
        text_max_length=120,
        verbose_name=_("partnership name in other languages"),
        help_text=_("Leave a box empty to show the English name on that language's pages."),
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#0b3d5c",
        validators=[validate_brand_colour],
        help_text=_("Header colour for pages that do not belong to one council."),
    )
    contact_email = models.EmailField(blank=True, help_text=_("Where to write about the register itself."))

    panels = [
        FieldPanel("service_name"),
        FieldPanel("service_name_translations"),
        FieldPanel("partnership_name"),
        FieldPanel("partnership_name_translations"),
        FieldPanel("brand_colour"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("branding")

    def name_in(self, field, language):
        """The service or partnership name (``field``) for pages in ``language``, and the language it is in.

        Returns (text, language code). A name nobody has translated comes back in English, so that the page
        can mark it as English; the standard service name is translated by the site's own catalogue.
        """
        english = getattr(self, field)
        if language == settings.LANGUAGE_CODE or not english:
            return english, settings.LANGUAGE_CODE
        translated = (getattr(self, f"{field}_translations") or {}).get(language)
        if translated:
            return translated, language
        if field == "service_name" and english == DEFAULT_SERVICE_NAME:
            with translation.override(language):
                return str(_("Data Use Register")), language
        return english, settings.LANGUAGE_CODE
