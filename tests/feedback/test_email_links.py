"""Links in emails use the addresses the install is configured with: the admin's (WAGTAILADMIN_BASE_URL) for
owners, the public site's (PUBLIC_BASE_URL, given to the default Wagtail Site) for residents."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from datauses.councils import use_public_address
from feedback.models import OwnerAnswer, ReplyContact
from feedback.notifications import tell_people_who_asked_for_a_reply
from tests.factories import FeedbackSubmissionFactory, started_token
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

ADDRESS = "https://register.example.gov.uk"


def default_site():
    return Site.objects.get(is_default_site=True)


@override_settings(WAGTAILADMIN_BASE_URL=ADDRESS)
@pytest.mark.parametrize(
    ("earlier", "subject", "link_text"),
    [(0, "New feedback on", "Read it and respond"), (4, "Several people are uncomfortable", "Read what they said")],
)
def test_owners_emails_link_into_the_admin_at_its_configured_address(
    client, world, owner, mailoutbox, earlier, subject, link_text
):
    cache.clear()  # the alert goes once an hour per entry
    entry = world["entries"]["cameras"]
    if earlier:
        give_feedback(entry, comfort="very_uncomfortable", n=earlier)
    response = client.post(f"/feedback/{entry.pk}/", {"started": started_token(entry), "comfort": "very_uncomfortable"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.subject.startswith(subject)
    assert f"{link_text}: {ADDRESS}/admin/feedback/inbox/?entry={entry.pk}\n" in message.body


def test_the_reply_to_a_resident_links_to_the_entry_on_the_public_site(world, mailoutbox):
    entry = world["entries"]["cameras"]
    with override_settings(PUBLIC_BASE_URL=ADDRESS):
        assert use_public_address()
    ReplyContact.objects.create(submission=FeedbackSubmissionFactory(entry=entry), email="resident@example.org")
    answer = OwnerAnswer.objects.create(entry=entry, you_said="Who sees it?", we_did="We listed everyone.")
    assert tell_people_who_asked_for_a_reply(answer) == 1
    [message] = mailoutbox
    path = entry.get_url_parts()[2]
    assert path.startswith("/") and path.rstrip("/").endswith(entry.slug)
    assert f"Read it on the register: {ADDRESS}{path}\n" in message.body


@pytest.mark.parametrize(
    ("address", "root_url"),
    [
        ("https://register.example.gov.uk", "https://register.example.gov.uk"),
        ("https://register.example.gov.uk/", "https://register.example.gov.uk"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_the_default_site_takes_the_public_address(world, address, root_url):
    with override_settings(PUBLIC_BASE_URL=address):
        assert use_public_address()
        assert default_site().root_url == root_url
        assert not use_public_address()  # already there: nothing changes


def test_add_council_gives_the_default_site_the_public_address(world):
    # wagtail-localize's migration makes this permission; a transactional test's flush of the database removes it.
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    with override_settings(PUBLIC_BASE_URL=ADDRESS):
        call_command("add_council", "bristol", "--name", "Bristol City Council", stdout=io.StringIO())
    assert default_site().root_url == ADDRESS


def test_without_a_public_address_the_site_is_left_as_it_is(world):
    before = default_site().root_url
    with override_settings(PUBLIC_BASE_URL=""):
        assert not use_public_address()
    assert default_site().root_url == before


def test_a_public_address_with_a_path_is_refused(world):
    with override_settings(PUBLIC_BASE_URL="https://example.gov.uk/register"), pytest.raises(ImproperlyConfigured):
        use_public_address()
