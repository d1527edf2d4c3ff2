"""Fixtures every test can use: a page tree with a home page, registers and councils."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction

from base import memo
from tests import snapshot
from tests.factories import BRISTOL, LEEDS, LocaleFactory, OrganisationFactory, RegisterPageFactory, add_home_page

ROOT = Path(__file__).resolve().parents[1]
# What `make build` makes and the tests need: the front end the pages link to, and the Welsh catalogue.
BUILT_FILES = [
    "css/main.css",
    "css/admin.css",
    "js/govuk-frontend.js",
    "js/init.js",
    "js/js-enabled.js",
    "js/search-suggest.js",
]


def pytest_configure(config):
    if not (ROOT / "static_build").is_dir():
        missing = ["static_build/"]
    else:
        missing = [f"static_build/{name}" for name in BUILT_FILES if not (ROOT / "static_build" / name).exists()]
    missing += [
        str(po.with_suffix(".mo").relative_to(ROOT))
        for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
        if not po.with_suffix(".mo").exists()
    ]
    if missing:
        raise pytest.UsageError(f"Run `make build` first: the tests need {', '.join(missing)}, which it makes.")


def pytest_sessionfinish(session):
    # Django deletes the SQLite test database while live-server threads may still hold it open, which
    # leaves its -wal and -shm files behind (named ..._gw0-wal under xdist, which .gitignore does not match).
    database = settings.DATABASES["default"]
    name = str(database.get("TEST", {}).get("NAME") or "")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name.startswith(str(ROOT)) and not Path(name).exists():
        for leftover in (Path(f"{name}-wal"), Path(f"{name}-shm")):
            leftover.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths, and the memo keeps rows by id; a rolled-back test must not leave them
    # behind for the next (ids are used again).
    for store in caches.all(initialized_only=True):
        store.clear()
    memo.forget_all()
    yield
    for store in caches.all(initialized_only=True):
        store.clear()
    memo.forget_all()


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction around a whole test module, rolled back after its last test.

    Data a module-scoped fixture makes on top of it is made once, not once per test, and every test still runs
    in its own savepoint (pytest-django), so what one test changes the next never sees. Hand tests fresh()
    copies of module-made objects, and use it only in modules without transactional tests."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    # Content types are cached by id in the process: the rows this module saw (the demo put back from memory,
    # tests.snapshot) may have had other ids than the ones now back.
    ContentType.objects.clear_cache()


@pytest.fixture
def locale(db):
    return LocaleFactory()


@pytest.fixture
def home_page(locale):
    return add_home_page(locale)


@pytest.fixture
def bristol(locale):
    return OrganisationFactory(**BRISTOL, locale=locale)


@pytest.fixture
def leeds(locale):
    return OrganisationFactory(**LEEDS, locale=locale)


@pytest.fixture
def combined_register(home_page):
    return RegisterPageFactory(parent=home_page, slug="register", title="All councils' register")


@pytest.fixture
def bristol_register(home_page, bristol):
    return RegisterPageFactory(parent=home_page, slug="bristol", organisation=bristol)


@pytest.fixture
def leeds_register(home_page, leeds):
    return RegisterPageFactory(parent=home_page, slug="leeds", organisation=leeds)


# Every row of the database once the demo was first loaded in this process (tests.snapshot).
_demo_rows = None


@pytest.fixture(scope="module")
def demo(module_transaction, django_db_blocker):
    """The demo, loaded by its command once in each test process (it takes seconds) and put back from memory for
    the next module that uses it; rolled back after the module's last test."""
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from wagtail.models import Page

    global _demo_rows
    with django_db_blocker.unblock():
        if _demo_rows is not None and snapshot.fits(connection, _demo_rows):
            snapshot.restore(connection, _demo_rows)
            return
        # What the migrations make, in case a transactional test run before this module flushed it away.
        locale = LocaleFactory()
        Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
        Permission.objects.get_or_create(
            content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
        )
        call_command("load_demo_register", verbosity=0)
        _demo_rows = snapshot.take(connection)
