"""The demo's Welsh: the site follows English in Welsh, and Cardiff's pages are translated.

Translations go through wagtail-localize exactly as a translation agency's would: each page or snippet's
strings are in a PO file in ``cy/`` (exported with ``export_po_files``, translated, then imported here).
Pages nobody has translated are kept in the Welsh tree as copies of the English (wagtail-localize's
synchronisation), which the site shows in English with a note in Welsh.
"""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization, Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from datauses import roles
from datauses.models import (
    DataCategory,
    DataUsePage,
    Organisation,
    RegisterPage,
    ServiceArea,
    ServiceOwnerTeam,
    SharingPartner,
)
from home.models import ContentPage, HomePage

PO_DIR = Path(__file__).resolve().parent / "cy"
WELSH = "cy"
TRANSLATED_COUNCIL = "cardiff"


def objects_to_translate(english):
    """What the demo translates, in an order where everything an object links to comes first."""
    objects = []
    for model in (ServiceArea, DataCategory, SharingPartner):
        objects += list(model.objects.filter(locale=english).order_by("slug"))
    council = Organisation.objects.filter(locale=english, slug=TRANSLATED_COUNCIL).first()
    if council is None:
        return objects
    objects.append(council)
    objects += list(ServiceOwnerTeam.objects.filter(locale=english, organisation=council).order_by("name"))
    home = HomePage.objects.filter(locale=english).first()
    objects.append(home)
    objects += list(RegisterPage.objects.filter(locale=english, organisation__isnull=True).order_by("path"))
    objects += list(RegisterPage.objects.filter(locale=english, organisation=council))
    objects += list(DataUsePage.objects.filter(locale=english, organisation=council).order_by("path"))
    objects += list(ContentPage.objects.filter(locale=english).order_by("path"))
    return objects


def po_name(instance):
    slug = getattr(instance, "slug", None) or slugify(instance.name)
    return f"{instance._meta.model_name}-{slug}.po"


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _portable(po):
    """Each entry's context with the ids of rows and blocks (new on every load) replaced by their order."""
    seen = {}
    contexts = []
    for entry in po:
        contexts.append(UUID.sub(lambda match: f"#{seen.setdefault(match.group(), len(seen))}", entry.msgctxt or ""))
    return contexts


def export_po_files(directory=PO_DIR):
    """Write a PO file of each object's English strings, for a translator. Keeps existing translations.

    The files name rows and blocks by their order rather than by id, so they import into any fresh load.
    """
    english = Locale.get_default()
    welsh = Locale.objects.get(language_code=WELSH)
    directory.mkdir(parents=True, exist_ok=True)
    for instance in objects_to_translate(english):
        source, _ = TranslationSource.get_or_create_from_instance(instance)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=welsh)
        po = translation.export_po()
        po.metadata.pop("X-WagtailLocalize-TranslationID", None)
        for entry, context in zip(po, _portable(po), strict=True):
            entry.msgctxt = context
        (directory / po_name(instance)).write_text(str(po))


def _for_translation(stored, translation):
    """The stored PO file with the contexts and translation id of this load, ready for import_po."""
    current = translation.export_po()
    contexts = dict(zip(_portable(current), (entry.msgctxt for entry in current), strict=True))
    for entry in stored:
        entry.msgctxt = contexts.get(entry.msgctxt, entry.msgctxt)
    stored.metadata["X-WagtailLocalize-TranslationID"] = str(translation.uuid)
    return stored


def load_welsh(say=print):
    """Make the Welsh site: a Welsh locale following English, with the demo's translations published."""
    if WELSH not in dict(settings.LANGUAGES):
        return 0
    english = Locale.get_default()
    welsh, _ = Locale.objects.get_or_create(language_code=WELSH)
    LocaleSynchronization.objects.get_or_create(locale=welsh, defaults={"sync_from": english})
    synchronize_tree(english, welsh)
    done = 0
    for instance in objects_to_translate(english):
        path = PO_DIR / po_name(instance)
        if not path.exists():
            continue
        po = polib.pofile(str(path))
        if po.percent_translated() < 100:
            continue  # only complete translations: a half-translated page would hide that it is half English
        source, _ = TranslationSource.get_or_create_from_instance(instance)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=welsh)
        try:
            target = translation.get_target_instance()
        except ObjectDoesNotExist:
            target = None
        if target is not None and not (isinstance(target, Page) and target.alias_of_id):
            continue  # already translated: leave an editor's changes alone
        translation.import_po(_for_translation(po, translation), tool_name="Demo loader")
        # As save_target(publish=True) does, but publishing now rather than when the transaction commits.
        source.create_or_update_translation(
            welsh, publish=not isinstance(instance, Page), fallback=True, copy_parent_pages=True
        )
        target = translation.get_target_instance()
        if isinstance(target, Page):
            target.get_latest_revision().publish()
        done += 1
    # Each council's editors and translators got their Welsh pages when the council was set up; the shared
    # terms have one group of translators for the whole install.
    roles.ensure_group(roles.TERM_TRANSLATORS)
    if done:
        say(f"Published {done} Welsh translations.")
    return done
