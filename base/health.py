"""Readiness of the task queue, for /readyz (django-health-check): can work be queued for the worker?"""

import dataclasses

from django.db import Error as DatabaseError
from django.db import connections
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The default django-tasks backend can take work: its table answers (database queue) or its Redis
    answers a ping (RQ queue). A backend that runs tasks in the request (the tests') has nothing to reach."""

    def run(self):
        try:
            self._reach_queue()
        finally:
            # Checks run in threads of their own, which Django's per-request connection upkeep never visits: a
            # connection broken while the database was away would fail every later check.
            connections.close_all()

    def _reach_queue(self):
        from django_tasks import task_backends

        backend = task_backends["default"]
        try:
            if backend.__class__.__module__.startswith("django_tasks_db"):
                from django_tasks_db.models import DBTaskResult

                DBTaskResult.objects.only("pk").first()
            elif hasattr(backend, "connection"):
                backend.connection.ping()
        except (DatabaseError, OSError, ConnectionError) as error:
            raise ServiceUnavailable("The task queue cannot be reached") from error
        except Exception as error:  # a Redis client error, say: not ready, whatever its class
            raise ServiceUnavailable(f"The task queue cannot be reached ({error.__class__.__name__})") from error
