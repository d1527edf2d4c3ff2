"""Nothing unpublished or personal leaves through any open data endpoint, download, feed or versions page: secrets
are planted where staff and residents keep them (a draft, a draft change to a live entry, a private entry,
feedback, reply and follower addresses, a private reply, an unpublished answer, staff accounts), then every
open endpoint is read in both languages and searched for them. One module: the demo loads once."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, PageViewRestriction

from datauses.models import DataUsePage, Organisation, RegisterPage
from feedback.models import FeedbackSubmission, Follower, OwnerAnswer, PrivateReply, ReplyContact
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "draft entry": "Zqdraftentry never published",
    "draft change": "Zqdraftchange to a live entry",
    "private entry": "Zqprivateentry behind a login",
    "feedback comment": "Zqfeedbackcomment from a resident",
    "reply address": "zqreply.resident@example.com",
    "follower address": "zqfollower@example.com",
    "private reply": "Zqprivatereply sent to one person",
    "unpublished answer": "Zqunpublishedanswer still a draft",
    "staff address": "zqstaff.member@example.gov.uk",
    "staff name": "Zqstaffname",
}


@pytest.fixture
def planted(demo):
    entry = (
        DataUsePage.objects.live().public().filter(locale=Locale.get_default(), alias_of__isnull=True).order_by("pk")
    ).first()
    register = RegisterPage.objects.get(organisation=entry.organisation, locale=entry.locale)
    DataUsePageFactory(parent=register, organisation=entry.organisation, title=SECRETS["draft entry"], live=False)
    private = DataUsePageFactory(parent=register, organisation=entry.organisation, title=SECRETS["private entry"])
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = DataUsePage.objects.get(pk=entry.pk)
    draft.summary = SECRETS["draft change"]
    draft.change_note = SECRETS["draft change"]
    draft.save_revision()
    submission = FeedbackSubmission.objects.create(
        entry=entry,
        organisation=entry.organisation,
        comfort="very_uncomfortable",
        comment=SECRETS["feedback comment"],
        dedupe_key="planted-secret",
    )
    ReplyContact.objects.create(submission=submission, email=SECRETS["reply address"])
    PrivateReply.objects.create(submission=submission, body=SECRETS["private reply"])
    Follower.objects.create(entry=entry, email=SECRETS["follower address"], token="planted-token")
    answer = OwnerAnswer(entry=entry, submission=submission, you_said=SECRETS["unpublished answer"], we_did="Draft.")
    answer.live = False
    answer.save()
    answer.save_revision()
    get_user_model().objects.create_user(
        username="zqstaff", email=SECRETS["staff address"], first_name=SECRETS["staff name"], password="x"
    )
    Organisation.objects.update(publish_feedback_counts=True)
    return entry


def open_addresses(client, entry):
    """Every open data address there is, in English and Welsh."""
    addresses = [
        "/open-data/",
        "/open-data/register.csv",
        "/open-data/register.json",
        "/open-data/register-history.csv",
        "/open-data/register-history.json",
        "/open-data/feedback.csv",
        "/open-data/feedback.json",
        "/api/v1/councils/",
        "/api/v1/taxonomies/",
        "/api/v1/openapi.json",
        "/api/v1/entries/?page_size=200",
        "/recently-changed/feed/",
        "/you-said-we-did/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/recently-changed/",
        "/you-said-we-did/",
    ]
    for organisation in Organisation.objects.filter(locale=Locale.get_default()):
        addresses += [
            f"/open-data/register.csv?council={organisation.slug}",
            f"/open-data/register-history.json?council={organisation.slug}",
            f"/recently-changed/{organisation.slug}/feed/",
            f"/you-said-we-did/{organisation.slug}/feed/",
        ]
    for reference in DataUsePage.objects.filter(locale=Locale.get_default()).values_list("reference", flat=True):
        addresses += [
            f"/open-data/entries/{reference}.json",
            f"/api/v1/entries/{reference}/",
            f"/entries/{reference}/versions/",
            f"/entries/{reference}/versions/?from=1&to=99",
        ]
    return addresses + [f"/cy{address}" for address in addresses]


def test_no_open_endpoint_gives_away_anything_unpublished_or_personal(client, planted):
    read = 0
    for address in open_addresses(client, planted):
        response = client.get(address)
        assert response.status_code in (200, 404), address
        if response.status_code == 404:
            continue
        read += 1
        text = response.content.decode("utf-8")
        for what, secret in SECRETS.items():
            assert secret.lower() not in text.lower(), f"{what} in {address}"
        assert "zq" not in text.lower(), address
        if address.endswith(".json") or "/api/" in address:
            json.loads(text)
        # No email addresses but the site's own contact and team inboxes, which entry pages publish anyway.
        for found in re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]+", text):
            assert not found.startswith("zq"), (found, address)
    assert read > 100
