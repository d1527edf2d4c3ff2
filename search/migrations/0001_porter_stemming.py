"""Stem words in SQLite's full-text index, so that "camera" finds "cameras" (PostgreSQL already does).

Recreates Wagtail's FTS5 table with the Porter tokenizer and refills it from the index entries.
Wagtail's triggers keep it up to date afterwards. Nothing happens on other databases.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def tokenizer(porter):
    return "tokenize='porter unicode61 remove_diacritics 2'" if porter else ""


def rebuild(porter):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=%s", [f"{TABLE}_fts"])
            if cursor.fetchone() is None:
                return  # SQLite without FTS5: Wagtail falls back to a plain database search.
            options = tokenizer(porter)
            cursor.execute(f"DROP TABLE {TABLE}_fts")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(autocomplete, body, title{', ' + options if options else ''})"
            )
            cursor.execute(
                f"INSERT INTO {TABLE}_fts(rowid, autocomplete, body, title) "  # noqa: S608 - fixed names
                f"SELECT id, autocomplete, body, title FROM {TABLE}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(rebuild(porter=True), rebuild(porter=False))]
