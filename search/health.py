"""Readiness of the search backend, for /readyz (django-health-check): does a search get an answer?"""

import dataclasses

from django.db import connections
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from wagtail.models import Page
from wagtail.search.backends import get_search_backend


@dataclasses.dataclass
class SearchBackend(HealthCheck):
    """A one-result search on the default backend: the database's full-text index, or Elasticsearch or
    OpenSearch (whose client has its own time-out, SEARCH_TIMEOUT)."""

    def run(self):
        try:
            list(get_search_backend().search("readiness", Page)[:1])
        except Exception as error:  # a database or a search server error alike: the backend is not ready
            raise ServiceUnavailable(f"Search cannot be reached ({error.__class__.__name__})") from error
        finally:
            connections.close_all()  # as base.health.TaskQueue does: this thread's connection is not looked after
