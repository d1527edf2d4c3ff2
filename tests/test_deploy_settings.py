"""Production settings pass Django's deployment checks and refuse to start without their secrets."""

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
    return subprocess.run(  # noqa: S603 - our own manage.py, run by this Python, with arguments from the tests
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
