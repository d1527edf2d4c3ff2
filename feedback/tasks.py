"""Background work for the feedback loop, run by django-tasks."""

from django_tasks import task

from .retention import delete_expired_text


@task()
def delete_expired_feedback_text():
    """Run daily (see README): removes feedback text past each council's retention period."""
    return delete_expired_text()


@task()
def notify_owners(submission_id):
    from .models import FeedbackSubmission
    from .notifications import notify_new_feedback

    submission = FeedbackSubmission.objects.select_related("entry__owner_team").filter(pk=submission_id).first()
    return notify_new_feedback(submission) if submission else 0


@task()
def send_feedback_digests(frequency):
    from .notifications import send_digests

    return send_digests(frequency)


@task()
def tell_repliers(answer_id):
    from .models import OwnerAnswer
    from .notifications import tell_people_who_asked_for_a_reply

    answer = OwnerAnswer.objects.select_related("entry").filter(pk=answer_id, live=True).first()
    return tell_people_who_asked_for_a_reply(answer) if answer else 0
