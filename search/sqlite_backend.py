"""SQLite FTS5 with stemming and weighted columns; see search/backends.py. Imported only on SQLite."""

from django.db.models import F
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite import sqlite as sqlite_backend
from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
from modelsearch.index import SearchField
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

IndexEntry = sqlite_backend.IndexEntry

# Relative weights of the FTS5 columns (autocomplete, body, title) in bm25(). The autocomplete column
# holds titles for suggestions; it is not used for ranking.
FTS_COLUMN_WEIGHTS = (0.0, 1.0, 5.0)
# Fields with at least this boost are ranked with the title.
HEAVY_BOOST = 2


class WeightedBM25(BM25):
    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection)
        weights = ", ".join(str(weight) for weight in FTS_COLUMN_WEIGHTS)
        return sql[:-1] + f", {weights})", params


class ObjectIndexer(sqlite_backend.ObjectIndexer):
    def _texts(self, heavy):
        texts = []
        for field in self.search_fields:
            for current_field, value in self.prepare_field(self.obj, field):
                if isinstance(current_field, SearchField):
                    boost = current_field.boost or 1
                    if (boost >= HEAVY_BOOST) == heavy and value:
                        texts.append(value)
        return " ".join(texts)

    @cached_property
    def title(self):
        return self._texts(heavy=True)

    @cached_property
    def body(self):
        return self._texts(heavy=False)


class SQLiteIndex(sqlite_backend.SQLiteIndex):
    def add_items(self, model, objs):
        """Wagtail's add_items, with the indexer above."""
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
        self.entries.bulk_create(
            IndexEntry(
                content_type_id=content_type_pk, object_id=object_id, title=title, autocomplete=autocomplete, body=body
            )
            for object_id, (title, autocomplete, body) in data.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class SQLiteSearchQueryCompiler(sqlite_backend.SQLiteSearchQueryCompiler):
    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, (Phrase, PlainText, Not)):
            # bm25() is lower for better matches, so results sort ascending, as in Wagtail's backend.
            rank = WeightedBM25()
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def get_search_vectors(self):
        # One weighted bm25() over the row, not Wagtail's title_norm mix.
        return [(F("index_entry__body"), 1.0)]


class SQLiteSearchBackend(sqlite_backend.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    index_class = SQLiteIndex


def ranked_object_ids(compiler, limit):
    """Primary keys matching the compiler's query, best first, from one pass over the FTS index.

    Wagtail's compiler ranks with a correlated subquery per row, which takes seconds for thousands of
    matches; this reads the scores once. Returns None for queries it does not handle.
    """
    query = normalize(compiler.query)
    if isinstance(query, (MatchAll, Not)):
        return None
    match = MatchExpression(compiler.FTS_TABLE_FIELDS, compiler.build_search_query(query))
    rows = (
        sqlite_backend.SQLiteFTSIndexEntry.objects.filter(match)
        .filter(index_entry__content_type__in=get_descendants_content_types_pks(compiler.queryset.model))
        .annotate(score=compiler._build_rank_expression(compiler.get_search_vectors(), None))
        .order_by("score")
        .values_list("index_entry__object_id", flat=True)[:limit]
    )
    return [int(object_id) for object_id in rows]
