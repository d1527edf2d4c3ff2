"""ops/restore_drill.py against the local PostgreSQL server: a small register is dumped, restored into a scratch
database, checked and the scratch database dropped; a copy that lost rows or a migration fails the check, and a
scratch database that already exists is refused. The databases are our own (never the test run's, which may be
SQLite), named after this process and dropped after."""

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from psycopg import sql
from wagtail.models import Page

from datauses.models import DataUsePage
from feedback.models import FeedbackSubmission
from ops import restore_drill

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"
SOURCE = f"drill_source_{os.getpid()}"
COPY = f"drill_copy_{os.getpid()}"

# Migrations, then a home page, a council's register with two entries, four feedback responses and a member of
# staff: in one Django process, as starting one is a good part of the time this takes.
SMALL_REGISTER = """
from django.contrib.auth.models import User
from django.core.management import call_command
from wagtail.models import Locale
from tests.factories import BRISTOL, DataUsePageFactory, FeedbackSubmissionFactory, OrganisationFactory
from tests.factories import RegisterPageFactory, add_home_page

call_command("migrate", interactive=False, verbosity=0)
locale = Locale.objects.get(language_code="en-gb")
home = add_home_page(locale)
bristol = OrganisationFactory(**BRISTOL, locale=locale)
register = RegisterPageFactory(parent=home, organisation=bristol, slug="bristol", locale=locale)
for entry in [DataUsePageFactory(parent=register, locale=locale) for _ in range(2)]:
    FeedbackSubmissionFactory.create_batch(2, entry=entry)
User.objects.create_user("bristol-editor", password="not-a-real-password")
"""


def admin():
    try:
        return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(
            f"The drill test needs the PostgreSQL server at 127.0.0.1:5432 (trust auth, user postgres): {error}"
        )


def drop(name):
    with admin() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def exists(name):
    with admin() as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def environment(**extra):
    """Settings for Django and the drill in processes of their own, whatever database this test run uses."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SEARCH_URL", "MEDIA_ROOT"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", **extra)
    return env


def manage(*args, database):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(DATABASE_URL=database),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed making the source database:\n{result.stderr[-3000:]}")


def run_drill(*args, source=f"{SERVER}/{SOURCE}"):
    result = subprocess.run(
        [sys.executable, "ops/restore_drill.py", source, *args],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def counts(name):
    with psycopg.connect(f"{SERVER}/{name}") as connection:
        return restore_drill.count_rows(connection)


@pytest.fixture(scope="module")
def source():
    """A small register in a PostgreSQL database of its own, made as a council's would be: migrate, then pages."""
    if not (shutil.which("pg_dump") or glob.glob("/usr/lib/postgresql/*/bin/pg_dump")):
        pytest.fail("pg_dump is not installed: the restore drill needs the PostgreSQL client tools (postgresql-client)")
    drop(SOURCE)
    drop(COPY)
    with admin() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SOURCE)))
    try:
        manage("shell", "-v0", "-c", SMALL_REGISTER, database=f"{SERVER}/{SOURCE}")
        yield counts(SOURCE)
    finally:
        drop(COPY)
        drop(SOURCE)


def test_the_key_tables_are_the_models_tables():
    assert set(restore_drill.KEY_TABLES) == {
        Page._meta.db_table,
        DataUsePage._meta.db_table,
        FeedbackSubmission._meta.db_table,
        get_user_model()._meta.db_table,
    }


@pytest.fixture(scope="module")
def drill(source, tmp_path_factory):
    """The drill run once, restoring into COPY and keeping its dump."""
    media = tmp_path_factory.mktemp("media")
    (media / "original_images").mkdir()
    (media / "original_images" / "camera.jpg").write_bytes(b"\xff\xd8 not really a photo")
    backups = tmp_path_factory.mktemp("backups")
    status, report = run_drill("--scratch-name", COPY, "--media-root", str(media), "--backup-dir", str(backups))
    print(report)  # shown with pytest -s
    return status, report, backups


def test_the_drill_restores_a_copy_with_the_same_rows_that_serves_pages(source, drill):
    status, report, backups = drill

    assert status == 0, report
    assert "RESULT            PASSED" in report
    for table, rows in [
        ("wagtailcore_page", source["wagtailcore_page"]),
        ("datauses_datausepage", 2),
        ("feedback_feedbacksubmission", 4),
        ("auth_user", 1),
    ]:
        assert re.search(rf"{table}\s+{rows}\s+{rows}\s+ok", report), table
    assert f"all {len(source)} tables" in report
    assert "migrate --check   ok" in report
    assert "GET / 200 ok" in report
    assert re.search(r"GET /bristol/entry-\d+/ 200 ok", report)
    assert "media restore     1 file, 21 bytes" in report
    assert re.search(r"dump\s+\S+\.dump\s+[\d.]+ [kM]B in [\d.]+ s", report)
    assert re.search(r"restore\s+into drill_copy_\d+ in [\d.]+ s", report)
    assert len(list(backups.glob("register-*.dump"))) == 1
    assert len(list(backups.glob("register-*-media.tar"))) == 1
    assert f"scratch database  {COPY} dropped" in report
    assert not exists(COPY)
    assert counts(SOURCE) == source, "the source is only read"


@pytest.fixture(scope="module")
def restored_copy(drill):
    """The drill's dump restored by hand into COPY, as someone restoring a backup would."""
    dump = next(drill[2].glob("register-*.dump"))
    with admin() as connection:
        major = connection.info.server_version // 10000
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(COPY)))
    pg_restore, _version = restore_drill.pg_tool("pg_restore", major, None)
    subprocess.run(
        [pg_restore, "--no-owner", "--exit-on-error", f"--dbname={SERVER}/{COPY}", str(dump)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return f"{SERVER}/{COPY}"


def test_a_copy_that_lost_rows_or_migrations_fails_the_check(source, restored_copy):
    with psycopg.connect(restored_copy, autocommit=True) as copy:
        copy.execute(
            "DELETE FROM feedback_feedbacksubmission WHERE id = (SELECT max(id) FROM feedback_feedbacksubmission)"
        )
        # As if the backup had been taken before a release's last migration.
        latest = copy.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations WHERE app = 'feedback')"
            " RETURNING name"
        ).fetchone()[0]

    status, report = run_drill("--verify-only", restored_copy)

    print(report)
    assert status == 1, report
    assert "feedback_feedbacksubmission has 4 rows in the source but 3 in the restored copy" in report
    assert f"unapplied migrations in the restored copy: feedback.{latest}" in report
    assert "RESULT            FAILED" in report
    assert counts(SOURCE) == source


def test_the_drill_never_restores_over_an_existing_database(source, restored_copy):
    status, report = run_drill("--scratch-name", COPY)

    assert status == 2, report
    assert f"The scratch database {COPY} already exists" in report
    assert exists(COPY), "a database the drill did not create is never dropped"

    status, report = run_drill("--scratch-name", SOURCE)

    assert status == 2, report
    assert "The scratch database is the source database" in report
    assert counts(SOURCE) == source
