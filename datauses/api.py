"""A read-only JSON API of the register: entries (with the register's filters, search and stable paging),
councils and the terms entries are described with, in the language of the address (/cy/api/v1/... in Welsh),
described for machines by an OpenAPI document at /api/v1/openapi.json.

Only published, public content, with the open data's columns (datauses/open_data.py): no feedback, no staff,
no reply addresses. Any web page may read it (CORS), and it is open data under the Open Government Licence.
Errors are JSON too: {"error": "...", "details": {...}} with the right status.
"""

import math

from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from base.languages import html_lang
from search.ranking import SearchUnavailable

from .filters import DataUseFilterSet
from .models import DataCategory, DataUsePage, Organisation, RegisterPage, ServiceArea
from .models.choices import DecisionMaking, LawfulBasis, SpecialCategoryCondition, Status
from .open_data import COLUMNS, FILTER_NAMES, LICENCE, entries_for, entry_document, matching_keys, published_entry

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
VERSION = "1.0.0"


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(message, status, details=None):
    body = {"error": str(message)}
    if details:
        body["details"] = details
    return _json(body, status=status)


def _whole_number(text, default, lowest, highest, name):
    if text in (None, ""):
        return default, None
    try:
        number = int(text)
    except ValueError:
        return None, f"{name} must be a whole number."
    if not lowest <= number <= highest:
        return None, f"{name} must be from {lowest} to {highest}."
    return number, None


@require_safe
def entries(request):
    """GET /api/v1/entries/: published entries, filtered like the register, a page at a time."""
    locale = Locale.get_active()
    unknown = sorted(set(request.GET) - {*FILTER_NAMES, "page", "page_size"})
    if unknown:
        return _error("Unknown parameters.", 400, dict.fromkeys(unknown, "Not a parameter of this list."))
    filterset = DataUseFilterSet(request.GET, queryset=DataUsePage.objects.none(), locale_id=locale.pk)
    if not filterset.form.is_valid():
        details = {name: [str(message) for message in messages] for name, messages in filterset.form.errors.items()}
        return _error("Some filter values are not ones this register uses.", 400, details)
    page_size, problem = _whole_number(request.GET.get("page_size"), PAGE_SIZE, 1, MAX_PAGE_SIZE, "page_size")
    if problem:
        return _error(problem, 400, {"page_size": problem})
    page, problem = _whole_number(request.GET.get("page"), 1, 1, 10**6, "page")
    if problem:
        return _error(problem, 400, {"page": problem})
    try:
        found = matching_keys(request, locale)
    except SearchUnavailable:
        response = _error("Searching by words is not working at the moment. Please try again later.", 503)
        response["Retry-After"] = "300"
        return response
    pages = max(1, math.ceil(len(found) / page_size))
    if page > pages:
        return _error(f"There are only {pages} pages.", 404, {"page": f"Ask for page 1 to {pages}."})
    shown = entries_for(found[(page - 1) * page_size : page * page_size])

    def page_url(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return _json(
        {
            "count": len(found),
            "page": page,
            "pages": pages,
            "page_size": page_size,
            "next": page_url(page + 1) if page < pages else None,
            "previous": page_url(page - 1) if page > 1 else None,
            "language": html_lang(translation.get_language()),
            "licence": LICENCE,
            "results": [{column.name: column.value(entry) for column in COLUMNS} for entry in shown],
        }
    )


@require_safe
def entry(request, reference):
    """GET /api/v1/entries/<reference>/: one published entry in full."""
    found = published_entry(reference)
    if found is None:
        return _error("No published entry has that reference.", 404)
    return _json(entry_document(found, request))


@require_safe
def councils(request):
    """GET /api/v1/councils/: the councils with published entries, with their registers' addresses."""
    locale = Locale.get_active()
    registers = {
        register.organisation_id: register
        for register in RegisterPage.objects.live().public().filter(locale=locale, organisation__isnull=False)
    }
    counts = {}
    for organisation_id in (
        DataUsePage.objects.live().public().filter(locale=locale).values_list("organisation_id", flat=True)
    ):
        counts[organisation_id] = counts.get(organisation_id, 0) + 1
    results = [
        {
            "code": council.slug,
            "name": council.name,
            "short_name": council.short_name,
            "website": council.website,
            "privacy_notice": council.privacy_notice_url,
            "register": registers[council.pk].full_url if council.pk in registers else None,
            "entries": counts.get(council.pk, 0),
        }
        for council in Organisation.objects.filter(locale=locale).order_by("name", "pk")
        if counts.get(council.pk)
    ]
    return _json({"count": len(results), "language": html_lang(translation.get_language()), "results": results})


def _codes(choices):
    return [{"code": value, "name": str(label)} for value, label in choices.choices]


@require_safe
def taxonomies(request):
    """GET /api/v1/taxonomies/: every term and code entries are described with, and what each means."""
    locale = Locale.get_active()
    return _json(
        {
            "language": html_lang(translation.get_language()),
            "service_areas": [
                {"code": area.slug, "name": area.name}
                for area in ServiceArea.objects.filter(locale=locale).order_by("name", "pk")
            ],
            "kinds_of_data": [
                {"code": kind.slug, "name": kind.name, "special_category": kind.is_special_category}
                for kind in DataCategory.objects.filter(locale=locale).order_by("name", "pk")
            ],
            "statuses": _codes(Status),
            "lawful_bases": _codes(LawfulBasis),
            "special_category_conditions": _codes(SpecialCategoryCondition),
            "decision_making": _codes(DecisionMaking),
        }
    )


JSON_TYPES = {
    "text": {"type": "string"},
    "code": {"type": "string"},
    "address": {"type": ["string", "null"], "format": "uri"},
    "yes/no": {"type": "boolean"},
    "list": {"type": "array", "items": {"type": "string"}},
    # A date (2026-12-31), or only a month (2026-12) where that is all the council knows.
    "date": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"},
}


def _filter_parameters(locale):
    described = {
        "q": "Words to search for; results come best match first.",
        "council": "A council's code (as in /api/v1/councils/). Repeat for several.",
        "service_area": "A service area's code (as in /api/v1/taxonomies/). Repeat for several.",
        "data": "A kind of data's code (as in /api/v1/taxonomies/). Repeat for several.",
        "lawful_basis": "A lawful basis code. Repeat for several.",
        "status": "A status code. Repeat for several.",
        "automated": "yes: only entries with automated decisions or AI; no: only those without.",
        "sharing": "yes: only entries whose data is shared; no: only those whose data is not.",
        "sort": "title (A to Z, the default without words) or updated (most recently published first).",
    }
    enums = {
        "council": sorted(Organisation.objects.filter(locale=locale).values_list("slug", flat=True)),
        "service_area": sorted(ServiceArea.objects.filter(locale=locale).values_list("slug", flat=True)),
        "data": sorted(DataCategory.objects.filter(locale=locale).values_list("slug", flat=True)),
        "lawful_basis": [value for value, _label in LawfulBasis.choices],
        "status": [value for value, _label in Status.choices],
        "automated": ["yes", "no"],
        "sharing": ["yes", "no"],
        "sort": ["title", "updated"],
    }
    repeated = {"council", "service_area", "data", "lawful_basis", "status"}
    parameters = []
    for name in FILTER_NAMES:
        schema = {"type": "string"}
        if name in enums:
            schema["enum"] = enums[name]
        if name == "q":
            schema["maxLength"] = 200
        if name in repeated:
            schema = {"type": "array", "items": schema}
        parameter = {"name": name, "in": "query", "required": False, "description": described[name], "schema": schema}
        if name in repeated:
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


@require_safe
def openapi(request):
    """GET /api/v1/openapi.json: the OpenAPI 3.1 description of this API."""
    entry_properties = {
        column.name: {**JSON_TYPES[column.kind], "description": str(column.meaning)} for column in COLUMNS
    }
    for column in COLUMNS:
        if column.codes is not None:
            entry_properties[column.name]["enum"] = ["", *(value for value, _label in column.codes.choices)]
    error = {"$ref": "#/components/schemas/Error"}

    def answer(description, schema):
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    base = reverse("api_entries").rsplit("/entries/", 1)[0]
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Data use register API",
            "version": VERSION,
            "description": (
                "Read-only: every published entry of the councils' data use register, the councils and the "
                "terms entries use. Add /cy before /api for Welsh. Open data under the Open Government Licence."
            ),
            "license": {"name": LICENCE["name"], "url": LICENCE["url"]},
        },
        "servers": [{"url": request.build_absolute_uri(base)}],
        "paths": {
            "/entries/": {
                "get": {
                    "summary": "Published entries, filtered like the register, a page at a time",
                    "operationId": "listEntries",
                    "parameters": [
                        *_filter_parameters(Locale.get_active()),
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 10**6},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
                        },
                    ],
                    "responses": {
                        "200": answer("A page of entries", {"$ref": "#/components/schemas/EntryPage"}),
                        "400": answer("A parameter or filter value this API does not know", error),
                        "404": answer("A page past the last", error),
                        "503": answer("Searching by words is not working at the moment", error),
                    },
                }
            },
            "/entries/{reference}/": {
                "get": {
                    "summary": "One published entry in full",
                    "operationId": "getEntry",
                    "parameters": [
                        {
                            "name": "reference",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,12}$"},
                        }
                    ],
                    "responses": {
                        "200": answer("The entry", {"$ref": "#/components/schemas/EntryInFull"}),
                        "404": answer("No published entry has that reference", error),
                    },
                }
            },
            "/councils/": {
                "get": {
                    "summary": "The councils with published entries",
                    "operationId": "listCouncils",
                    "responses": {"200": answer("The councils", {"$ref": "#/components/schemas/Councils"})},
                }
            },
            "/taxonomies/": {
                "get": {
                    "summary": "The terms and codes entries are described with",
                    "operationId": "getTaxonomies",
                    "responses": {"200": answer("The terms", {"$ref": "#/components/schemas/Taxonomies"})},
                }
            },
        },
        "components": {"schemas": _schemas(entry_properties)},
    }
    return _json(document)


def _schemas(entry_properties):
    term = {
        "type": "object",
        "required": ["code", "name"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
    }
    nullable_address = {"type": ["string", "null"], "format": "uri"}
    licence = {
        "type": "object",
        "required": ["name", "url"],
        "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    }
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}, "details": {"type": "object"}},
        },
        "Licence": licence,
        "Entry": {
            "type": "object",
            "required": list(entry_properties),
            "additionalProperties": False,
            "properties": entry_properties,
        },
        "EntryPage": {
            "type": "object",
            "required": ["count", "page", "pages", "page_size", "next", "previous", "language", "licence", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1},
                "next": nullable_address,
                "previous": nullable_address,
                "language": {"type": "string"},
                "licence": {"$ref": "#/components/schemas/Licence"},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}},
            },
        },
        "EntryInFull": {
            "type": "object",
            "required": [*entry_properties, "licence", "kinds_of_data_in_full", "shared_with_in_full", "risks"],
            "properties": {
                **entry_properties,
                "licence": {"$ref": "#/components/schemas/Licence"},
                "kinds_of_data_in_full": {"type": "array", "items": {"type": "object"}},
                "shared_with_in_full": {"type": "array", "items": {"type": "object"}},
                "risks": {"type": "array", "items": {"type": "object"}},
                "impact_assessments": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Councils": {
            "type": "object",
            "required": ["count", "language", "results"],
            "properties": {
                "count": {"type": "integer"},
                "language": {"type": "string"},
                "results": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["code", "name", "register", "entries"],
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "short_name": {"type": "string"},
                            "website": {"type": "string"},
                            "privacy_notice": {"type": "string"},
                            "register": nullable_address,
                            "entries": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
        "Taxonomies": {
            "type": "object",
            "required": ["language", "service_areas", "kinds_of_data", "statuses", "lawful_bases"],
            "properties": {
                "language": {"type": "string"},
                "service_areas": {"type": "array", "items": term},
                "kinds_of_data": {"type": "array", "items": term},
                "statuses": {"type": "array", "items": term},
                "lawful_bases": {"type": "array", "items": term},
                "special_category_conditions": {"type": "array", "items": term},
                "decision_making": {"type": "array", "items": term},
            },
        },
    }
