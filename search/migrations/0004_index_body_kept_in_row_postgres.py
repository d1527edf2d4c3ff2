"""On PostgreSQL, keep each search index entry's body vector in its row, not in the TOAST table.

A body vector of an entry is a few kilobytes, so PostgreSQL stored most of them apart from their rows
(TOAST, the default for any value over 2 KB) and every search read each one back through the TOAST index:
reading the bodies of 10,000 entries touched 32,000 pages and took 19 ms; kept in the row (storage MAIN,
compressed if that helps, out of the row only when a row would not fit in a page), 3,600 pages and 7 ms.
A search for a common word, which ranks every entry, went from 38 ms to 25 ms.

Existing rows are rewritten once so that they move into their rows; new ones are stored there from the
start. SQLite and Elasticsearch are not affected.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE MAIN")
        # An unchanged value would keep its place in the TOAST table: append nothing to make it new.
        cursor.execute(f"UPDATE {TABLE} SET body = body || ''::tsvector")


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_accent_insensitive_postgres"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(keep_in_row, default_storage)]
