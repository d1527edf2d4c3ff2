"""Production settings pass Django's deployment checks and refuse to start without their secrets."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="register.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="register.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_collectstatic_for_production_resolves_every_asset_and_never_ships_the_crest(tmp_path):
    # The Dockerfile runs this at build time; a missing file referenced from CSS or JS would fail the build.
    result = run_manage(
        "collectstatic",
        "--noinput",
        "-v0",
        SECRET_KEY="build-only",
        ALLOWED_HOSTS="localhost",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "css/main.css" in manifest
    assert "govuk-crest" not in manifest


SETTINGS_AS_JSON = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "csp": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "permissions": s.PERMISSIONS_POLICY,
    "middleware": s.MIDDLEWARE,
    "backends": s.AUTHENTICATION_BACKENDS,
    "axes_enabled": s.AXES_ENABLED,
    "failure_limit": s.AXES_FAILURE_LIMIT,
    "lockout_minutes": s.AXES_COOLOFF_TIME.total_seconds() / 60,
    "lockout_parameters": s.AXES_LOCKOUT_PARAMETERS,
    "two_factor": s.STAFF_TWO_FACTOR,
}))
"""


def production_settings(**env):
    result = run_manage("shell", "-c", SETTINGS_AS_JSON, SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_has_a_strict_policy_lock_out_and_two_factor_sign_in():
    settings = production_settings()
    policy = json.dumps(settings["csp"])
    assert "unsafe" not in policy
    assert settings["csp"]["frame-ancestors"] == ["'none'"] and settings["csp"]["object-src"] == ["'none'"]
    assert settings["permissions"]["camera"] == [] and settings["permissions"]["geolocation"] == []
    middleware = settings["middleware"]
    assert "home.content_security.ContentSecurityPolicyMiddleware" in middleware
    assert "django_permissions_policy.PermissionsPolicyMiddleware" in middleware
    assert middleware.index("django_otp.middleware.OTPMiddleware") < middleware.index(
        "home.two_factor.StaffTwoFactorMiddleware"
    )
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    assert settings["backends"][0] == "axes.backends.AxesBackend"
    assert settings["axes_enabled"] is True
    assert (settings["failure_limit"], settings["lockout_minutes"]) == (5, 15)
    assert settings["lockout_parameters"] == [["username", "ip_address"]]
    assert settings["two_factor"] is True


def test_lock_out_and_two_factor_are_set_from_the_environment():
    settings = production_settings(LOGIN_FAILURE_LIMIT="10", LOGIN_LOCKOUT_MINUTES="60", STAFF_TWO_FACTOR="false")
    assert (settings["failure_limit"], settings["lockout_minutes"], settings["two_factor"]) == (10, 60, False)


def test_check_deploy_warns_when_two_factor_sign_in_is_turned_off():
    result = run_manage(
        "check", "--deploy", SECRET_KEY="x" * 50, ALLOWED_HOSTS="register.example.org", STAFF_TWO_FACTOR="false"
    )
    assert "home.W001" in result.stdout + result.stderr


def test_old_keys_in_secret_key_fallbacks_still_accept_what_they_signed():
    old_key, new_key = "old-production-secret-" + "y" * 40, "new-production-secret-" + "z" * 40
    check = (
        "from django.core import signing; from django.conf import settings; "
        f"print(settings.SECRET_KEY_FALLBACKS == [{old_key!r}], "
        f"signing.loads(signing.dumps([1, 7], key={old_key!r})))"
    )
    rotated = run_manage(
        "shell", "-c", check, SECRET_KEY=new_key, SECRET_KEY_FALLBACKS=f" {old_key} ,", ALLOWED_HOSTS="example.org"
    )
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip().splitlines()[-1] == "True [1, 7]"
