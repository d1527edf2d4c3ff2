"""The public "Recently changed" pages: the dated change notes of published entries, newest first, for the whole
partnership or one council, in the language being read. The open-data feeds read the same notes
(ChangeNote.objects.public())."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale

from .councils import council_for, live_register
from .models import ChangeNote, Organisation

PER_PAGE = 20


def recent_notes(locale, organisation=None):
    """Change notes on live, public entries in ``locale``, newest first; one council's if given."""
    notes = ChangeNote.objects.public().filter(entry__locale=locale).select_related("entry__organisation")
    if organisation is not None:
        notes = notes.filter(entry__organisation__translation_key=organisation.translation_key)
    return notes


def _render(request, notes, council=None, register=None, heading_council=None):
    page_obj = Paginator(notes, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "notes": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": page_obj.paginator,
        "page_range": page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1),
        # The council's branding and its register as the place in the header (see home's site_menu).
        "council": council,
        "council_home": register,
        "heading_council": heading_council,
        "councils": [] if heading_council else Organisation.objects.filter(locale=Locale.get_active()).order_by("name"),
    }
    return render(request, "datauses/recently_changed.html", context)


def partnership(request):
    return _render(request, recent_notes(Locale.get_active()))


def council(request, slug):
    organisation = council_for(slug)
    register = live_register(organisation)
    return _render(
        request,
        recent_notes(Locale.get_active(), organisation),
        council=organisation if register else None,
        register=register,
        heading_council=organisation,
    )
