"""Issue 15, changes in public: publishing a new version asks for a short public change note (the first
publication needs none); the entry lists its dated notes under "Changes to this entry", and the register links
to a "Recently changed" page per council and for the partnership."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from datauses.councils import add_council
from datauses.models import ChangeNote, DataUsePage
from tests.datauses import test_admin
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


def publish(entry, note, when):
    entry.change_note = note
    revision = entry.save_revision()
    revision.publish()
    ChangeNote.objects.filter(revision=revision).update(published_at=when)
    return revision


def day(n):
    return timezone.make_aware(datetime.datetime(2026, 11, n, 10, 0))


def test_each_published_note_is_kept_once_and_listed_newest_first(client, bristol_register):
    entry = DataUsePageFactory(parent=bristol_register, title="Parking permits")
    publish(entry, "Added the sharing with the NHS trust.", day(2))
    publish(entry, "Added the sharing with the NHS trust.", day(3))  # same note again: not a new change
    publish(entry, "Shortened how long we keep the data to two years.", day(20))
    assert list(entry.change_notes.values_list("note", flat=True)) == [
        "Shortened how long we keep the data to two years.",
        "Added the sharing with the NHS trust.",
    ]
    page = client.get(entry.url).content.decode()
    assert "Changes to this entry" in page
    assert page.index("Shortened how long") < page.index("Added the sharing")
    assert "20 November 2026" in page and "2 November 2026" in page


def test_a_draft_note_is_not_public(client, bristol_register):
    entry = DataUsePageFactory(parent=bristol_register)
    entry.change_note = "Not decided yet."
    entry.save_revision()
    assert not ChangeNote.objects.exists()
    assert "Not decided yet." not in client.get(entry.url).content.decode()


def test_recently_changed_lists_live_entries_notes_per_council(client, bristol_register, leeds_register):
    bristol_entry = DataUsePageFactory(parent=bristol_register, title="Parking permits")
    leeds_entry = DataUsePageFactory(parent=leeds_register, title="Leeds bins")
    hidden = DataUsePageFactory(parent=bristol_register, title="Withdrawn entry")
    publish(bristol_entry, "Added the sharing with the NHS trust.", day(5))
    publish(leeds_entry, "Bins are now collected fortnightly.", day(6))
    publish(hidden, "This entry was withdrawn.", day(7))
    hidden.unpublish()

    everything = client.get(reverse("recently_changed")).content.decode()
    assert everything.index("Bins are now collected") < everything.index("Added the sharing")
    assert "This entry was withdrawn." not in everything

    bristol = client.get(reverse("recently_changed_council", args=("bristol",)))
    assert bristol.status_code == 200
    assert "Added the sharing with the NHS trust." in bristol.content.decode()
    assert "Bins are now collected" not in bristol.content.decode()
    assert client.get(reverse("recently_changed_council", args=("nowhere",))).status_code == 404
    assert reverse("recently_changed_council", args=("bristol",)) in client.get(bristol_register.url).content.decode()


def test_recently_changed_queries_do_not_grow_with_the_notes(client, bristol_register, django_assert_max_num_queries):
    for n in range(1, 4):
        publish(DataUsePageFactory(parent=bristol_register), f"Change {n}.", day(n))
    client.get(reverse("recently_changed"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("recently_changed"))
    for n in range(4, 12):
        publish(DataUsePageFactory(parent=bristol_register), f"Change {n}.", day(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("recently_changed"))


class ChangeNoteFormTests(test_admin.EntryFormTestCase):
    """The data protection officer publishes (signs off) through the edit form."""

    def setUp(self):
        super().setUp()
        council = add_council("bristol", "Bristol City Council", short_name="Bristol", parent=self.home)
        self.client.logout()
        dpo = self.create_user("bristol-dpo", password="x")
        dpo.groups.add(council.groups["dpo"])
        self.client.force_login(dpo)
        self.entry = DataUsePageFactory(parent=self.register, slug="housing-repairs-chatbot", change_note="")
        self.entry.save_revision().publish()

    def publish_edit(self, **overrides):
        url = reverse("wagtailadmin_pages:edit", args=(self.entry.pk,))
        data = self.entry_data(slug="housing-repairs-chatbot", **overrides)
        return self.client.post(url, {**data, "action-publish": "action-publish"})

    def test_a_new_version_needs_a_change_note(self):
        response = self.publish_edit(retention="One year.", change_note="")
        assert response.status_code == 200
        assert "change_note" in response.context["form"].errors
        self.assertContains(response, "Say what changed in this version")
        assert DataUsePage.objects.get(pk=self.entry.pk).retention != "One year."

    def test_with_a_note_it_publishes_and_the_note_is_listed(self):
        response = self.publish_edit(retention="One year.", change_note="We now keep the data for one year.")
        assert response.status_code == 302, response.context["form"].errors
        assert [note.note for note in ChangeNote.objects.filter(entry=self.entry)] == [
            "We now keep the data for one year."
        ]

    def test_the_last_note_is_not_offered_again_for_the_next_version(self):
        self.publish_edit(change_note="We now keep the data for one year.")
        form = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.entry.pk,))).context["form"]
        assert form.initial["change_note"] == ""
        response = self.publish_edit(change_note="We now keep the data for one year.")
        assert "change_note" in response.context["form"].errors

    def test_the_first_publication_needs_no_note(self):
        self.client.force_login(self.create_superuser("boss", password="x"))
        response = self.post_new_entry(slug="new-entry", change_note="")
        assert response.status_code == 302
        assert DataUsePage.objects.get(slug="new-entry").live
