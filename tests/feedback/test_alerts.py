"""Email alerts about new and changed entries of a council, a service area or a kind of data, like GOV.UK's finder
alerts: double opt-in, one-click unsubscribe, at once or daily, sent by the worker, with the same subscriber
handling as following one entry (feedback.following). Emails go to a real SMTP server on loopback."""

import datetime
import re
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import Follower
from tests.factories import DataCategoryFactory, DataUsePageFactory, ServiceAreaFactory, add_category, started_token

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s/]+(/(?:cy/)?feedback/follow/(?:confirm|unsubscribe)/[\w-]+/)")


def body(message):
    return message.get_payload(decode=True).decode()


def header(message, name):
    return " ".join(str(make_header(decode_header(message[name]))).split())


def ask(client, email="resident@example.org", frequency="immediate", **filters):
    data = {"started": started_token(0), "website": "", "email": email, "frequency": frequency, **filters}
    return client.post("/feedback/alerts/", data, REMOTE_ADDR="192.0.2.9")


def confirmed_alert(email="resident@example.org", frequency="immediate", when=None, **filters):
    return Follower.objects.create(
        email=email,
        topic=f"test:{email}:{frequency}",
        frequency=frequency,
        language="en-gb",
        token="alert-" + email.split("@")[0],
        confirmed_at=when or timezone.now(),
        **filters,
    )


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_asking_for_alerts_confirming_and_hearing_about_a_new_entry(
    client, bristol, bristol_register, leeds_register, smtp
):
    form = client.get("/feedback/alerts/", {"council": "bristol"})
    assert form.status_code == 200
    assert '<option value="bristol" selected>' in form.content.decode()

    response = ask(client, council="bristol")
    assert response.status_code == 302 and response["Location"] == "/feedback/alerts/sent/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    [(recipients, message)] = smtp.messages
    assert recipients == ["resident@example.org"]
    assert message["Subject"] == "Confirm that you want email alerts from the data use register"
    assert "new and changed entries, of Bristol City Council" in body(message)
    alert = Follower.objects.get()
    assert alert.entry is None and alert.council == bristol and alert.confirmed_at is None
    confirm = LINK.findall(body(message))[0]
    assert LINK.findall(header(message, "List-Unsubscribe"))[0] == f"/feedback/follow/unsubscribe/{alert.token}/"

    # Nothing is sent before the address is confirmed.
    publish(DataUsePageFactory(parent=bristol_register, title="Before confirming", live=False))
    assert len(smtp.messages) == 1
    assert "Yes, send me alerts" in client.get(confirm).content.decode()
    assert "Your email alerts are on" in client.post(confirm).content.decode()

    publish(DataUsePageFactory(parent=bristol_register, title="Sensors in car parks", live=False))
    publish(DataUsePageFactory(parent=leeds_register, title="A Leeds entry", live=False))
    assert smtp.subjects()[1:] == ["New in the data use register: Sensors in car parks"]
    assert "Bristol City Council has published 'Sensors in car parks'." in body(smtp.messages[1][1])
    assert "/feedback/follow/unsubscribe/" in body(smtp.messages[1][1])

    # A new version that says what changed is news; one without a new note is not.
    entry = publish(DataUsePageFactory(parent=bristol_register, title="Parking permits", live=False))
    before = len(smtp.messages)
    publish(entry, change_note="We now keep the data for one year, not two.")
    publish(entry, summary="The same, with a typo fixed.")
    assert smtp.subjects()[before:] == ["Changed in the data use register: Parking permits"]
    assert "What changed: We now keep the data for one year, not two." in body(smtp.messages[before][1])


def test_alerts_match_their_service_area_and_kind_of_data(bristol_register, locale, smtp):
    health = DataCategoryFactory(name="Health", locale=locale)
    housing = ServiceAreaFactory(name="Housing", locale=locale)
    confirmed_alert("kind@example.org", data_category=health)
    confirmed_alert("area@example.org", service_area=housing)
    with_health = DataUsePageFactory(parent=bristol_register, title="Uses health data", live=False)
    add_category(with_health, health)
    publish(with_health)
    publish(DataUsePageFactory(parent=bristol_register, title="About housing", service_area=housing, live=False))
    publish(DataUsePageFactory(parent=bristol_register, title="About neither", live=False))
    told = sorted((recipients[0], message["Subject"]) for recipients, message in smtp.messages)
    assert told == [
        ("area@example.org", "New in the data use register: About housing"),
        ("kind@example.org", "New in the data use register: Uses health data"),
    ]


def test_a_daily_alert_sends_one_email_of_what_was_published_and_nothing_twice(bristol_register, bristol, smtp):
    confirmed_alert(
        "daily@example.org", frequency="daily", council=bristol, when=timezone.now() - datetime.timedelta(days=1)
    )
    publish(DataUsePageFactory(parent=bristol_register, title="Street lights", live=False))
    publish(DataUsePageFactory(parent=bristol_register, title="Bus lanes", live=False))
    assert smtp.messages == []  # daily: nothing at publishing time
    call_command("send_daily_alerts")
    [(recipients, message)] = smtp.messages
    assert recipients == ["daily@example.org"]
    assert message["Subject"] == "Today in the data use register: 2 new or changed entries"
    text = body(message)
    assert "Street lights (Bristol City Council): new" in text and "Bus lanes" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    call_command("send_daily_alerts")
    assert len(smtp.messages) == 1


def test_one_click_unsubscribe_deletes_the_address(client, home_page, bristol, smtp):
    alert = confirmed_alert(council=bristol)
    page = client.get(f"/feedback/follow/unsubscribe/{alert.token}/")
    assert "Stop getting email alerts" in page.content.decode()
    assert "new and changed entries, of Bristol City Council" in page.content.decode()
    done = client.post(f"/feedback/follow/unsubscribe/{alert.token}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You have unsubscribed" in done.content.decode()
    assert not Follower.objects.exists()


def test_asking_twice_keeps_one_alert_and_a_confirmed_one_is_not_emailed_again(client, home_page, bristol, smtp):
    ask(client, council="bristol")
    ask(client, council="bristol", email="Resident@EXAMPLE.org".replace("Resident", "resident"))
    assert Follower.objects.count() == 1 and len(smtp.messages) == 2  # unconfirmed: the link again
    Follower.objects.update(confirmed_at=timezone.now())
    ask(client, council="bristol", frequency="daily")
    assert len(smtp.messages) == 2 and Follower.objects.get().frequency == "daily"


def test_bad_answers_are_explained_and_a_mail_server_that_is_down_loses_nothing(
    client, home_page, bristol, mail_server
):
    bad = ask(client, email="not an address", council="bristol")
    assert bad.status_code == 400
    assert "Enter an email address in the correct format" in bad.content.decode()
    unknown = ask(client, council="atlantis")
    assert unknown.status_code == 400 and "Select a valid choice" in unknown.content.decode()
    assert ask(client, council="bristol").status_code == 302  # the mail server is down: the worker tries later
    assert Follower.objects.filter(council=bristol).exists()


def test_register_pages_offer_alerts_for_what_they_list(client, bristol_register):
    DataUsePageFactory(parent=bristol_register, title="Listed")
    html = client.get(bristol_register.url).content.decode()
    assert 'href="/feedback/alerts/?council=bristol"' in html
