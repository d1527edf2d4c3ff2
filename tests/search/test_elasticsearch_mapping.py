"""The Elasticsearch 9 and OpenSearch 3 index our models produce, checked offline.

No cluster runs here, so these tests build the backends as production settings do (the client does not
connect until it is used) and check the mapping, the index settings, a document and the queries that
would be sent, using the backends' own mapping and query classes.
"""

import pytest
from django.conf import settings
from wagtail.search.backends.elasticsearch9 import SearchBackend as Elasticsearch9
from wagtail.search.backends.opensearch3 import SearchBackend as OpenSearch3

from datauses.models import DataUsePage
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    SharingPartnerFactory,
    add_category,
    add_risk,
    add_sharing,
)

pytestmark = pytest.mark.django_db

BACKENDS = [pytest.param(Elasticsearch9, id="elasticsearch9"), pytest.param(OpenSearch3, id="opensearch3")]


def build(backend_class):
    return backend_class(
        {
            "URLS": ["http://127.0.0.1:9"],
            "INDEX": "datause",
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": settings.SEARCH_INDEX_SETTINGS,
        }
    )


def properties(backend_class):
    return build(backend_class).mapping_class(DataUsePage).get_mapping()["properties"]


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_title_and_summary_are_boosted_over_the_rest(backend_class):
    fields = properties(backend_class)
    for name in ("title", "datauses_datausepage__summary"):
        assert fields[name]["type"] == "text"
        assert "_all_text_boost_2_0" in fields[name]["copy_to"], name
    for name in ("datauses_datausepage__purpose", "datauses_datausepage__body"):
        assert fields[name]["copy_to"] == "_all_text", name
    query = build(backend_class).query_compiler_class(DataUsePage.objects.all(), "camera").get_query()
    assert query["bool"]["must"]["multi_match"]["fields"] == ["_all_text", "_all_text_boost_2_0^2.0"]


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_related_names_are_searchable(backend_class):
    fields = properties(backend_class)
    categories = fields["datauses_datausepage__data_categories"]
    assert categories["type"] == "nested"
    assert categories["properties"]["category"]["properties"]["name"]["copy_to"] == "_all_text"
    assert fields["datauses_datausepage__sharing"]["properties"]["partner"]["properties"]["name"]
    assert set(fields["datauses_datausepage__risks"]["properties"]) == {"risk", "safeguard"}
    assert fields["datauses_datausepage__organisation"]["properties"]["name"]["copy_to"] == "_all_text"
    assert fields["datauses_datausepage__service_area"]["properties"]["name"]["copy_to"] == "_all_text"


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_filters_and_suggestions_are_mapped(backend_class):
    fields = properties(backend_class)
    assert fields["live_filter"]["type"] == "boolean"
    assert fields["locale_id_filter"]["type"] in {"integer", "long"}
    for name in ("status", "lawful_basis", "decision_making"):
        assert fields[f"datauses_datausepage__{name}_filter"]["type"] == "keyword"
    assert fields["datauses_datausepage__uses_algorithm_filter"]["type"] == "boolean"
    assert fields["title_edgengrams"]["analyzer"] == "edgengram_analyzer"


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_index_settings_add_english_stemming_without_accents_and_keep_the_backends_analysers(backend_class):
    analysis = build(backend_class).settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["type"] == "custom" and default["tokenizer"] == "standard"
    chain = default["filter"]
    # Lower case, then accents dropped ("Camerâu" -> "camerau"), then stop words and English stems.
    assert chain.index("lowercase") < chain.index("asciifolding") < chain.index("english_stop")
    assert chain[-1] == "english_stemmer"
    assert analysis["filter"]["english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert analysis["filter"]["english_stop"]["stopwords"] == "_english_"
    # Every filter named is built in or defined, next to the backend's own n-gram filters.
    assert set(chain) - {"lowercase", "asciifolding"} <= set(analysis["filter"])
    assert {"ngram", "edgengram"} <= set(analysis["filter"])
    assert {"edgengram_analyzer", "ngram_analyzer"} <= set(analysis["analyzer"])


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_a_document_carries_what_people_search_for(backend_class, bristol_register, locale):
    entry = DataUsePageFactory(parent=bristol_register, title="CCTV in the city centre", summary="Cameras watch.")
    add_category(entry, DataCategoryFactory(name="Images and video", locale=locale))
    add_sharing(entry, SharingPartnerFactory(name="Avon and Somerset Police", locale=locale))
    add_risk(entry, risk="Someone could be recognised.")
    document = build(backend_class).mapping_class(DataUsePage).get_document(entry)
    assert document["title"] == "CCTV in the city centre"
    assert document["datauses_datausepage__summary"] == "Cameras watch."
    categories = document["datauses_datausepage__data_categories"]
    assert categories[0]["category"]["name"] == "Images and video"
    assert document["datauses_datausepage__sharing"][0]["partner"]["name"] == "Avon and Somerset Police"
    assert document["datauses_datausepage__risks"][0]["risk"] == "Someone could be recognised."
    assert document["live_filter"] is True
    assert document["locale_id_filter"] == locale.pk


@pytest.mark.parametrize("backend_class", BACKENDS)
def test_searches_are_limited_to_live_entries_in_the_pages_language(backend_class, locale):
    # What search/engine.py sends for Elasticsearch and OpenSearch; the database applies the rest.
    candidates = DataUsePage.objects.live().filter(locale_id=locale.pk)
    query = build(backend_class).query_compiler_class(candidates, "camera").get_query()
    filters = query["bool"]["filter"][1]["bool"]["must"]
    assert {"term": {"live_filter": True}} in filters
    assert {"term": {"locale_id_filter": locale.pk}} in filters
