"""Sign-off: a council's entries go live only when one of its data protection officers approves them.

Each council has a Wagtail workflow ("Bristol sign-off") with one group approval task for its data protection
officers, on its register, so it covers every entry in it. Editors have no publish permission, so submitting is
their only way to go live; approving publishes. Wagtail emails the people concerned from inside the request; the
register sends those emails from the worker instead (datauses/tasks.py), in each person's admin language."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from base.languages import offered_languages

# Wagtail's own email handlers are connected with these dispatch ids (wagtail/admin/signal_handlers.py).
# Django keeps the first receiver connected under an id, and this app is ready before wagtail.admin, so
# connecting ours under the same ids stops Wagtail's emailing inside the request.
WAGTAIL_EMAIL_HANDLERS = {
    "task_submitted": "group_approval_task_submitted_email_notification",
    "workflow_submitted": "workflow_state_submitted_email_notification",
    "workflow_rejected": "workflow_state_rejected_email_notification",
    "workflow_approved": "workflow_state_approved_email_notification",
}

APPROVED = "approved"
SENT_BACK = "sent-back"


def ensure_sign_off(organisation, register, dpo_group):
    """The council's sign-off workflow, its task for the data protection officers, and its place on the register
    in each language."""
    workflow, _created = Workflow.objects.get_or_create(name=f"{organisation.short_name} sign-off")
    task = GroupApprovalTask.objects.filter(name=f"{organisation.short_name} data protection officer sign-off").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"{organisation.short_name} data protection officer sign-off")
    task.groups.set([dpo_group])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    # Every language's copy of the register the council offers: a translation goes live on the same sign-off.
    for version in register.get_translations(inclusive=True).filter(
        locale__language_code__in=offered_languages(register)
    ):
        WorkflowPage.objects.update_or_create(page=version, defaults={"workflow": workflow})
    return workflow


def approvers(task_state):
    """Active people with an email address who can approve this task, except the person who submitted it."""
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return get_user_model().objects.none()
    people = get_user_model().objects.filter(groups__in=groups.all(), is_active=True).exclude(email="").distinct()
    requested_by = task_state.workflow_state.requested_by_id
    return people.exclude(pk=requested_by) if requested_by else people


def send_back_comment(workflow_state):
    """What the data protection officer wrote when sending the entry back, if anything."""
    rejected = (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_REJECTED)
        .order_by("-finished_at")
        .first()
    )
    return rejected.get_comment() if rejected else ""


def connect(tell_approvers, tell_submitter):
    """Send the workflow's emails from the worker: ``tell_approvers`` and ``tell_submitter`` are tasks."""

    def task_was_submitted(sender, instance, user=None, **kwargs):
        if isinstance(instance.task.specific, GroupApprovalTask):
            tell_approvers.enqueue(instance.pk)

    def workflow_was_approved(sender, instance, user=None, **kwargs):
        tell_submitter.enqueue(instance.pk, APPROVED)

    def workflow_was_sent_back(sender, instance, user=None, **kwargs):
        tell_submitter.enqueue(instance.pk, SENT_BACK)

    def nothing(sender, **kwargs):
        """The workflow's start is told by its first task's submission."""

    handlers = {
        "task_submitted": (task_submitted, TaskState, task_was_submitted),
        "workflow_submitted": (workflow_submitted, WorkflowState, nothing),
        "workflow_rejected": (workflow_rejected, WorkflowState, workflow_was_sent_back),
        "workflow_approved": (workflow_approved, WorkflowState, workflow_was_approved),
    }
    for name, (signal, sender, handler) in handlers.items():
        signal.connect(handler, sender=sender, dispatch_uid=WAGTAIL_EMAIL_HANDLERS[name], weak=False)


def waiting_for(user):
    """Entries waiting for this person's sign-off (for tests and the README; Wagtail's dashboard lists them too)."""
    return TaskState.objects.filter(
        Q(task__groupapprovaltask__groups__in=user.groups.all()), status=TaskState.STATUS_IN_PROGRESS
    ).distinct()


def subject_for(outcome, title):
    if outcome == APPROVED:
        return _("Approved and published: %(title)s") % {"title": title}
    return _("Sent back with changes to make: %(title)s") % {"title": title}
