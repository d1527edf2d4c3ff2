"""`python manage.py add_council`: a council in one step, idempotent, with role groups that reach only it."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page

from datauses.models import Organisation, RegisterPage, ServiceOwnerTeam
from feedback.models import FeedbackSubmission
from feedback.permissions import visible_to
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


def add(slug, name, short_name, prefix, *extra):
    call_command("add_council", slug, "--name", name, "--short-name", short_name, "--reference-prefix", prefix, *extra)


def counts():
    return (
        Organisation.objects.count(),
        Page.objects.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        ServiceOwnerTeam.objects.count(),
        sorted(Group.objects.values_list("name", "permissions__codename")),
    )


@pytest.fixture
def councils(home_page):
    add("york", "City of York Council", "York", "YRK", "--language", "cy", "--team", "Parking team")
    add("hull", "Hull City Council", "Hull", "HUL", "--language", "cy", "--team", "Waste team")
    york = RegisterPage.objects.get(organisation__slug="york", locale=Locale.get_default())
    hull = RegisterPage.objects.get(organisation__slug="hull", locale=Locale.get_default())
    return york, hull


def member(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_add_council_creates_the_council_register_welsh_copy_and_groups(councils, capsys):
    york, _hull = councils
    organisation = Organisation.objects.get(slug="york")
    assert (organisation.name, organisation.short_name, organisation.reference_prefix) == (
        "City of York Council",
        "York",
        "YRK",
    )
    assert york.live and york.get_parent().specific_class.__name__ == "HomePage"
    welsh = york.get_translation(Locale.objects.get(language_code="cy"))
    assert welsh.alias_of_id == york.pk  # shown in English with a note until someone translates it
    assert set(Group.objects.filter(name__startswith="York").values_list("name", flat=True)) == {
        "York editors",
        "York translators",
        "York data protection officers",
        "York: Parking team",
    }
    assert ServiceOwnerTeam.objects.get(name="Parking team").group.name == "York: Parking team"


def test_running_add_council_again_changes_nothing(councils, capsys):
    before = counts()
    add("york", "City of York Council", "York", "YRK", "--language", "cy", "--team", "Parking team")
    assert counts() == before
    assert "already set up; nothing changed" in capsys.readouterr().out


def test_a_council_that_offers_only_english_gets_no_welsh_copy(home_page):
    add("hull", "Hull City Council", "Hull", "HUL", "--language", "en-gb")
    register = RegisterPage.objects.get(organisation__slug="hull")
    assert not register.get_translations().exists()


def test_bad_details_are_refused_with_a_message_and_nothing_is_saved(home_page):
    before = counts()
    with pytest.raises(CommandError, match="two to five capital letters"):
        add("york", "City of York Council", "York", "Y1")
    with pytest.raises(CommandError, match="does not offer xx"):
        add("york", "City of York Council", "York", "YRK", "--language", "xx")
    assert counts() == before


def test_editors_write_submit_and_read_feedback_for_their_council_only(councils, client, django_user_model):
    york, hull = councils
    editor = member(django_user_model, "york-editor", "York editors")
    york_entry = DataUsePageFactory(parent=york, title="Cameras in York")
    hull_entry = DataUsePageFactory(parent=hull, title="Cameras in Hull")
    assert york.permissions_for_user(editor).can_add_subpage()
    assert not york_entry.permissions_for_user(editor).can_publish()  # the data protection officer signs off
    assert york_entry.get_workflow().name == "York sign-off"
    assert not hull.permissions_for_user(editor).can_add_subpage()
    assert not hull_entry.permissions_for_user(editor).can_edit()
    assert editor.has_perm("datauses.add_sharingpartner") and not editor.has_perm("datauses.change_datacategory")

    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[york_entry.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[hull_entry.pk])).status_code in (302, 403)
    FeedbackSubmissionFactory(entry=york_entry, comment="About York")
    FeedbackSubmissionFactory(entry=hull_entry, comment="About Hull")
    seen = visible_to(editor, FeedbackSubmission.objects.all())
    assert list(seen.values_list("comment", flat=True)) == ["About York"]
    inbox = client.get(reverse("feedback_inbox:index")).content.decode()
    assert "About York" in inbox and "About Hull" not in inbox


def test_translators_edit_only_their_councils_welsh_pages_and_see_no_feedback(councils, django_user_model):
    york, hull = councils
    translator = member(django_user_model, "york-translator", "York translators")
    welsh = Locale.objects.get(language_code="cy")
    assert york.get_translation(welsh).permissions_for_user(translator).can_edit()
    assert not york.permissions_for_user(translator).can_edit()
    assert not hull.get_translation(welsh).permissions_for_user(translator).can_edit()
    assert translator.has_perm("wagtail_localize.submit_translation")
    entry = DataUsePageFactory(parent=york, title="Cameras")
    FeedbackSubmissionFactory(entry=entry, comment="About York")
    assert not visible_to(translator, FeedbackSubmission.objects.all()).exists()


def test_data_protection_officers_sign_off_their_councils_entries_only(councils, django_user_model):
    york, hull = councils
    dpo = member(django_user_model, "york-dpo", "York data protection officers")
    york_entry = DataUsePageFactory(parent=york, title="Cameras")
    hull_entry = DataUsePageFactory(parent=hull, title="Bins")
    assert york_entry.permissions_for_user(dpo).can_publish()
    assert not york.permissions_for_user(dpo).can_add_subpage()
    assert not hull_entry.permissions_for_user(dpo).can_publish()


def test_service_owners_see_their_teams_feedback_and_edit_no_pages(councils, django_user_model):
    york, _hull = councils
    owner = member(django_user_model, "parking-owner", "York: Parking team")
    team = ServiceOwnerTeam.objects.get(name="Parking team")
    ours = DataUsePageFactory(parent=york, title="Parking permits", owner_team=team)
    theirs = DataUsePageFactory(parent=york, title="Libraries")
    FeedbackSubmissionFactory(entry=ours, comment="About parking")
    FeedbackSubmissionFactory(entry=theirs, comment="About libraries")
    assert list(visible_to(owner, FeedbackSubmission.objects.all()).values_list("comment", flat=True)) == [
        "About parking"
    ]
    assert not ours.permissions_for_user(owner).can_edit()
    assert owner.has_perm("wagtailadmin.access_admin")
