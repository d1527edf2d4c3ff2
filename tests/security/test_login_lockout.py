"""Password guessing at /admin/login/: django-axes pauses a username on one address after 5 wrong passwords."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from tests.security.conftest import PASSWORD, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff")]

# Axes is off in the test settings because Django's test Client.login() gives it no request; here it is on.
axes_on = override_settings(AXES_ENABLED=True)


def guess(client, times, username="bristol-editor", **extra):
    return [sign_in(client, username, "wrong password", **extra) for _ in range(times)]


def is_signed_in(client):
    return "_auth_user_id" in client.session


@axes_on
def test_four_wrong_passwords_then_the_right_one_signs_in(client):
    assert [r.status_code for r in guess(client, 4)] == [200] * 4
    response = sign_in(client)
    assert response.status_code == 302 and is_signed_in(client)


@axes_on
def test_the_fifth_wrong_password_pauses_signing_in_with_a_polite_page(client):
    responses = guess(client, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    assert 840 <= int(locked["Retry-After"]) <= 900
    page = locked.content.decode()
    assert "Signing in is paused" in page
    assert "The wrong password was typed 5 times for bristol-editor" in page
    assert "You can try again in 15 minutes, at" in page
    assert "ask an administrator of the register" in page
    assert "Content-Security-Policy" in locked


@axes_on
def test_the_right_password_is_refused_while_paused(client):
    guess(client, 5)
    response = sign_in(client)
    assert response.status_code == 429
    assert not is_signed_in(client)
    assert client.get("/admin/").status_code == 302


@axes_on
def test_the_pause_ends_after_fifteen_minutes(client):
    guess(client, 5)
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    response = sign_in(client)
    assert response.status_code == 302 and is_signed_in(client)


@axes_on
def test_the_pause_is_for_that_username_from_that_address_only(client, django_user_model):
    django_user_model.objects.create_user("bristol-dpo", password=PASSWORD, is_superuser=True)
    guess(client, 5, REMOTE_ADDR="198.51.100.7")
    # A colleague behind the same office address still signs in...
    assert sign_in(client, "bristol-dpo", REMOTE_ADDR="198.51.100.7").status_code == 302
    client.logout()
    # ...and so does the same person from somewhere else, so a guesser cannot lock them out from afar.
    assert sign_in(client, REMOTE_ADDR="203.0.113.9").status_code == 302


@axes_on
@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_limit_is_a_setting(client):
    assert guess(client, 3)[-1].status_code == 429


@axes_on
def test_a_successful_sign_in_forgets_earlier_wrong_passwords(client):
    guess(client, 4)
    assert sign_in(client).status_code == 302
    client.logout()
    assert [r.status_code for r in guess(client, 4)] == [200] * 4
