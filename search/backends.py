"""The database search backend, tuned for the register.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`` picks by database, as Wagtail's own
database backend does, with two changes for SQLite so that it behaves like PostgreSQL:

- words are stemmed (the FTS5 table uses the Porter tokenizer, see migration 0001), so "camera" finds
  "cameras";
- title and summary weigh more than the rest: fields with a boost of 2 or more are indexed in the FTS
  "title" column, and the ranking weights that column five times the body.

On PostgreSQL, Wagtail's backend already stems (``SEARCH_CONFIG``, English by default here) and weights
fields by their boost.
"""

from django.db import connection


def SearchBackend(params):
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available

        if fts5_available():
            from .sqlite_backend import SQLiteSearchBackend

            return SQLiteSearchBackend(params)
    from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend

    return DatabaseSearchBackend(params)
