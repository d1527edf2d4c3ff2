"""Two-factor sign-in for staff: after the password, a code from an authenticator app or a single-use backup code."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.two_factor import replace_backup_codes
from tests.security.conftest import sign_in

# Off in the test settings so that other tests can use force_login; on here, as in production. No waiting between
# codes except in the test of that waiting.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff")]
two_factor_on = override_settings(STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


def code_for(device, steps_ahead=0):
    """The code the person's app shows now (or that many 30-second steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def with_app(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, replace_backup_codes(user)


@two_factor_on
def test_first_sign_in_sets_up_an_app_with_a_real_code_and_shows_backup_codes_once(client, staff):
    assert sign_in(client).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/two-factor/set-up/?next=%2Fadmin%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = page.context["secret"]
    assert secret in html and "<svg" in html and 'aria-label="QR code for your authenticator app"' in html
    assert "<style" not in html.split("</head>")[1] and " style=" not in html
    # The admin's icons load before the code too, or the page would show itself in place of its icons.
    assert client.get("/admin/sprite/").status_code == 200
    # Reloading keeps the same secret, so a half-finished set-up still works.
    assert client.get(response["Location"]).context["secret"] == secret

    wrong = client.post("/admin/two-factor/set-up/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    confirmed = client.post("/admin/two-factor/set-up/", {"code": code_for(device), "next": "/admin/"})
    assert confirmed.status_code == 302 and confirmed["Location"].startswith("/admin/two-factor/backup-codes/")
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(confirmed["Location"])
    shown = re.findall(r"<li>([a-z0-9]{8})</li>", codes_page.content.decode())
    assert len(shown) == 10
    assert set(shown) == set(StaticDevice.objects.get(user=staff).token_set.values_list("token", flat=True))
    # Shown once: the page then only sends them on.
    assert client.get(confirmed["Location"]).status_code == 302
    assert client.get("/admin/").status_code == 200


@two_factor_on
def test_signing_in_again_asks_for_the_code_and_refuses_a_wrong_one(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    response = client.get("/admin/account/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Faccount%2F"
    assert "Type your code" in client.get(response["Location"]).content.decode()

    wrong = client.post("/admin/two-factor/", {"code": "12345", "next": "/admin/account/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert client.get("/admin/account/").status_code == 302

    right = client.post("/admin/two-factor/", {"code": code_for(device), "next": "/admin/account/"})
    assert right.status_code == 302 and right["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200


@two_factor_on
def test_a_code_cannot_be_used_twice(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    code = code_for(device)
    assert client.post("/admin/two-factor/", {"code": code}).status_code == 302
    client.logout()
    sign_in(client)
    assert client.post("/admin/two-factor/", {"code": code}).status_code == 200
    # The app's next code works.
    assert client.post("/admin/two-factor/", {"code": code_for(device, steps_ahead=1)}).status_code == 302


@two_factor_on
def test_a_backup_code_works_once(client, staff):
    _device, codes = with_app(staff)
    sign_in(client)
    assert client.post("/admin/two-factor/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client)
    again = client.post("/admin/two-factor/", {"code": codes[0]})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()
    assert client.post("/admin/two-factor/", {"code": codes[1]}).status_code == 302


@two_factor_on
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/pages/", "/admin/feedback/inbox/", "/admin/account/", "/admin/two-factor/backup-codes/"]
)
def test_every_admin_address_waits_for_the_code(client, staff, url):
    with_app(staff)
    sign_in(client)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/?next=")
    assert client.post(url, {}).status_code == 302


@two_factor_on
def test_a_password_alone_cannot_add_a_second_app(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    response = client.get("/admin/two-factor/set-up/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/?next=")
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


@two_factor_on
def test_after_the_code_only_addresses_on_this_site_are_followed(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    response = client.post("/admin/two-factor/", {"code": code_for(device), "next": "https://evil.example/admin/"})
    assert response["Location"] == "/admin/"


@override_settings(STAFF_TWO_FACTOR=True)
def test_wrong_codes_make_the_next_try_wait(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    client.post("/admin/two-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    waiting = client.post("/admin/two-factor/", {"code": code_for(device)})
    assert waiting.status_code == 200
    assert "You have typed several wrong codes, so wait a minute" in waiting.content.decode()


def test_with_two_factor_off_the_password_is_enough(client, staff):
    sign_in(client)
    assert client.get("/admin/").status_code == 200


@two_factor_on
def test_signing_out_and_the_public_site_need_no_code(client, staff, home_page):
    with_app(staff)
    sign_in(client)
    assert client.get("/").status_code == 200
    assert client.post("/admin/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@two_factor_on
def test_reset_two_factor_clears_a_lost_phone_and_the_next_sign_in_sets_up_again(client, staff, capsys):
    with_app(staff)
    call_command("reset_two_factor", "bristol-editor")
    assert "Removed bristol-editor's authenticator app and backup codes" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")


@two_factor_on
def test_reset_two_factor_ends_the_code_step_of_an_open_session(client, staff):
    device, _codes = with_app(staff)
    sign_in(client)
    client.post("/admin/two-factor/", {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200
    call_command("reset_two_factor", "bristol-editor")
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")


def test_reset_two_factor_names_an_unknown_user():
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("reset_two_factor", "nobody")
