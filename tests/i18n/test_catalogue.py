"""The Welsh catalogue is complete: every string in the code and templates has a Welsh translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
SKIP = shutil.ignore_patterns(
    ".venv", "node_modules", "static_build", "static", "media", ".git", "tests", "*.pyc", "*.sqlite3*", "test-db-*"
)


def untranslated(po):
    return [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or entry.fuzzy)]


def test_every_string_in_the_catalogue_has_a_welsh_translation():
    po = polib.pofile(str(CATALOGUE))
    assert untranslated(po) == []
    # gettext's msgfmt skips a fuzzy header, and with it Welsh's four plural forms.
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"].startswith("nplurals=4;")


def test_the_catalogue_has_every_string_in_the_code(tmp_path):
    # makemessages on a copy of the project, so the catalogue in the repository is left as it is.
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "cy", "--verbosity", "0"],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings.test", "SECRET_KEY": "x"},
    )
    fresh = polib.pofile(str(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    missing = untranslated(fresh)
    assert missing == [], "Run `make messages`, then translate these strings into Welsh"


def test_the_compiled_catalogue_matches_the_translations():
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    translations = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.obsolete and not entry.msgid_plural:
            assert translations.get((entry.msgctxt, entry.msgid)) == entry.msgstr, "Run `make compilemessages`"
