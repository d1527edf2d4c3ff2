"""The top of the page tree, plain content pages (accessibility, privacy) and site branding."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from datauses.blocks import BodyStreamBlock
from datauses.models.snippets import validate_brand_colour


class HomePage(Page):
    """The front page: what the register is, and a way into each council's register."""

    intro = models.TextField(
        help_text=_("What the register is for, in two or three short sentences."),
    )
    body = StreamField(BodyStreamBlock(), blank=True, help_text=_("Optional extra text below the list of councils."))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["datauses.RegisterPage", "home.ContentPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from datauses.models import DataUsePage, RegisterPage

        context = super().get_context(request, *args, **kwargs)
        registers = list(
            RegisterPage.objects.child_of(self).live().public().select_related("organisation").order_by("title")
        )
        context["combined_register"] = next((r for r in registers if r.is_combined), None)
        context["council_registers"] = [r for r in registers if not r.is_combined]
        context["entry_count"] = DataUsePage.objects.live().public().filter(locale_id=self.locale_id).count()
        return context


class ContentPage(Page):
    """A plain page of text, such as the accessibility statement or the privacy notice."""

    intro = models.TextField(blank=True, help_text=_("Optional. One or two sentences at the top."))
    body = StreamField(BodyStreamBlock(), help_text=_("The page's text."))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="palette")
class BrandingSettings(BaseSiteSetting):
    """How the partnership's own pages look: the home page, combined register and search."""

    service_name = models.CharField(
        max_length=80, default="Data Use Register", help_text=_("Shown in the header of every page.")
    )
    partnership_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Who runs the register, shown in the footer. For example 'The West and Wales data partnership'."),
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
        FieldPanel("partnership_name"),
        FieldPanel("brand_colour"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("branding")
