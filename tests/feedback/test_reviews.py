"""A run of negative feedback opens a review of the entry (on a fixed clock): the owner team and comms officers are
emailed through a real mail server by the worker, the public entry says it is under review, and the review ends
with a published answer or a new version. Both ends are in the entry's history."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, PageLogEntry, Revision
from wagtail.users.models import UserProfile

from datauses.models import DataUsePage
from feedback import reviews, tasks
from feedback.models import OwnerAnswer, Review, ReviewRule, State
from feedback.notifications import SendFailed
from tests.factories import FeedbackSubmissionFactory, fresh, translate
from tests.feedback.conftest import admin_group
from tests.feedback.test_answers import ANSWERS, answer_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
UNDER_REVIEW = "Under review because of residents' feedback"


def say(entry, comfort, n=1, when=NOW, **fields):
    """n responses on the entry, given at ``when``."""
    return FeedbackSubmissionFactory.create_batch(n, entry=entry, comfort=comfort, created_at=when, **fields)


def publish_version(entry, published):
    """Publish a new version of the entry, dated ``published``; the entry as it now is, and the version."""
    revision = fresh(entry).save_revision()
    revision.publish()
    Revision.objects.filter(pk=revision.pk).update(created_at=published)
    return DataUsePage.objects.get(pk=entry.pk), revision


def logged(entry, action):
    return list(PageLogEntry.objects.filter(page_id=entry.pk, action=action).order_by("timestamp", "pk"))


# ---- rule A: a run of 'uncomfortable' answers ------------------------------------------------------------------


def test_ten_uncomfortable_answers_within_thirty_days_open_a_review(cameras):
    say(cameras, "very_uncomfortable", 5, when=NOW - 29 * DAY)  # 3 November
    say(cameras, "fairly_uncomfortable", 5, when=NOW)

    review = reviews.open_if_needed(cameras, now=NOW)

    assert review.reason == Review.Reason.UNCOMFORTABLE_RUN
    assert review.opened_at == NOW and review.is_open
    assert review.detail == "10 people said they were uncomfortable between 3 November and 2 December 2026."
    assert reviews.open_review(cameras) == review
    [opened] = logged(cameras, reviews.OPENED)
    assert opened.timestamp == NOW
    assert opened.data == {
        "review": review.pk,
        "reason": "uncomfortable_run",
        "uncomfortable": 10,
        "first": "2026-11-03",
        "last": "2026-12-02",
    }


def test_only_uncomfortable_answers_counted_within_the_window_open_one(cameras):
    say(cameras, "very_uncomfortable", 9, when=NOW - 2 * DAY)
    say(cameras, "very_comfortable", 5)
    say(cameras, "not_sure", 5)
    say(cameras, "very_uncomfortable", 3, state=State.SPAM)  # hidden as spam
    say(cameras, "very_uncomfortable", 3, when=NOW - 30 * DAY)  # just outside the 30 days
    say(cameras, "very_uncomfortable", 3, when=NOW + datetime.timedelta(minutes=1))  # after the clock

    assert reviews.open_if_needed(cameras, now=NOW) is None
    assert not Review.objects.exists()
    assert logged(cameras, reviews.OPENED) == []

    say(cameras, "fairly_uncomfortable", when=NOW)
    review = reviews.open_if_needed(cameras, now=NOW)
    assert review.detail == "10 people said they were uncomfortable between 30 November and 2 December 2026."


def test_on_one_day_the_detail_names_the_day(cameras):
    say(cameras, "very_uncomfortable", 12, when=NOW - datetime.timedelta(hours=2))
    review = reviews.open_if_needed(cameras, now=NOW)
    assert review.detail == "12 people said they were uncomfortable on 2 December 2026."


def test_a_team_sets_its_own_rule_and_entries_without_a_team_use_the_defaults(world, cameras):
    ReviewRule.objects.create(team=cameras.owner_team, uncomfortable_count=3, window_days=7, net_score_drop=0)
    say(cameras, "very_uncomfortable", 3, when=NOW - 8 * DAY)
    assert reviews.open_if_needed(cameras, now=NOW) is None
    say(cameras, "very_uncomfortable", 3, when=NOW - 6 * DAY)
    assert reviews.open_if_needed(cameras, now=NOW).detail == (
        "3 people said they were uncomfortable on 26 November 2026."
    )

    chatbot = world["feedback"]["chatbot"].entry  # no owner team
    say(chatbot, "very_uncomfortable", 9, when=NOW - DAY)
    assert reviews.open_if_needed(chatbot, now=NOW) is None
    say(chatbot, "very_uncomfortable", 1, when=NOW - DAY)
    assert reviews.open_if_needed(chatbot, now=NOW).entry == chatbot


def test_no_second_review_while_one_is_open(cameras):
    say(cameras, "very_uncomfortable", 10, when=NOW - DAY)
    first = reviews.open_if_needed(cameras, now=NOW - DAY)
    say(cameras, "very_uncomfortable", 20)
    assert reviews.open_if_needed(cameras, now=NOW) is None
    assert list(Review.objects.all()) == [first]


def test_after_a_review_closes_only_a_new_run_opens_another(cameras):
    say(cameras, "very_uncomfortable", 10, when=NOW - 5 * DAY)
    first = reviews.open_if_needed(cameras, now=NOW - 5 * DAY)
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Too many cameras", we_did="We took two down.")
    assert reviews.close_for_answer(answer, now=NOW - 3 * DAY) == first

    # The same ten people, still within 30 days, do not open it again.
    assert reviews.open_if_needed(cameras, now=NOW) is None
    say(cameras, "very_uncomfortable", 9, when=NOW - 2 * DAY)
    assert reviews.open_if_needed(cameras, now=NOW) is None
    say(cameras, "very_uncomfortable", 1, when=NOW)
    second = reviews.open_if_needed(cameras, now=NOW)
    assert second.detail == "10 people said they were uncomfortable between 30 November and 2 December 2026."
    assert [r.pk for r in Review.objects.order_by("opened_at")] == [first.pk, second.pk]


# ---- rule B: the net comfort score fell between two published versions --------------------------------------------


def with_versions(entry, before, after):
    """Two published versions with a version between them nobody answered on, and responses on each:
    ``before`` and ``after`` are lists of (comfort, n)."""
    entry, v1 = publish_version(entry, datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC))
    for comfort, n in before:
        say(entry, comfort, n, when=NOW - 40 * DAY, revision=v1)
    publish_version(entry, datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC))
    entry, v2 = publish_version(entry, datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC))
    for comfort, n in after:
        say(entry, comfort, n, when=NOW - DAY, revision=v2)
    return entry, v1, v2


def test_a_fall_in_the_net_comfort_score_after_a_new_version_opens_a_review(cameras):
    entry, v1, v2 = with_versions(
        cameras,
        before=[("very_comfortable", 5), ("not_sure", 5)],  # net 50
        after=[("fairly_comfortable", 2), ("not_sure", 6), ("very_uncomfortable", 2)],  # net 0
    )
    review = reviews.open_if_needed(entry, now=NOW)
    assert review.reason == Review.Reason.SCORE_FELL
    assert review.detail == (
        "The net comfort score fell from 50 on the version published on 1 October 2026 to 0 on the version "
        "published on 1 November 2026."
    )
    [opened] = logged(entry, reviews.OPENED)
    assert opened.data["versions"] == [v1.pk, v2.pk]


@pytest.mark.parametrize(
    "after, rule",
    [
        ([("fairly_comfortable", 3), ("not_sure", 7)], None),  # net 30: a fall of 20
        ([("not_sure", 9)], None),  # a fall of 50, but only 9 responses
        ([("not_sure", 10)], 0),  # the team turned the score rule off
        ([("not_sure", 10)], 60),  # the team's rule wants a bigger fall
    ],
)
def test_a_small_fall_too_few_responses_or_a_rule_turned_off_open_nothing(cameras, after, rule):
    if rule is not None:
        ReviewRule.objects.create(team=cameras.owner_team, net_score_drop=rule)
    entry, _v1, _v2 = with_versions(cameras, before=[("very_comfortable", 5), ("not_sure", 5)], after=after)
    assert reviews.open_if_needed(entry, now=NOW) is None


def test_a_pair_of_versions_is_reviewed_once_and_a_new_version_is_compared_afresh(cameras):
    entry, _v1, v2 = with_versions(
        cameras, before=[("very_comfortable", 5), ("not_sure", 5)], after=[("not_sure", 10)]
    )  # 50 -> 0
    first = reviews.open_if_needed(entry, now=NOW - DAY)
    answer = OwnerAnswer.objects.create(entry=entry, you_said="Worse", we_did="We explained it better.")
    reviews.close_for_answer(answer, now=NOW - DAY)
    assert reviews.open_if_needed(entry, now=NOW) is None  # still 50 -> 0 on the same two versions

    entry, v3 = publish_version(entry, datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))
    say(entry, "not_sure", 7, revision=v3)
    say(entry, "fairly_uncomfortable", 3, revision=v3)  # net -30
    second = reviews.open_if_needed(entry, now=NOW)
    assert second.reason == Review.Reason.SCORE_FELL and second != first
    assert logged(entry, reviews.OPENED)[-1].data["versions"] == [v2.pk, v3.pk]


def test_both_rules_at_once_open_one_review_that_says_both(cameras):
    entry, v1, v2 = with_versions(
        cameras, before=[("very_comfortable", 10)], after=[("very_uncomfortable", 10)]
    )  # 100 -> -100
    review = reviews.open_if_needed(entry, now=NOW)
    assert review.reason == Review.Reason.UNCOMFORTABLE_RUN
    assert review.detail == (
        "10 people said they were uncomfortable on 1 December 2026. The net comfort score fell from 100 on the "
        "version published on 1 October 2026 to -100 on the version published on 1 November 2026."
    )
    assert logged(entry, reviews.OPENED)[0].data["versions"] == [v1.pk, v2.pk]
    answer = OwnerAnswer.objects.create(entry=entry, you_said="No", we_did="We listened.")
    reviews.close_for_answer(answer, now=NOW)
    # That run and that pair of versions were both reviewed.
    assert reviews.open_if_needed(entry, now=NOW + DAY) is None


# ---- the end of a review -----------------------------------------------------------------------------------------


@pytest.fixture
def under_review(cameras):
    say(cameras, "very_uncomfortable", 10, when=NOW - DAY)
    return reviews.open_if_needed(cameras, now=NOW)


def test_the_entry_page_says_it_is_under_review_until_an_answer_is_published(client, world, cameras, under_review):
    assert UNDER_REVIEW not in client.get(world["entries"]["sensors"].url).content.decode()
    html = client.get(cameras.url).content.decode()
    assert UNDER_REVIEW in html
    assert "Since 2 December 2026 the council has been looking again at this use of data" in html
    assert "10 people" not in html  # what the notice says is plain and the same for everyone

    client.force_login(world["users"]["owner"])
    response = client.post(f"{ANSWERS}add/", {**answer_data(cameras), "action-publish": "action-publish"})
    assert response.status_code == 302

    review = Review.objects.get()
    answer = OwnerAnswer.objects.get()
    assert not review.is_open
    assert review.outcome == Review.Outcome.ANSWERED and review.answer == answer
    [closed] = logged(cameras, reviews.CLOSED)
    assert closed.user == world["users"]["owner"]
    assert closed.data == {"review": review.pk, "outcome": "answered", "opened": "2026-12-02", "answer": answer.pk}
    client.logout()
    assert UNDER_REVIEW not in client.get(cameras.url).content.decode()


def test_a_draft_answer_does_not_end_the_review(client, world, cameras, under_review):
    client.force_login(world["users"]["owner"])
    client.post(f"{ANSWERS}add/", answer_data(cameras))
    assert Review.objects.get().is_open


def test_a_comms_officer_publishing_a_new_version_ends_the_review(client, world, cameras, under_review):
    draft = fresh(cameras).save_revision(user=world["users"]["comms"])
    client.force_login(world["users"]["comms"])

    response = client.post(
        reverse("wagtailadmin_api:pages:action", args=[cameras.pk, "publish"]), {}, content_type="application/json"
    )

    assert response.status_code == 200
    review = Review.objects.get()
    assert review.outcome == Review.Outcome.NEW_VERSION and not review.is_open and review.answer is None
    [closed] = logged(cameras, reviews.CLOSED)
    assert closed.user == world["users"]["comms"] and closed.revision_id == draft.pk
    assert UNDER_REVIEW not in client.get(cameras.url).content.decode()


def test_another_councils_staff_cannot_end_it(client, world, cameras, under_review, leeds_register, django_user_model):
    leeds_editors = admin_group("Leeds editors")
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=leeds_editors, page=leeds_register, permission=Permission.objects.get(codename=codename)
        )
    leeds = django_user_model.objects.create_user("leeds", password="x")
    leeds.groups.add(leeds_editors)
    client.force_login(leeds)
    client.post(f"{ANSWERS}add/", {**answer_data(cameras), "action-publish": "action-publish"})
    fresh(cameras).save_revision(user=leeds)
    client.post(
        reverse("wagtailadmin_api:pages:action", args=[cameras.pk, "publish"]), {}, content_type="application/json"
    )
    assert Review.objects.get().is_open
    assert logged(cameras, reviews.CLOSED) == []


def test_nothing_to_close_when_no_review_is_open(cameras):
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Fine", we_did="Thanks.")
    assert reviews.close_for_answer(answer) is None
    assert reviews.close_for_new_version(cameras, None) is None
    assert logged(cameras, reviews.CLOSED) == []


def test_the_entry_history_shows_the_review_and_its_outcome(client, world, cameras, under_review):
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Too long", we_did="Shorter now.")
    reviews.close_for_answer(answer, now=NOW + 3 * DAY)
    client.force_login(world["users"]["comms"])

    html = client.get(reverse("wagtailadmin_pages:history", args=[cameras.pk])).content.decode()

    assert "Review opened by residents&#x27; feedback" in html
    assert (
        "Under review because of residents&#x27; feedback. 10 people said they were uncomfortable on 1 December 2026."
        in html
    )
    assert "Review closed" in html
    assert "The review opened on 2 December 2026 ended: the council published an answer." in html


# ---- telling the staff -------------------------------------------------------------------------------------------


def body(message):
    return message.get_payload(decode=True).decode()


def test_the_worker_task_emails_the_owner_team_and_comms_officers_one_message_each(client, smtp, staff, cameras, owner):
    say(cameras, "very_uncomfortable", 10, when=NOW - DAY)

    review = tasks.open_review_if_needed(cameras, now=NOW)  # queues tell_staff_about_review (run at once in tests)

    assert [recipients for recipients, _message in smtp.messages] == [
        ["both@example.org"],
        ["comms@example.org"],
        ["owner@example.org"],
    ]
    assert set(smtp.subjects()) == {"Residents' feedback has opened a review of 'Cameras'"}
    text = body(smtp.messages[0][1])
    assert f"Residents' feedback has opened a review of 'Cameras ({cameras.reference})'." in text
    assert (
        "Many people said they were uncomfortable: 10 people said they were uncomfortable on 1 December 2026." in text
    )
    assert f"http://testserver/admin/feedback/sentiment/entry/{cameras.pk}/" in text
    assert f"http://testserver/admin/feedback/answers/add/?entry={cameras.pk}" in text
    assert review.is_open
    # The link opens the answer form with the entry chosen.
    client.force_login(owner)
    form = client.get(f"/admin/feedback/answers/add/?entry={cameras.pk}").content.decode()
    assert f'<option value="{cameras.pk}" selected>' in form


def test_each_person_is_told_in_the_language_they_chose_for_the_admin(smtp, staff, cameras, owner):
    UserProfile.objects.create(user=owner, preferred_language="cy")
    say(cameras, "very_uncomfortable", 10, when=NOW - DAY)
    review = reviews.open_if_needed(cameras, now=NOW)

    assert reviews.tell_staff(review) == 3

    emails = {recipients[0]: body(message) for recipients, message in smtp.messages}
    assert "1 Rhagfyr 2026" in emails["owner@example.org"]  # the facts are worded for each reader
    assert "1 December 2026" in emails["comms@example.org"]
    assert review.detail.endswith("on 1 December 2026.")  # kept in the site's language


def test_when_the_mail_server_fails_part_way_a_retry_tells_only_the_others(smtp, staff, cameras):
    say(cameras, "very_uncomfortable", 10, when=NOW - DAY)
    review = reviews.open_if_needed(cameras, now=NOW)
    smtp.refuse = {"comms@example.org"}

    with pytest.raises(SendFailed) as failure:
        reviews.tell_staff(review)
    assert failure.value.sent_to == ["both@example.org"]

    smtp.refuse = set()
    assert reviews.tell_staff(review, already_told=failure.value.sent_to) == 2
    assert [recipients for recipients, _message in smtp.messages] == [
        ["both@example.org"],
        ["comms@example.org"],
        ["owner@example.org"],
    ]


def test_the_review_list_for_the_sentiment_page_shows_open_and_ended_reviews(cameras):
    say(cameras, "very_uncomfortable", 10, when=NOW - 10 * DAY)
    first = reviews.open_if_needed(cameras, now=NOW - 10 * DAY)
    answer = OwnerAnswer.objects.create(entry=cameras, you_said="Too many", we_did="Fewer now.")
    reviews.close_for_answer(answer, now=NOW - 5 * DAY)
    say(cameras, "very_uncomfortable", 10, when=NOW)
    reviews.open_if_needed(cameras, now=NOW)

    html = render_to_string("feedback/admin/review_history.html", {"reviews": cameras.reviews.select_related("answer")})

    assert html.index("2 December 2026") < html.index("22 November 2026")  # newest first
    assert "Still open: the entry says it is under review" in html
    assert "27 November 2026: The council published an answer" in html
    assert reverse("wagtailsnippets_feedback_owneranswer:edit", args=[answer.pk]) in html
    assert first.detail in html


def test_the_welsh_page_shows_the_notice_and_publishing_the_welsh_does_not_end_the_review(
    client, world, cameras, under_review, bristol, bristol_register
):
    welsh = Locale.objects.create(language_code="cy")
    translate(bristol, welsh, name="Cyngor Dinas Bryste", short_name="Bryste")
    translate(bristol_register, welsh, title="Cofrestr Bryste")
    welsh_cameras = translate(cameras, welsh, title="Camerâu")

    html = client.get(welsh_cameras.url).content.decode()
    assert 'lang="cy"' in html and "Camerâu" in html
    assert 'id="under-review"' in html and "2 Rhagfyr 2026" in html

    welsh_cameras.save_revision().publish()
    assert Review.objects.get().is_open


def test_the_owner_sees_the_entrys_reviews_on_its_sentiment_page(client, world, cameras, under_review):
    client.force_login(world["users"]["owner"])
    html = client.get(reverse("sentiment:entry", args=[cameras.pk])).content.decode()
    assert "Reviews opened by residents&#x27; feedback" in html or "Reviews opened by residents' feedback" in html
    assert "Still open: the entry says it is under review" in html
    assert under_review.detail in html
