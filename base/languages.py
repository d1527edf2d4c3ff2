"""Which languages a page is offered in, and where each version lives.

English (the default) has no prefix in its web addresses; every other language has one: /cy/ for Welsh.
A page's version in another language is its Wagtail translation. Until a comms officer translates it,
wagtail-localize keeps an untranslated copy there (an alias of the English page), which shows the English
with a note, so a link in the language switcher never leads to a missing page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.models import Locale, Page


@dataclass
class LanguageVersion:
    code: str  # the language code, as in settings.LANGUAGES ("cy")
    name: str  # the language's own name ("Cymraeg")
    url: str  # this page in that language
    current: bool  # the language of the page being shown
    translated: bool  # False when that version is the untranslated copy of the original
    bidi: bool  # written right to left


def site_languages():
    return dict(settings.LANGUAGES)


def other_languages():
    """(code, name) of each of the site's languages besides the default (English)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_name(code):
    """A language's name in the language of the page being shown: "English" in English, "Saesneg" in Welsh."""
    try:
        return str(translation.get_language_info(code.split("-")[0])["name_translated"])
    except KeyError:
        return site_languages().get(code, code)


def html_lang(code):
    """The code for <html lang> and hreflang: "en-GB", "cy"."""
    return translation.to_locale(code).replace("_", "-")


def is_untranslated(page):
    """True for a copy of a page from another language that nobody has translated yet."""
    if page is None or not getattr(page, "alias_of_id", None):
        return False
    original = page.alias_of
    return original.locale_id != page.locale_id


def is_partly_translated(page):
    """True for a translated page that was published before every part of it was translated.

    wagtail-localize lets an editor publish a translation with strings missing; those parts then show the
    original's text. Slugs are not counted: keeping the original's web address is a choice, not a gap.
    """
    if not isinstance(page, Page) or page.alias_of_id or page.locale_id is None:
        return False
    from django.db.models import Exists, OuterRef
    from wagtail_localize.models import StringSegment, StringTranslation

    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=page.locale_id,
        has_error=False,
    )
    return (
        StringSegment.objects.filter(
            source__object_id=page.translation_key,
            source__translations__target_locale_id=page.locale_id,
        )
        .exclude(source__locale_id=page.locale_id)
        .exclude(context__path="slug")
        .exclude(Exists(translated))
        .exists()
    )


def offered_languages(page):
    """The codes of the languages a page is offered in: English, and the ones its council ticked.

    A page that belongs to no council (the home page, the combined register, the legal pages) is offered in
    every site language. A council's pages in a language it did not tick send readers to the English page
    (datauses' pages redirect), so nobody is promised a translation the council has not planned.
    """
    codes = list(site_languages())
    council = getattr(page, "organisation", None)
    if council is None:
        return codes
    chosen = council.languages or []
    return [code for code in codes if code in chosen or code == settings.LANGUAGE_CODE]


def offers(page, code):
    """True if ``page`` is offered in language ``code`` (see offered_languages)."""
    return code in offered_languages(page)


def for_reader(entries, request):
    """Give each page of a list in the reader's language (entries, registers) the link a reader should follow.

    Sets ``entry.link_url`` and ``entry.text_lang``. An untranslated copy of a page whose council does not
    offer the language links to the original page instead; the title of any untranslated copy is in the
    original's language, so ``text_lang`` names it for <a lang>. Pages should come with ``locale``,
    ``alias_of__locale`` and ``organisation`` loaded (select_related), so that this adds no queries.
    """
    for entry in entries:
        entry.link_url = entry.get_url(request)
        entry.text_lang = ""
        if not is_untranslated(entry):
            continue
        original = entry.alias_of
        entry.text_lang = html_lang(original.locale.language_code)
        if not offers(entry, entry.locale.language_code):
            entry.link_url = original.get_url(request)
    return entries


def versions(request, page=None, url_name=None):
    """The page (or the view being shown) in each language it is offered in.

    For a Wagtail page, each version is its translation in that language. For another view, such as search
    or the feedback form, the same view with the other language's prefix; ``url_name`` names a view that
    takes an entry's id (the feedback form), so the entry's translation is used there.
    """
    names = site_languages()
    current = translation.get_language()
    found = []
    if isinstance(page, Page):
        translations = {
            version.locale.language_code: version
            for version in page.get_translations(inclusive=True).live().select_related("locale", "alias_of")
        }
        for code in offered_languages(page):
            version = translations.get(code)
            if version is None:
                continue
            if url_name:
                with translation.override(code):
                    url = reverse(url_name, args=[version.pk])
            else:
                url = version.get_url(request)
            if not url:
                continue
            translated = not is_untranslated(version)
            found.append(LanguageVersion(code, names[code], url, code == current, translated, _bidi(code)))
        return found
    path = request.get_full_path() if request is not None else "/"
    for code in names:
        found.append(LanguageVersion(code, names[code], translate_url(path, code), code == current, True, _bidi(code)))
    return found


def _bidi(code):
    return translation.get_language_info(code)["bidi"]


class OfferedLanguagesMixin:
    """For a council's pages: a copy in a language the council does not offer redirects to the English page.

    wagtail-localize keeps a copy of every page in every site language; a council that has not ticked Welsh
    would otherwise have Welsh addresses showing English text under lang="cy".
    """

    def serve(self, request, *args, **kwargs):
        language = translation.get_language()
        if not offers(self, language):
            original = self.get_translation_or_none(Locale.get_default())
            if original is not None and original.live:
                return HttpResponseRedirect(original.get_url(request))
        return super().serve(request, *args, **kwargs)
