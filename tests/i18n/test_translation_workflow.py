"""A comms officer translates an entry in the admin with wagtail-localize, through a PO file for an agency."""

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Locale
from wagtail_localize.models import Translation

from tests.factories import DataUsePageFactory

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
