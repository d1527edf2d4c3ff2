"""The public "You said, we did" pages, for the partnership and for each council, and answers on the entry page:
dated, newest first, and linked to the feedback they answer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import OwnerAnswer
from tests.factories import DataUsePageFactory
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db

PARTNERSHIP = "/you-said-we-did/"


def publish_answer(entry, you_said, days_ago=0, submission=None, we_did="We changed it."):
    answer = OwnerAnswer.objects.create(
        entry=entry, submission=submission, you_said=you_said, we_did=we_did, outcome="changed", live=False
    )
    answer.save_revision().publish()
    when = timezone.now() - datetime.timedelta(days=days_ago)
    OwnerAnswer.objects.filter(pk=answer.pk).update(first_published_at=when, last_published_at=when)
    answer.refresh_from_db()
    return answer


@pytest.fixture
def entries(bristol_register, leeds_register):
    return {
        "cameras": DataUsePageFactory(parent=bristol_register, title="Cameras"),
        "chatbot": DataUsePageFactory(parent=bristol_register, title="Chatbot"),
        "sensors": DataUsePageFactory(parent=leeds_register, title="Leeds sensors"),
    }


def order_of(html, *texts):
    return sorted(texts, key=html.index)


def test_partnership_page_lists_every_councils_published_answers_newest_first(client, entries):
    publish_answer(entries["cameras"], "Old cameras worry", days_ago=20)
    publish_answer(entries["sensors"], "Sensors see too much", days_ago=2)
    publish_answer(entries["chatbot"], "The chatbot keeps chats", days_ago=10)
    OwnerAnswer.objects.create(entry=entries["cameras"], you_said="A draft nobody sees", we_did="x", live=False)

    response = client.get(PARTNERSHIP)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "You said, we did" in html
    assert order_of(html, "Old cameras worry", "Sensors see too much", "The chatbot keeps chats") == [
        "Sensors see too much",
        "The chatbot keeps chats",
        "Old cameras worry",
    ]
    assert "A draft nobody sees" not in html
    assert "3 answers" in html
    # Each answer names its council and links to the answer on its entry.
    assert entries["sensors"].organisation.name in html
    assert f'href="{entries["cameras"].url}#answer-' in html
    # And the page offers each council's own page.
    assert f'href="/you-said-we-did/{entries["cameras"].organisation.slug}/"' in html


def test_a_councils_page_has_only_its_own_answers_and_its_branding(client, entries):
    publish_answer(entries["cameras"], "Bristol cameras worry")
    publish_answer(entries["sensors"], "Leeds sensors worry")
    bristol = entries["cameras"].organisation

    html = client.get(f"/you-said-we-did/{bristol.slug}/").content.decode()

    assert "Bristol cameras worry" in html
    assert "Leeds sensors worry" not in html
    assert f"You said, we did: {bristol.name}" in html  # the page title
    assert 'class="app-header__council">' + bristol.name in html


def test_answers_on_unpublished_entries_are_not_shown(client, entries):
    publish_answer(entries["chatbot"], "About a withdrawn entry")
    entries["chatbot"].unpublish()
    assert "About a withdrawn entry" not in client.get(PARTNERSHIP).content.decode()
    assert "No answers have been published yet." in client.get(PARTNERSHIP).content.decode()


def test_an_unknown_council_is_a_polite_404(client, entries):
    response = client.get("/you-said-we-did/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_pages_are_in_welsh_too(client, entries):
    publish_answer(entries["cameras"], "Cameras worry")
    response = client.get("/cy/you-said-we-did/")
    assert response.status_code == 200
    assert 'lang="cy"' in response.content.decode()
    assert client.get(f"/cy/you-said-we-did/{entries['cameras'].organisation.slug}/").status_code == 200


def test_many_answers_come_in_pages_and_a_bad_page_number_is_not_an_error(client, entries):
    for n in range(25):
        publish_answer(entries["cameras"], f"Worry number {n:02d}", days_ago=n)
    first = client.get(PARTNERSHIP).content.decode()
    assert "Worry number 00" in first and "Worry number 19" in first and "Worry number 20" not in first
    second = client.get(PARTNERSHIP + "?page=2").content.decode()
    assert "Worry number 20" in second and "Worry number 24" in second and "Worry number 00" not in second
    for bad in ("abc", "999", "-1"):
        assert client.get(PARTNERSHIP + f"?page={bad}").status_code == 200


def test_the_page_costs_the_same_queries_however_many_answers(client, entries):
    publish_answer(entries["cameras"], "One")
    client.get(PARTNERSHIP)
    with CaptureQueriesContext(connection) as few:
        client.get(PARTNERSHIP)
    for n in range(10):
        publish_answer(entries["chatbot" if n % 2 else "sensors"], f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(PARTNERSHIP)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_registers_link_to_their_answers(client, entries, bristol_register, combined_register):
    bristol = entries["cameras"].organisation
    assert f'href="/you-said-we-did/{bristol.slug}/"' in client.get(bristol_register.url).content.decode()
    assert 'href="/you-said-we-did/"' in client.get(combined_register.url).content.decode()


def test_answers_on_the_entry_are_dated_and_linked_to_the_feedback_they_answer(client, entries):
    cameras = entries["cameras"]
    give_feedback(cameras, n=10)
    shown = give_feedback(cameras, comment="Please delete the photos sooner.")
    shown.publish_consent = shown.approved_for_publication = True
    shown.save()
    private = give_feedback(cameras, comment="My neighbour's camera points at me.")
    theme = publish_answer(cameras, "People asked about retention", days_ago=3)
    to_shown = publish_answer(cameras, "You asked us to delete sooner", submission=shown, days_ago=2)
    to_private = publish_answer(cameras, "About a neighbour's camera", submission=private, days_ago=1)

    html = client.get(cameras.url).content.decode()

    assert f'id="answer-{theme.pk}"' in html
    assert f"Answered {theme.first_published_at:%-d %B %Y}" in html
    assert "In answer to what people have said about this entry" in html
    # The published comment is on the page, and the answer and the comment link to each other.
    assert f'id="comment-{shown.pk}"' in html
    assert f'href="#comment-{shown.pk}"' in html
    assert f'href="#answer-{to_shown.pk}"' in html
    # The unpublished comment stays private: only its date is given.
    assert "My neighbour" not in html
    assert f"In answer to one person's feedback of {private.created_at:%-d %B %Y}, which was not published" in html
    assert f'id="answer-{to_private.pk}"' in html
    # Newest first, and a way to every answer of the council.
    assert order_of(html, "People asked about retention", "About a neighbour") == [
        "About a neighbour",
        "People asked about retention",
    ]
    assert f'href="/you-said-we-did/{cameras.organisation.slug}/"' in html
