"""Two-factor sign-in for staff: after the password, a code from an authenticator app or a single-use backup code.

django-otp keeps the devices and checks the codes; this module puts the step in front of the admin. While
settings.STAFF_TWO_FACTOR is on, StaffTwoFactorMiddleware sends anyone signed in who has not given a code in
this session to the code page, or, if they have no authenticator app yet, to setting one up. The pages live under
/admin/two-factor/ (home/wagtail_hooks.py) and look like Wagtail's sign-in page.
"""

import re
from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# The new backup codes, kept in the session only until the page that shows them once.
BACKUP_CODES_SESSION_KEY = "two_factor_backup_codes"
# Admin addresses someone may open after their password but before a code: signing in and out, the two steps
# themselves, and the admin's icons and translations that those pages load (they hold nothing about the site).
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "two_factor_verify",
    "two_factor_set_up",
)


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


class StaffTwoFactorMiddleware:
    """Keeps everyone who has only given a password out of the admin until they give a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_TWO_FACTOR and self.needs_code(request):
            step = "two_factor_verify" if has_authenticator(request.user) else "two_factor_set_up"
            # After the code, carry on to what they asked for; a form they posted has to be sent again.
            then = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
            return redirect(f"{reverse(step)}?{urlencode({'next': then})}")
        return self.get_response(request)

    @staticmethod
    def needs_code(request):
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        return request.path_info not in {reverse(name) for name in OPEN_URL_NAMES}


def next_url(request):
    """Where to go after this step: the admin address asked for, if it is on this site, else the dashboard."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("wagtailadmin_home")


def check_code(device, code):
    """device, if it accepts this code; raises ValidationError saying why not."""
    allowed, details = device.verify_is_allowed()
    if not allowed and (details or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        # django-otp waits longer after each wrong code (1, 2, 4, 8 ... seconds), so codes cannot be guessed.
        raise forms.ValidationError(
            _("You have typed several wrong codes, so wait a minute before trying again."), code="throttled"
        )
    if not django_otp.verify_token(device.user, device.persistent_id, code):
        raise forms.ValidationError(
            _("That code is not right, or it has run out. Type the code your app shows now."), code="wrong"
        )
    return device


class CodeForm(forms.Form):
    """The code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "Open the authenticator app on your phone and type the 6-digit code it shows for the Data Use "
            "Register. If you do not have your phone, type one of your backup codes instead."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        # App codes are digits; backup codes (StaticToken.random_token) have letters too.
        devices = (TOTPDevice if code.isdigit() else StaticDevice).objects.devices_for_user(self.user)
        problem = forms.ValidationError(
            _("That code is not right, or it has run out. Type the code your app shows now."), code="wrong"
        )
        for device in devices:
            try:
                self.device = check_code(device, code)
                return code
            except forms.ValidationError as error:
                problem = error
        raise problem


class ConfirmAppForm(forms.Form):
    """The first code from a newly added authenticator app, which shows it was set up right."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The 6-digit code the app shows for the Data Use Register, once you have added it."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not code.isdigit() or len(code) != self.device.digits:
            raise forms.ValidationError(_("Type the 6 digits the app shows, like 123456."), code="format")
        check_code(self.device, code)
        return code


def replace_backup_codes(user):
    """A new set of single-use backup codes for user, replacing any they had. Returns the codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """GET/POST /admin/two-factor/: the code step of signing in."""
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not has_authenticator(user):
        return redirect(f"{reverse('two_factor_set_up')}?{urlencode({'next': next_url(request)})}")
    form = CodeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        return redirect(next_url(request))
    return render(request, "home/two_factor/verify.html", {"form": form, "next": next_url(request)})


@never_cache
@sensitive_post_parameters("code")
def set_up(request):
    """GET/POST /admin/two-factor/set-up/: add an authenticator app, the first time someone signs in."""
    user = request.user
    if has_authenticator(user):
        # A second app only after an administrator's reset_two_factor: a password alone must never add one.
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url(request)})}")
    # The same secret on every visit until it is confirmed, so a reload does not break a half-finished set-up.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = ConfirmAppForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = replace_backup_codes(user)
        django_otp.login(request, device)
        request.session[BACKUP_CODES_SESSION_KEY] = codes
        return redirect(f"{reverse('two_factor_backup_codes')}?{urlencode({'next': next_url(request)})}")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url(request),
        # Drawn here as SVG markup, not an image from elsewhere: the secret never leaves the page.
        "qr_code": segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000000"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "home/two_factor/set_up.html", context)


@never_cache
def backup_codes(request):
    """GET /admin/two-factor/backup-codes/: the new backup codes, shown once straight after set-up."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(next_url(request))
    return render(request, "home/two_factor/backup_codes.html", {"codes": codes, "next": next_url(request)})
