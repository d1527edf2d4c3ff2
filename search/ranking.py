"""Ranking: the primary keys of the objects matching some words, best first, from whichever backend is set up.

It knows nothing of the register: it ranks whatever indexed queryset it is given and keeps the candidates
the caller allows.
"""

import logging

from django.conf import settings
from django.db import connection
from wagtail.search.backends import get_search_backend

logger = logging.getLogger(__name__)


class SearchUnavailable(Exception):
    """The search backend could not answer (for example, Elasticsearch is down)."""


def _backend_errors():
    errors = [OSError]
    try:
        from elastic_transport import TransportError
        from elasticsearch import ApiError

        errors += [TransportError, ApiError]
    except ImportError:  # pragma: no cover - the client is in requirements.txt
        pass
    try:
        from opensearchpy.exceptions import OpenSearchException

        errors.append(OpenSearchException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


BACKEND_ERRORS = _backend_errors()


# Database backends whose compiler can return ranked keys as a query (PostgreSQL, SQLite FTS5).
FULL_TEXT_DATABASE_BACKENDS = {
    "modelsearch.backends.database.postgres.postgres",
    "modelsearch.backends.database.sqlite.sqlite",
}


def ranked_pks(searchable, candidates, terms, operator="and", allowed=None):
    """Primary keys of the candidates matching the terms, best match first.

    ``searchable`` is what the index can filter by itself (for example live pages in one language);
    ``candidates`` is the narrower queryset the caller allows (public, in one register, filtered), or
    ``allowed``, the same as a set of primary keys when the caller already has it. Raises SearchUnavailable
    if the backend cannot be reached.
    """
    limit = settings.SEARCH_MAX_HITS
    backend = get_search_backend()
    try:
        if any(cls.__module__ in FULL_TEXT_DATABASE_BACKENDS for cls in type(backend).__mro__):
            # The database backends give the ranked keys without building objects. The search runs over
            # simple filters and the candidates are kept in Python: a subquery of the candidates makes the
            # database rank every row again (seconds at 10,000 entries).
            if allowed is None:
                allowed = set(candidates.order_by().values_list("pk", flat=True))
            compiler = searchable.search(" ".join(terms), operator=operator).query_compiler
            ranked = None
            # Each database's own module is loaded only on that database.
            if type(backend).__module__ == "search.sqlite_backend":
                from .sqlite_backend import ranked_object_ids

                ranked = ranked_object_ids(compiler, None)
            elif connection.vendor == "postgresql":
                from .postgres_backend import ranked_object_ids

                ranked = ranked_object_ids(compiler, backend)
            if ranked is None:
                ranked = compiler.search(compiler.get_config(backend), 0, None).values_list("pk", flat=True)
            return [pk for pk in ranked if pk in allowed][:limit]
        # Elasticsearch and OpenSearch: filter by what the index holds; the database then keeps only the
        # candidates (public, in this register, the visitor's filters).
        results = searchable.only("pk").search(" ".join(terms), operator=operator)
        hits = [hit.pk for hit in results[:limit]]
        return hits if allowed is None else [pk for pk in hits if pk in allowed]
    except BACKEND_ERRORS as error:
        logger.warning("Search backend unavailable: %s", error)
        raise SearchUnavailable from error
