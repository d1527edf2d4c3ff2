"""Help with writing plainly: the glossary of data terms explained on entries, and each council's words to avoid."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class GlossaryTerm(TranslatableMixin, index.Indexed, models.Model):
    """A data term readers may not know ("personal data", "profiling"), explained once on each entry that uses it."""

    term = models.CharField(max_length=80, help_text=_("As it appears in text, for example 'personal data'."))
    other_forms = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Other ways the term is written, separated by commas, for example 'profile, profiled'."),
    )
    explanation = models.TextField(
        help_text=_("What it means, in one or two short sentences a 12-year-old would understand.")
    )

    panels = [FieldPanel("term"), FieldPanel("other_forms"), FieldPanel("explanation")]
    search_fields = [index.SearchField("term"), index.SearchField("explanation"), index.FilterField("locale")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self):
        return self.term

    @property
    def forms(self):
        """The term and its other forms, longest first, so 'personal data' is found before 'data'."""
        written = [self.term, *(form.strip() for form in self.other_forms.split(","))]
        return sorted({form for form in written if form}, key=len, reverse=True)


class WordToAvoid(models.Model):
    """A word or phrase a council asks its editors not to use, with a plainer one to use instead."""

    organisation = models.ForeignKey(
        "datauses.Organisation",
        on_delete=models.CASCADE,
        related_name="words_to_avoid",
        verbose_name=_("council"),
        help_text=_("The council whose editors are told about this word."),
    )
    word = models.CharField(max_length=80, help_text=_("The word or phrase to avoid, for example 'utilise'."))
    instead = models.CharField(max_length=120, help_text=_("What to write instead, for example 'use'."))

    panels = [FieldPanel("organisation"), FieldPanel("word"), FieldPanel("instead")]

    class Meta:
        ordering = ["word"]
        constraints = [models.UniqueConstraint(fields=["organisation", "word"], name="one_word_to_avoid_per_council")]
        verbose_name = _("word to avoid")
        verbose_name_plural = _("words to avoid")

    def __str__(self):
        return self.word
