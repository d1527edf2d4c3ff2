"""Every row of the test database, kept in memory and put back: the demo is loaded by its command once in
each test process, and the other modules that use it get the same rows back in a second or two (loading it
takes half a minute in CI, and eight modules use it).

Restoring replaces the whole database's rows with the kept ones inside the module's transaction (foreign keys
are checked at the end of it, on both databases), so what came before (another module's data, or a flush by a
transactional test) does not matter. The search index's full-text tables on SQLite are kept in step by their
own triggers, so they are left alone."""

from django.contrib.contenttypes.models import ContentType

SKIPPED = {"django_migrations"}


def _tables(connection):
    names = connection.introspection.table_names()
    skipped = set(SKIPPED)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = [row[0] for row in cursor.fetchall()]
        skipped |= {name for name in names if any(name == v or name.startswith(f"{v}_") for v in virtual)}
    return [name for name in names if name not in skipped]


def take(connection):
    """Every row of every table, with its columns."""
    quote = connection.ops.quote_name
    kept = {}
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - table names from the database itself
            kept[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return kept


def _content_types(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        return {tuple(row) for row in cursor.fetchall()}


def fits(connection, kept):
    """Whether the kept rows can be put back here: every content type the database has now has the same id in
    them. A transactional test's flush makes the content types again with new ids, which the process may have
    cached (Django's ContentType cache, Wagtail's permission policies); the demo is then loaded afresh."""
    columns, rows = kept["django_content_type"]
    at = [columns.index(name) for name in ("id", "app_label", "model")]
    return _content_types(connection) <= {tuple(row[i] for i in at) for row in rows}


def restore(connection, kept):
    """The database's rows made what take() saw, in the current transaction."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(connection):
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, (columns, rows) in kept.items():
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
    # The ids put back were given by this database's sequences when the demo was first loaded. PostgreSQL's
    # sequences never go back (no test resets them), so new rows cannot meet them, and resetting them here would
    # be wrong: the rows back after the rollback may have later ids. SQLite's go back with the rollback and rise
    # again with the ids inserted.

    # Content types are cached by id in the process; a flush since may have made them with other ids.
    ContentType.objects.clear_cache()
