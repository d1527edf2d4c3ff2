"""Background work for the feedback loop, run by django-tasks."""

from django_tasks import task

from .retention import delete_expired_text


@task()
def delete_expired_feedback_text():
    """Run daily (see README): removes feedback text past each council's retention period."""
    return delete_expired_text()
