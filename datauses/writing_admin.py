"""Writing plainly in the Wagtail admin: the glossary of data terms (shared, translatable) and each council's
words to avoid (narrowed to the person's own councils), each with its own menu item.

Imported by datauses/wagtail_hooks.py, so it registers its snippets and permission policy when hooks load."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import roles
from .models import GlossaryTerm, Organisation, WordToAvoid
from .permissions import CouncilSnippetPolicy, OnlyTheirCouncils

# Changing, deleting and every view that opens one word: only the person's own councils' (see permissions.py).
# Registered before the viewset, so that Wagtail does not make a default policy for the model.
words_to_avoid_policy = CouncilSnippetPolicy(WordToAvoid, council_field="organisation")
register_permission_policy(WordToAvoid, words_to_avoid_policy, exact_class=True)


def sees_every_council(user):
    return user.is_superuser or roles.works_across_councils(user)


def own_words(user, words):
    """The words of the person's own councils (every council's for superusers)."""
    if sees_every_council(user):
        return words
    return words.filter(organisation__in=roles.councils_of(user))


class CouncilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # A council's Welsh copy keeps its own list, so say which language each choice is.
        return f"{obj.name} ({obj.locale.get_display_name()})"


class WordToAvoidForm(WagtailAdminModelForm):
    """Offers only the person's own councils, and refuses a word the council already lists in another case."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" not in self.fields:
            return
        councils = Organisation.objects.select_related("locale").order_by("name", "locale__language_code")
        if self.for_user is not None and not sees_every_council(self.for_user):
            councils = councils.filter(pk__in=roles.councils_of(self.for_user))
        field = self.fields["organisation"]
        self.fields["organisation"] = CouncilChoice(
            queryset=councils,
            label=field.label,
            help_text=field.help_text,
            widget=forms.Select,
            empty_label=_("Choose a council"),
            error_messages={"invalid_choice": _("Choose one of your own councils.")},
        )
        if not self.instance.pk and len(councils) == 1:
            self.initial["organisation"] = councils[0].pk

    def clean(self):
        cleaned = super().clean()
        council, word = cleaned.get("organisation"), (cleaned.get("word") or "").strip()
        if council and word:
            cleaned["word"] = word
            same = WordToAvoid.objects.filter(organisation=council, word__iexact=word).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("word", _("%(council)s already lists this word.") % {"council": council.name})
        return cleaned


class OwnWordsOnly:
    """The chooser answers only people who may read the list, with only their own councils' words. (Wagtail's
    choosers check no permission: a council's list is not public, as a glossary term is.)"""

    def dispatch(self, request, *args, **kwargs):
        if not words_to_avoid_policy.user_has_any_permission(request.user, ["view", "add", "change", "delete"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return own_words(self.request.user, super().get_object_list())

    def get_object(self, pk):
        if not own_words(self.request.user, WordToAvoid.objects.filter(pk=pk)).exists():
            raise Http404
        return super().get_object(pk)


class WordToAvoidChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        return super().construct_view(type(view_class.__name__, (OwnWordsOnly, view_class), {}), **kwargs)


class WordToAvoidViewSet(SnippetViewSet):
    """Each council's own list: its editors list, add, change and delete only their councils' words; any view
    that opens another council's word is not found (OnlyTheirCouncils, as for councils and teams)."""

    model = WordToAvoid
    chooser_viewset_class = WordToAvoidChooserViewSet
    icon = "warning"
    menu_label = _("Words to avoid")
    menu_name = "words-to-avoid"
    menu_order = 251
    add_to_admin_menu = True
    list_display = ["word", "instead", "organisation"]
    search_fields = ["word", "instead"]
    search_backend_name = None  # a short list: a plain "contains" search finds parts of words on every database
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("organisation", widget=forms.Select),
            FieldPanel("word"),
            FieldPanel("instead"),
        ],
        base_form_class=WordToAvoidForm,
    )

    def get_queryset(self, request):
        return own_words(request.user, WordToAvoid.objects.select_related("organisation"))

    def construct_view(self, view_class, **kwargs):
        guarded = type(view_class.__name__, (OnlyTheirCouncils, view_class), {})
        return super().construct_view(guarded, **kwargs)


class GlossaryViewSet(SnippetViewSet):
    """The terms explained on entries, shared by every council and translated with wagtail-localize."""

    model = GlossaryTerm
    icon = "help"
    menu_label = _("Glossary")
    menu_name = "glossary"
    menu_order = 252
    add_to_admin_menu = True
    list_display = ["term", "other_forms", "explanation"]
    list_filter = ["locale"]
    search_fields = ["term", "other_forms", "explanation"]
    search_backend_name = None


register_snippet(WordToAvoidViewSet)
register_snippet(GlossaryViewSet)
