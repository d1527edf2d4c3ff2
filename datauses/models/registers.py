"""A register page: one council's register, or the combined register of every council."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from base.languages import OfferedLanguagesMixin

from .. import listing
from .entries import DataUsePage


class RegisterPage(OfferedLanguagesMixin, Page):
    """A register: one council's entries, or, with no council chosen, every council's."""

    organisation = models.ForeignKey(
        "datauses.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_pages",
        help_text=_("Leave empty for the combined register, which lists every council's entries."),
    )
    intro = models.TextField(blank=True, help_text=_("One or two sentences at the top of the register."))

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["datauses.DataUsePage"]

    class Meta:
        verbose_name = _("register")

    @property
    def is_combined(self):
        return self.organisation_id is None

    def entries(self):
        entries = DataUsePage.objects.for_listing().filter(locale_id=self.locale_id)
        if self.is_combined:
            return entries
        return entries.descendant_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A preview shows the page being edited: nothing of it is remembered.
        memo_key = None if getattr(request, "is_preview", False) else ("register", self.pk)
        search = listing.run(request, self.entries(), register=self, memo_key=memo_key)
        context.update(search=search, active_filters=search.filterset.active_filters())
        return context
