"""The public feedback forms: what is saved, every guard, redaction and the confirmation."""

import pytest
from django.conf import settings
from django.test import override_settings

from feedback import guards
from feedback.models import FeedbackSubmission, PageProblemReport, ReplyContact, State
from tests.factories import DataUsePageFactory, started_token

pytestmark = pytest.mark.django_db


def answers(entry, **overrides):
    data = {
        "started": started_token(entry),
        "website": "",
        "comfort": "fairly_uncomfortable",
        "trust": "partly",
        "conditions": ["oversight", "shorter_retention"],
        "comment": "I worry the photos are kept too long.",
        "email": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, entry, **overrides):
    address = overrides.pop("ip", "192.0.2.1")
    return client.post(f"/feedback/{entry.pk}/", answers(entry, **overrides), REMOTE_ADDR=address)


def test_entry_page_ends_with_the_feedback_forms_and_no_personal_token(client, entry):
    html = client.get(entry.url).content.decode()
    assert "Tell us what you think about this use of data" in html
    assert "How comfortable are you with the council using data in this way?" in html
    assert "Is something on this page wrong or unclear?" in html
    assert f'action="/feedback/{entry.pk}/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "https://www.example.org/your-data" in html  # data rights go to the council's own page


def test_feedback_is_saved_with_the_published_version_then_thanks(client, entry):
    response = post(client, entry, publish_consent="on", email="resident@example.com")
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{entry.pk}/thanks/"
    submission = FeedbackSubmission.objects.get()
    assert submission.entry_id == entry.pk
    assert submission.organisation_id == entry.organisation_id
    assert submission.revision_id == entry.live_revision_id
    assert submission.comfort == "fairly_uncomfortable"
    assert submission.trust == "partly"
    assert submission.conditions == ["oversight", "shorter_retention"]
    assert submission.publish_consent is True
    assert submission.state == State.NEW
    assert ReplyContact.objects.get(submission=submission).email == "resident@example.com"
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your views" in thanks and "What happens next" in thanks
    assert 'role="status"' in thanks


def test_only_comfort_is_required(client, entry):
    response = post(client, entry, trust="", conditions=[], comment="")
    assert response.status_code == 302
    assert FeedbackSubmission.objects.get().comment == ""


def test_missing_comfort_shows_the_error_summary_and_keeps_what_was_typed(client, entry):
    response = post(client, entry, comfort="", comment="Keep this text please.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#feedback-comfort_0"' in html
    assert "Select how comfortable you are with the council using data in this way" in html
    assert "Keep this text please." in html
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comfort", "delighted", "Select a valid choice"),
        ("trust", "maybe", "Select yes, partly, no or not sure"),
        ("conditions", ["free_cake"], "Select only the options shown"),
        ("conditions", ["nothing", "oversight"], "Select &#x27;Nothing would&#x27; on its own"),
        ("comment", "x" * 1201, "must be 1200 characters or fewer"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
    ],
)
def test_bad_answers_are_refused_politely(client, entry, field, value, message):
    response = post(client, entry, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FeedbackSubmission.objects.exists()


def test_honeypot_gets_thanks_but_nothing_is_kept(client, entry):
    response = post(client, entry, website="http://spam.example")
    assert response.status_code == 302
    assert not FeedbackSubmission.objects.exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "Please check your answers, then send the form again."),
        ("", "Please check your answers, then send the form again."),
        ("forged", "Please check your answers, then send the form again."),
        ("seconds-ago", "You sent the form very quickly, so we could not tell it came from a person."),
    ],
)
@override_settings(FEEDBACK_MIN_SECONDS_TO_FILL=3)
def test_too_fast_or_forged_start_time_is_stopped_without_losing_answers(client, entry, token, message):
    value = started_token(entry, seconds_ago=0) if token == "seconds-ago" else token
    response = post(client, entry, started=value, comment="My words stay here.")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "My words stay here." in html
    assert 'value="fairly_uncomfortable" checked' in html
    assert not FeedbackSubmission.objects.exists()


def test_identical_answers_within_five_minutes_count_once(client, entry):
    post(client, entry)
    post(client, entry)
    assert FeedbackSubmission.objects.count() == 1
    post(client, entry, comment="Something different.")
    assert FeedbackSubmission.objects.count() == 2
    post(client, entry, ip="198.51.100.7")  # someone else with the same answers counts
    assert FeedbackSubmission.objects.count() == 3


def test_rate_limit_answers_429_and_keeps_what_was_typed(client, entry):
    for n in range(settings.FEEDBACK_RATE_LIMIT):
        assert post(client, entry, comment=f"Comment {n}").status_code == 302
    response = post(client, entry, comment="One too many, but I typed it.")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again in an hour" in html
    assert "One too many, but I typed it." in html
    assert FeedbackSubmission.objects.count() == settings.FEEDBACK_RATE_LIMIT
    # Another person is not affected.
    assert post(client, entry, ip="203.0.113.9").status_code == 302


def test_rate_limit_never_keeps_the_raw_address(entry, rf):
    request = rf.post("/", REMOTE_ADDR="192.0.2.55")
    key = guards.client_key(request)
    assert "192.0.2.55" not in key and len(key) == 64


def test_oversized_request_is_refused_with_413(client, entry):
    response = client.post(
        f"/feedback/{entry.pk}/", answers(entry, comment="x" * (guards.MAX_BODY_BYTES + 10)), REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 413
    assert "too long for us to accept" in response.content.decode()


def test_html_is_never_stored(client, entry):
    post(client, entry, comment='<script>alert("x")</script><b>Bold</b> worry')
    assert FeedbackSubmission.objects.get().comment == 'alert("x")Bold worry'


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Email me at jo.bloggs+x@example.co.uk please", "Email me at [email address removed] please"),
        ("Ring 07700 900123 or 0117 496 0000", "Ring [phone number removed] or [phone number removed]"),
        ("Call +44 7700 900123", "Call [phone number removed]"),
        ("I live at BS1 5TR near the park", "I live at [postcode removed] near the park"),
        ("My NI is QQ 12 34 56 C", "My NI is [National Insurance number removed]"),
        ("Card 4111 1111 1111 1111 was used", "Card [card number removed] was used"),
        ("Reference 1234 5678 9012 3456 is not a card", "Reference 1234 5678 9012 3456 is not a card"),
        ("Ring (0117) 496 0123 after six", "Ring [phone number removed] after six"),
        ("Write to jane dot doe at example dot com", "Write to [email address removed]"),
        ("DU-BRS-0012 was updated on 01/02/2024 at 10:30", "DU-BRS-0012 was updated on 01/02/2024 at 10:30"),
    ],
)
def test_personal_details_are_removed_before_saving_and_flagged(client, entry, typed, kept):
    post(client, entry, comment=typed)
    submission = FeedbackSubmission.objects.get()
    assert submission.comment == kept
    assert submission.flagged_personal_data is (typed != kept)
    assert submission.state == (State.FLAGGED if typed != kept else State.NEW)


def test_feedback_on_an_unpublished_or_missing_entry_is_404(client, bristol_register):
    draft = DataUsePageFactory(parent=bristol_register, live=False)
    assert client.post(f"/feedback/{draft.pk}/", answers(draft)).status_code == 404
    assert client.post("/feedback/999999/", answers(999999)).status_code == 404
    assert client.get("/feedback/999999/thanks/").status_code == 404


def test_page_problem_report_goes_to_its_own_list_not_sentiment(client, entry):
    response = client.post(
        f"/feedback/{entry.pk}/problem/",
        {
            "started": started_token(entry),
            "kind": "unclear",
            "details": "The retention part is confusing. Call 07700 900123.",
        },
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302
    report = PageProblemReport.objects.get()
    assert report.kind == "unclear"
    assert report.details == "The retention part is confusing. Call [phone number removed]."
    assert report.flagged_personal_data
    assert not FeedbackSubmission.objects.exists()
    assert "Thank you for telling us" in client.get(response["Location"]).content.decode()


def test_page_problem_report_needs_a_kind(client, entry):
    response = client.post(f"/feedback/{entry.pk}/problem/", {"started": started_token(entry), "details": "Hmm"})
    assert response.status_code == 400
    assert "Select what the problem is" in response.content.decode()


def test_get_shows_the_form_on_its_own_page(client, entry):
    response = client.get(f"/feedback/{entry.pk}/")
    assert response.status_code == 200
    assert "Send your views" in response.content.decode()


@override_settings(LANGUAGE_CODE="en-gb")
def test_a_feedback_submission_is_saved_before_the_confirmation(client, entry):
    response = post(client, entry)
    assert FeedbackSubmission.objects.count() == 1
    assert response.status_code == 302


def test_abusive_comment_is_flagged_for_a_person_to_check(client, entry):
    post(client, entry, comment="You bastards never listen")
    submission = FeedbackSubmission.objects.get()
    assert submission.flagged_abuse and submission.state == State.FLAGGED
