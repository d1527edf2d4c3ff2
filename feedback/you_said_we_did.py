"""The public "You said, we did" pages: every answer a council has published to residents' feedback, newest
first, for one council or for the whole partnership. Each links to its entry, where the answer sits beside the
feedback it answers."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale

from datauses.councils import council_for, live_register
from datauses.models import DataUsePage, Organisation

from .models import OwnerAnswer

PER_PAGE = 20


def published_answers(organisation=None):
    """Live answers on live, public entries, newest first; one council's when ``organisation`` is given."""
    answers = (
        OwnerAnswer.objects.filter(live=True, entry__in=DataUsePage.objects.live().public().values("pk"))
        .select_related("entry__organisation")
        .order_by("-first_published_at", "-pk")
    )
    if organisation is not None:
        answers = answers.filter(entry__organisation__translation_key=organisation.translation_key)
    return answers


def in_this_language(answers):
    """Give each answer ``entry_here``: its entry in the language being read, where that version is live."""
    locale = Locale.get_active()
    keys = {answer.entry.translation_key for answer in answers}
    here = {
        page.translation_key: page
        for page in DataUsePage.objects.live().filter(locale=locale, translation_key__in=keys).select_related("locale")
    }
    for answer in answers:
        answer.entry_here = here.get(answer.entry.translation_key, answer.entry)


def _render(request, answers, council=None, register=None, heading_council=None):
    page_obj = Paginator(answers, PER_PAGE).get_page(request.GET.get("page"))
    in_this_language(page_obj.object_list)
    context = {
        "answers": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": page_obj.paginator,
        "page_range": page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1),
        # The council's branding and its register as the place in the header (see home's site_menu).
        "council": council,
        "council_home": register,
        "heading_council": heading_council,
        "councils": [] if heading_council else Organisation.objects.filter(locale=Locale.get_active()).order_by("name"),
    }
    return render(request, "feedback/you_said_we_did.html", context)


def partnership(request):
    return _render(request, published_answers())


def council(request, slug):
    organisation = council_for(slug)
    register = live_register(organisation)
    # Without a live register to link the header to, the page goes out in the partnership's colours.
    return _render(
        request,
        published_answers(organisation),
        council=organisation if register else None,
        register=register,
        heading_council=organisation,
    )
