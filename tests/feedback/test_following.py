"""Residents follow an entry by email: double opt-in, emails about changes, answers and reviews in their own
language, one-click unsubscribe, and nothing personal on the cacheable entry page. Emails go to a real SMTP server
on loopback; tasks run at once here, and through the real queue and worker in the worker test."""

import datetime
import re
from email.header import decode_header, make_header

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale

from datauses.councils import use_public_address
from feedback import following, tasks
from feedback.models import Follower, OwnerAnswer, Review
from tests.factories import started_token, translate

pytestmark = pytest.mark.django_db

ADDRESS = "https://register.example.gov.uk"
LINK = re.compile(r"https?://[^\s/]+(/(?:cy/)?feedback/follow/(?:confirm|unsubscribe)/[\w-]+/)")


@pytest.fixture
def entry(world):
    return world["entries"]["cameras"]


def ask_to_follow(client, entry, email="resident@example.org", url=None, ip="192.0.2.1", **overrides):
    data = {"started": started_token(entry), "website": "", "email": email, **overrides}
    return client.post(url or f"/feedback/{entry.pk}/follow/", data, REMOTE_ADDR=ip)


def body(message):
    return message.get_payload(decode=True).decode()


def read_header(message, name):
    """A header as mail programs read it: long ones are folded onto more lines (RFC 5322), and words outside
    ASCII are encoded (RFC 2047)."""
    return " ".join(str(make_header(decode_header(message[name]))).split())


def links(message):
    """(confirm or unsubscribe path in the words, unsubscribe path in the List-Unsubscribe header)."""
    return LINK.findall(body(message)), LINK.findall(read_header(message, "List-Unsubscribe"))


def follower_of(entry, email="resident@example.org", language="en-gb", confirmed=True, **fields):
    return Follower.objects.create(
        entry=entry,
        email=email,
        language=language,
        token="token-" + email.split("@")[0].replace(".", "-"),
        confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )


def assert_no_cookie(response):
    assert not response.cookies
    assert "Set-Cookie" not in str(response.headers)


# ---- following and confirming ----------------------------------------------------------------------------------


def test_following_emails_a_confirm_link_and_only_the_button_on_its_page_confirms(client, entry, smtp):
    response = ask_to_follow(client, entry)
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{entry.pk}/follow/sent/"
    assert_no_cookie(response)
    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert "Check your email" in sent.content.decode()

    [(recipients, message)] = smtp.messages
    assert recipients == ["resident@example.org"]
    assert message["Subject"] == "Confirm that you want emails about 'Cameras'"
    follower = Follower.objects.get()
    assert follower.entry_id == entry.pk and follower.confirmed_at is None and follower.language == "en-gb"
    (confirm, unsubscribe), header = links(message)
    assert confirm == f"/feedback/follow/confirm/{follower.token}/"
    assert unsubscribe == header[0] == f"/feedback/follow/unsubscribe/{follower.token}/"
    assert read_header(message, "List-Unsubscribe") == f"<http://localhost{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Read the entry: http://localhost{entry.url}" in body(message)

    # Mail programs and link scanners open links by themselves: opening it changes nothing.
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Yes, send me emails" in page.content.decode()
    assert_no_cookie(page)
    follower.refresh_from_db()
    assert follower.confirmed_at is None

    confirmed = client.post(confirm)
    assert confirmed.status_code == 200
    html = confirmed.content.decode()
    assert "You are now following this entry" in html and "Cameras" in html
    assert_no_cookie(confirmed)
    follower.refresh_from_db()
    assert follower.confirmed_at is not None
    assert client.get(confirm).status_code == 200  # opening it again later still says so
    assert len(smtp.messages) == 1


def test_asking_again_looks_the_same_and_a_confirmed_follower_is_not_emailed_again(client, entry, smtp):
    ask_to_follow(client, entry)
    ask_to_follow(client, entry)  # the first email did not arrive: the same link again
    assert [links(message)[0][0] for _, message in smtp.messages] == [
        f"/feedback/follow/confirm/{Follower.objects.get().token}/"
    ] * 2

    follower = Follower.objects.get()
    following.confirm(follower)
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    Follower.objects.filter(pk=follower.pk).update(last_active_at=a_year_ago)
    response = ask_to_follow(client, entry)
    assert response["Location"] == f"/feedback/{entry.pk}/follow/sent/"
    assert len(smtp.messages) == 2
    follower.refresh_from_db()
    assert follower.last_active_at > a_year_ago  # asking again counts as activity


def test_the_address_is_kept_with_its_domain_in_lower_case(client, entry, smtp):
    ask_to_follow(client, entry, email="Resident@EXAMPLE.org")
    assert Follower.objects.get().email == "Resident@example.org"


def test_the_person_is_not_held_up_while_the_mail_server_is_down(client, entry, mail_server):
    response = ask_to_follow(client, entry)
    assert response.status_code == 302
    assert Follower.objects.filter(confirmed_at=None).count() == 1


# ---- what followers are told --------------------------------------------------------------------------------------


def test_a_new_version_with_a_change_note_emails_confirmed_followers_only_and_only_once(entry, smtp):
    follower_of(entry, "confirmed@example.org")
    follower_of(entry, "unconfirmed@example.org", confirmed=False)

    entry.save_revision().publish()  # no change note: a correction
    assert smtp.messages == []

    entry.change_note = "We now delete recordings after 7 days, not 31."
    entry.save_revision().publish()
    [(recipients, message)] = smtp.messages
    assert recipients == ["confirmed@example.org"]
    assert message["Subject"] == "'Cameras' has changed"
    text = body(message)
    assert "The council has published a new version of 'Cameras'." in text
    assert "What changed: We now delete recordings after 7 days, not 31." in text
    assert "/feedback/follow/unsubscribe/token-confirmed/" in text
    assert read_header(message, "List-Unsubscribe") == "<http://localhost/feedback/follow/unsubscribe/token-confirmed/>"

    entry.title = "Cameras in parks"
    entry.save_revision().publish()  # the same note as last time: nothing new to tell
    assert len(smtp.messages) == 1


def test_a_published_answer_tells_followers_what_people_said_and_what_the_council_did(entry, smtp):
    follower_of(entry)
    answer = OwnerAnswer.objects.create(
        entry=entry, you_said="Recordings are kept too long.", we_did="We now keep them for 7 days.", live=False
    )
    answer.save_revision().publish()
    [(_, message)] = smtp.messages
    assert message["Subject"] == "The council has answered feedback on 'Cameras'"
    text = body(message)
    assert "You said: Recordings are kept too long." in text
    assert "We did: We now keep them for 7 days." in text
    assert "We are considering this." in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_followers_hear_when_a_review_opens_and_how_it_ended(entry, smtp):
    follower_of(entry)
    review = Review.objects.create(entry=entry, reason=Review.Reason.UNCOMFORTABLE_RUN, opened_at=timezone.now())
    tasks.tell_followers.enqueue(entry.pk, following.REVIEW_OPENED, review.pk)
    tasks.tell_followers.enqueue(entry.pk, following.REVIEW_CLOSED, review.pk)  # still open: nothing to tell
    review.closed_at, review.outcome = timezone.now(), Review.Outcome.NEW_VERSION
    review.save()
    tasks.tell_followers.enqueue(entry.pk, following.REVIEW_CLOSED, review.pk)

    assert smtp.subjects() == ["The council is reviewing 'Cameras'", "The council has finished reviewing 'Cameras'"]
    assert "The council is reviewing this entry because of residents' feedback" in body(smtp.messages[0][1])
    assert "How it ended: The council published a new version of the entry." in body(smtp.messages[1][1])


def test_a_failure_part_way_is_tried_again_without_emailing_anyone_twice(entry, smtp):
    follower_of(entry, "a@example.org")
    follower_of(entry, "b@example.org")
    smtp.refuse = {"b@example.org"}
    review = Review.objects.create(entry=entry, reason=Review.Reason.UNCOMFORTABLE_RUN, opened_at=timezone.now())
    with pytest.raises(following.SendFailed) as failure:
        following.tell_followers(entry.pk, following.REVIEW_OPENED, review.pk)
    assert failure.value.sent_to == ["a@example.org"]
    smtp.refuse = set()
    assert following.tell_followers(entry.pk, following.REVIEW_OPENED, review.pk, already_told=["a@example.org"]) == 1
    assert [recipients for recipients, _ in smtp.messages] == [["a@example.org"], ["b@example.org"]]


# ---- unsubscribing ----------------------------------------------------------------------------------------------


def test_unsubscribing_from_the_link_in_an_email_deletes_the_address(client, entry, smtp):
    follower_of(entry)
    review = Review.objects.create(entry=entry, reason=Review.Reason.UNCOMFORTABLE_RUN, opened_at=timezone.now())
    following.tell_followers(entry.pk, following.REVIEW_OPENED, review.pk)
    [unsubscribe], _ = links(smtp.messages[0][1])

    page = client.get(unsubscribe)
    assert page.status_code == 200 and "Stop getting emails about this entry" in page.content.decode()
    assert Follower.objects.exists()  # opening the link changes nothing
    done = client.post(unsubscribe)
    assert done.status_code == 200
    assert "You have unsubscribed" in done.content.decode()
    assert_no_cookie(done)
    assert not Follower.objects.exists()
    again = client.get(unsubscribe)
    assert again.status_code == 200 and "You are not following this entry" in again.content.decode()


def test_one_click_unsubscribe_from_the_mail_program_deletes_the_address(client, entry, smtp):
    follower_of(entry)
    ask_to_follow(client, entry, email="new@example.org")  # the confirm email carries the header too
    [(_, message)] = smtp.messages
    unsubscribe = LINK.search(read_header(message, "List-Unsubscribe")).group(1)
    response = client.post(unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert_no_cookie(response)
    assert list(Follower.objects.values_list("email", flat=True)) == ["resident@example.org"]
    # The mail program may send it twice: still a polite 200.
    assert (
        client.post(
            unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )


# ---- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_confirm_link_is_a_polite_404(client, world, method):
    response = getattr(client, method)("/feedback/follow/confirm/not-a-real-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_confirm_link_older_than_a_week_has_expired_and_says_how_to_ask_again(client, entry):
    follower = follower_of(entry, confirmed=False, last_active_at=timezone.now() - datetime.timedelta(days=8))
    response = client.post(f"/feedback/follow/confirm/{follower.token}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert f'href="{entry.url}#follow"' in html
    follower.refresh_from_db()
    assert follower.confirmed_at is None


def test_an_unknown_unsubscribe_link_says_you_are_not_following(client, world):
    response = client.post("/feedback/follow/unsubscribe/not-a-real-token/")
    assert response.status_code == 200
    assert "You are not following this entry" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not an address", "Enter an email address in the correct format, like name@example.com"),
        ("", "Enter your email address"),
        ("a" * 250 + "@example.org", "Email address must be 254 characters or fewer"),
    ],
)
def test_a_bad_address_is_shown_again_with_the_problem_and_nothing_is_kept(client, entry, smtp, email, error):
    response = ask_to_follow(client, entry, email=email)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#follow-email">{error}</a>' in html
    assert "<title>Error:" in html
    assert_no_cookie(response)
    assert not Follower.objects.exists() and smtp.messages == []


@pytest.mark.parametrize("started", ["", "forged", None])
def test_a_missing_or_forged_start_time_asks_the_person_to_send_again(client, entry, started):
    data = {"email": "resident@example.org"}
    if started is not None:
        data["started"] = started
    response = client.post(f"/feedback/{entry.pk}/follow/", data)
    assert response.status_code == 400
    assert "Please check your email address, then send the form again." in response.content.decode()
    assert not Follower.objects.exists()


def test_the_honeypot_gets_the_same_page_but_nothing_is_kept_or_sent(client, entry, smtp):
    response = ask_to_follow(client, entry, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{entry.pk}/follow/sent/"
    assert not Follower.objects.exists() and smtp.messages == []


@override_settings(FEEDBACK_RATE_LIMIT=2)
def test_the_rate_limit_answers_429_and_keeps_the_address_typed(client, entry, smtp):
    for n in range(2):
        assert ask_to_follow(client, entry, email=f"person{n}@example.org").status_code == 302
    response = ask_to_follow(client, entry, email="person2@example.org")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again in an hour." in html
    assert 'value="person2@example.org"' in html
    assert Follower.objects.count() == 2
    assert ask_to_follow(client, entry, email="person2@example.org", ip="192.0.2.2").status_code == 302


def test_an_entry_that_is_not_published_cannot_be_followed(client, entry):
    entry.unpublish()
    assert ask_to_follow(client, entry).status_code == 404


def test_an_oversized_post_is_refused_politely(client, entry):
    response = ask_to_follow(client, entry, padding="x" * 20_000)
    assert response.status_code == 413
    assert "too long for us to accept" in response.content.decode()


# ---- languages and addresses -------------------------------------------------------------------------------------


def test_a_welsh_follower_gets_welsh_links_to_the_welsh_entry(client, entry, smtp, home_page, bristol_register):
    welsh = Locale.objects.create(language_code="cy")
    translate(home_page, welsh, title="Cofrestr Defnyddio Data")
    translate(bristol_register, welsh, title="Cofrestr Bryste")
    welsh_entry = translate(entry, welsh, title="Camerâu")
    response = ask_to_follow(client, welsh_entry, url=f"/cy/feedback/{welsh_entry.pk}/follow/")
    assert response["Location"] == f"/cy/feedback/{welsh_entry.pk}/follow/sent/"
    follower = Follower.objects.get()
    assert follower.entry_id == entry.pk  # the original: one list of followers whatever the language
    assert follower.language == "cy"

    [(_, message)] = smtp.messages
    assert "Camerâu" in read_header(message, "Subject")
    (confirm, unsubscribe), [header] = links(message)
    assert confirm == f"/cy/feedback/follow/confirm/{follower.token}/"
    assert unsubscribe == header == f"/cy/feedback/follow/unsubscribe/{follower.token}/"
    assert f"http://localhost{welsh_entry.url}" in body(message)
    assert client.post(confirm).status_code == 200

    review = Review.objects.create(entry=entry, reason=Review.Reason.UNCOMFORTABLE_RUN, opened_at=timezone.now())
    following.tell_followers(entry.pk, following.REVIEW_OPENED, review.pk)
    news = smtp.messages[1][1]
    assert "Camerâu" in read_header(news, "Subject")
    assert links(news)[1] == [f"/cy/feedback/follow/unsubscribe/{follower.token}/"]


def test_links_in_follower_emails_use_the_public_address(client, entry, smtp):
    with override_settings(PUBLIC_BASE_URL=ADDRESS):
        assert use_public_address()
        ask_to_follow(client, entry)
    text = body(smtp.messages[0][1])
    assert f"{ADDRESS}/feedback/follow/confirm/" in text
    assert f"Read the entry: {ADDRESS}{entry.get_url_parts()[2]}" in text
    assert read_header(smtp.messages[0][1], "List-Unsubscribe").startswith(f"<{ADDRESS}/feedback/follow/unsubscribe/")


# ---- the entry page stays cacheable -------------------------------------------------------------------------------


def test_the_followed_entry_page_has_the_form_and_nothing_personal(client, entry):
    follower_of(entry, "someone.private@example.org")
    response = client.get(entry.url)
    html = response.content.decode()
    assert "Get emails about this entry" in html
    assert f'action="/feedback/{entry.pk}/follow/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "someone.private@example.org" not in html and "token-someone" not in html
    assert_no_cookie(response)
