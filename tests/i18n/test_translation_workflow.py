"""Translating in the admin with wagtail-localize: an entry through a PO file for an agency, a page published
before every part is translated, what a translation cannot change, and who may translate terms."""

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale
from wagtail_localize.models import OverridableSegment, StringSegment, Translation, TranslationSource

from tests.factories import DataUsePageFactory, ServiceAreaFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def comms_officer(django_user_model, home_page):
    group = Group.objects.create(name="Comms officers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="submit_translation"),
    )
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home_page.get_parent(), permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("comms", password="a long enough password")
    user.groups.add(group)
    return user


def test_translate_an_entry_through_a_po_file_and_publish_it(
    client, comms_officer, bristol_register, home_page, django_capture_on_commit_callbacks
):
    welsh = Locale.objects.create(language_code="cy")
    entry = DataUsePageFactory(parent=bristol_register, title="Housing repairs", summary="We book repairs.")
    client.force_login(comms_officer)

    # Start the translation (with the pages above it, which it needs).
    response = client.post(f"/admin/localize/submit/page/{entry.pk}/", {"locales": [welsh.pk]})
    assert response.status_code == 302
    translation = Translation.objects.get(source__object_id=entry.translation_key, target_locale=welsh)

    # Download the PO file for the agency.
    response = client.get(f"/admin/localize/translate/{translation.pk}/pofile/download/")
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    by_field = {item.msgctxt: item for item in po}
    assert by_field["title"].msgid == "Housing repairs"

    # The agency sends it back translated; upload it.
    by_field["title"].msgstr = "Atgyweirio tai"
    by_field["summary"].msgstr = "Rydym yn trefnu atgyweiriadau."
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("entry-cy.po", str(po).encode(), content_type="text/x-gettext-translation")
    welsh_entry = entry.get_translation(welsh)
    response = client.post(
        f"/admin/localize/translate/{translation.pk}/pofile/upload/",
        {"file": upload, "next": f"/admin/pages/{welsh_entry.pk}/edit/"},
    )
    assert response.status_code == 302

    # Publish from the translation editor.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{welsh_entry.pk}/edit/", {"action": "publish"})
    assert response.status_code == 302
    welsh_entry.refresh_from_db()
    assert welsh_entry.live and welsh_entry.title == "Atgyweirio tai"
    html = client.get(welsh_entry.url).content.decode()
    assert "Atgyweirio tai" in html and "Rydym yn trefnu atgyweiriadau." in html


@pytest.fixture
def welsh(db):
    return Locale.objects.create(language_code="cy")


@pytest.fixture
def housing(locale):
    return ServiceAreaFactory(name="Housing", slug="housing", locale=locale)


def test_a_page_published_before_every_part_is_translated_says_so(client, bristol_register, welsh):
    entry = DataUsePageFactory(parent=bristol_register, title="Bin collections", summary="We empty bins.")
    translated = translate(entry, welsh, title="Casglu biniau")
    html = client.get(translated.url).content.decode()
    assert 'id="partly-translated"' in html
    assert "mae rhai rhannau ohoni yn Saesneg o hyd" in html
    assert 'id="untranslated"' not in html

    source = TranslationSource.objects.get(object_id=entry.translation_key)
    every_string = {
        segment.context.path: f"(cy) {segment.string.data}"
        for segment in StringSegment.objects.filter(source=source).select_related("string", "context")
    }
    translated = translate(entry, welsh, **every_string)
    assert 'id="partly-translated"' not in client.get(translated.url).content.decode()
    assert 'id="partly-translated"' not in client.get(entry.url).content.decode()


def test_term_slugs_and_entry_references_cannot_be_changed_in_a_translation(bristol_register, housing):
    entry = DataUsePageFactory(parent=bristol_register, service_area=housing)
    for instance in (housing, entry, bristol_register.organisation):
        source, _ = TranslationSource.get_or_create_from_instance(instance)
        overridable = set(OverridableSegment.objects.filter(source=source).values_list("context__path", flat=True))
        assert not overridable & {"slug", "reference", "reference_prefix", "languages"}, instance


def test_translate_is_offered_on_terms_only_to_people_who_may_edit_them(client, django_user_model, housing, welsh):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("comms", password="a long enough password")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "submit_translation", "view_servicearea"])
    )
    client.force_login(user)
    translate_link = f"/admin/localize/submit/snippet/datauses/servicearea/{housing.pk}/"
    assert translate_link not in client.get("/admin/snippets/datauses/servicearea/").content.decode()
    user.user_permissions.add(Permission.objects.get(codename="change_servicearea"))
    user = django_user_model.objects.get(pk=user.pk)  # permissions are cached on the user
    client.force_login(user)
    assert translate_link in client.get("/admin/snippets/datauses/servicearea/").content.decode()
