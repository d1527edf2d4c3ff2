"""Background work for the register, run by the worker: the sign-off emails.

A mail server that fails is tried again later (base/mail.py); a retry skips the people already told."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import TaskState, WorkflowState

from base.mail import SendFailed, language_of, try_again_later

from . import sign_off


def _edit_url(page):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=(page.pk,))


def _label(page):
    reference = getattr(page, "reference", "")
    return f"{page.title} ({reference})" if reference else page.title


@task()
def tell_approvers(task_state_id, attempt=1, already_told=()):
    """Email the data protection officers that an entry waits for their sign-off."""
    task_state = TaskState.objects.select_related("workflow_state__requested_by").filter(pk=task_state_id).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return 0  # decided or cancelled before the worker got to it
    page = task_state.workflow_state.content_object.specific
    submitter = task_state.workflow_state.requested_by
    told = list(already_told)
    try:
        for person in sign_off.approvers(task_state).exclude(email__in=told):
            with translation.override(language_of(person)):
                send_mail(
                    _("Waiting for your sign-off: %(title)s") % {"title": _label(page)},
                    _(
                        "%(who)s sent this entry for sign-off:\n\n%(title)s\n\nCheck it, then approve it (which "
                        "publishes it) or send it back with a comment:\n%(url)s\n"
                    )
                    % {
                        "who": submitter.get_full_name() or submitter.get_username() if submitter else _("Someone"),
                        "title": _label(page),
                        "url": _edit_url(page),
                    },
                    settings.DEFAULT_FROM_EMAIL,
                    [person.email],
                )
            told.append(person.email)
    except OSError as error:
        failure = SendFailed(told)
        failure.__cause__ = error
        return try_again_later(tell_approvers, failure, attempt, task_state_id, already_told=told)
    return len(told) - len(already_told)


@task()
def tell_submitter(workflow_state_id, outcome, attempt=1):
    """Email the person who sent the entry for sign-off that it was approved, or sent back with the comment."""
    workflow_state = WorkflowState.objects.select_related("requested_by").filter(pk=workflow_state_id).first()
    person = workflow_state.requested_by if workflow_state else None
    if person is None or not person.is_active or not person.email:
        return 0
    page = workflow_state.content_object.specific
    with translation.override(language_of(person)):
        if outcome == sign_off.APPROVED:
            body = _("Your entry was approved and is now published:\n\n%(title)s\n%(url)s\n") % {
                "title": _label(page),
                "url": page.full_url or _edit_url(page),
            }
        else:
            comment = sign_off.send_back_comment(workflow_state) or _("(no comment)")
            body = _(
                "Your entry was sent back. The data protection officer wrote:\n\n%(comment)s\n\nMake the changes, "
                "then send it for sign-off again:\n%(url)s\n"
            ) % {"comment": comment, "url": _edit_url(page)}
        subject = sign_off.subject_for(outcome, _label(page))
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    except OSError as error:
        return try_again_later(tell_submitter, error, attempt, workflow_state_id, outcome)
    return 1
