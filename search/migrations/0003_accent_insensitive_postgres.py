"""On PostgreSQL, search without caring about accents: "camerau" finds "Camerâu", "cafe" finds "café".

Many keyboards make the Welsh to bach (â, ê, î, ô, û, ŵ, ŷ) and other accents hard to type, so people
leave them out. This adds the text search configuration ``register_english``: PostgreSQL's English
(stemming, stop words) with the ``unaccent`` dictionary first. ``SEARCH_CONFIG`` in
``portal/settings/base.py`` names it. ``unaccent`` ships with PostgreSQL and is a trusted extension, so
the database's owner may create it.

Entries indexed before this migration keep their accented words: run ``python manage.py update_index``
once afterwards (the README's release notes say so). SQLite already ignores accents (migration 0001).
"""

from django.db import migrations

CONFIG = "register_english"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english)")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_searches_without_results")]

    operations = [migrations.RunPython(create, drop)]
