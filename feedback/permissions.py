"""Who may see which feedback: owners their own entries', comms officers their council's, admins all."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from datauses import roles
from datauses.models import DataUsePage, ServiceOwnerTeam

from .models import FeedbackSubmission, OwnerAnswer, PageProblemReport


def _once_per_user(name, work_out):
    """A role lookup kept on the user object, as Django keeps its permission cache there: an admin listing asks
    for every row, and a user object lives for one request."""

    def lookup(user):
        key = f"_feedback_{name}"
        if not hasattr(user, key):
            setattr(user, key, work_out(user))
        return getattr(user, key)

    lookup.__doc__ = work_out.__doc__
    return lookup


councils_user_edits = _once_per_user("councils_user_edits", roles.councils_user_edits)
councils_user_writes_for = _once_per_user("councils_user_writes_for", roles.councils_user_writes_for)


def visible_to(user, queryset):
    """Narrow feedback (or page problem reports) to what this user may see."""
    if user.is_superuser:
        return queryset
    teams = ServiceOwnerTeam.objects.filter(group__in=user.groups.all()).values("pk")
    rule = Q(organisation_id__in=councils_user_edits(user))
    if hasattr(queryset.model, "comfort"):  # owners see sentiment feedback on their own entries
        rule |= Q(entry__owner_team__in=teams)
    return queryset.filter(rule)


class SentimentScope:
    """The feedback one person may see, as visible_to narrows it, worked out once for the several tallies a
    sentiment view reads: every council's (admins), their councils' (comms officers, data protection officers)
    and their teams' entries' (owners)."""

    def __init__(self, user):
        self.everything = user.is_superuser
        self.councils = [] if self.everything else list(councils_user_edits(user))
        self.teams = ServiceOwnerTeam.objects.filter(group__in=user.groups.all()).values("pk")

    def narrow(self, tallies):
        """Tallies (or feedback) with an entry and a council, narrowed to what the person may see."""
        if self.everything:
            return tallies
        return tallies.filter(Q(organisation_id__in=self.councils) | Q(entry__owner_team__in=self.teams))

    def council_months(self, council_months, month_tallies, council=None):
        """The querysets whose months add up to the person's monthly trend: whole councils from CouncilMonth, and
        from MonthTally only their teams' entries in other councils. For one council if council is given."""
        if council is not None:
            council_months = council_months.filter(organisation=council)
            month_tallies = month_tallies.filter(organisation=council)
        if self.everything:
            return [council_months]
        return [
            council_months.filter(organisation_id__in=self.councils),
            month_tallies.filter(entry__owner_team__in=self.teams).exclude(organisation_id__in=self.councils),
        ]


def can_see_entry(user, entry):
    """May this user see the feedback on this entry (even when there is none yet)?"""
    return visible_entries(user).filter(pk=entry.pk).exists()


def _is_service_owner(user):
    return user.is_authenticated and ServiceOwnerTeam.objects.filter(group__in=user.groups.all()).exists()


is_service_owner = _once_per_user("is_service_owner", _is_service_owner)


class FeedbackPermissionPolicy(ModelPermissionPolicy):
    """Roles, not model permissions, open the inbox: nobody adds feedback by hand; owners (for sentiment
    feedback) and comms officers may view and change it; deleting needs the model permission."""

    def __init__(self, model, owners_included=True):
        super().__init__(model)
        self.owners_included = owners_included

    def has_role(self, user):
        if not (user.is_authenticated and user.is_active):
            return False
        return bool(councils_user_edits(user)) or (self.owners_included and is_service_owner(user))

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        if user.is_superuser:
            return True
        if action in ("view", "change"):
            return self.has_role(user)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and visible_to(user, self.model._default_manager.filter(pk=instance.pk)).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        # Used by views that list instances without a viewset of ours (wagtail-localize's snippet API).
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return visible(user, self.model._default_manager.all())


def visible_entries(user):
    """Entries whose feedback and answers this user may see."""
    if user.is_superuser:
        return DataUsePage.objects.all()
    return DataUsePage.objects.filter(
        Q(organisation_id__in=councils_user_edits(user)) | Q(owner_team__group__in=user.groups.all())
    )


def answerable_entries(user):
    """Entries this user may answer in public: their team's, or, for comms officers, their council's. Data
    protection officers read the feedback but do not answer it."""
    if user.is_superuser:
        return DataUsePage.objects.all()
    return DataUsePage.objects.filter(
        Q(organisation_id__in=councils_user_writes_for(user)) | Q(owner_team__group__in=user.groups.all())
    )


class AnswerPermissionPolicy(FeedbackPermissionPolicy):
    """Owners and comms officers write, edit, publish and unpublish answers on the entries they answer for, by
    their role rather than a model permission. Data protection officers read feedback but do not answer it.
    Wagtail's snippet action menu asks only for the model permission, so
    the answer views ask this policy instead (see OwnerAnswerViewSet)."""

    WRITE_ACTIONS = ("add", "change", "publish", "unpublish")

    def may_answer(self, user):
        """Owners and comms officers: the people who answer residents."""
        if not (user.is_authenticated and user.is_active):
            return False
        return bool(councils_user_writes_for(user)) or is_service_owner(user)

    def user_has_permission(self, user, action):
        if user.is_superuser:
            return True
        if action == "view" or action in self.WRITE_ACTIONS:
            return self.may_answer(user)
        return ModelPermissionPolicy.user_has_permission(self, user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and answerable_entries(user).filter(pk=instance.entry_id).exists()

    def user_may_publish(self, user, instance=None):
        """May this user publish (or unpublish) this answer, or, with no answer yet, a new one?"""
        if instance is None or instance.pk is None:
            return self.user_has_permission(user, "publish")
        return self.user_has_permission_for_instance(user, "publish", instance)


def visible(user, queryset):
    """Narrow feedback, page problem reports or public answers to what this user may see."""
    if queryset.model is OwnerAnswer:
        return queryset.filter(entry__in=answerable_entries(user))
    return visible_to(user, queryset)


def may_see(user, instance):
    """May this user see this piece of feedback, page problem report or public answer, in any admin view?"""
    return visible(user, type(instance)._default_manager.filter(pk=instance.pk)).exists()


# One policy per model, used by every admin view of it. Feedback only ever comes from the public form, so
# nobody may add it in the admin. Page problems go to the people who write the register, not to owners.
feedback_policy = FeedbackPermissionPolicy(FeedbackSubmission)
problem_policy = FeedbackPermissionPolicy(PageProblemReport, owners_included=False)
answer_policy = AnswerPermissionPolicy(OwnerAnswer)


def register_policies():
    register_permission_policy(FeedbackSubmission, feedback_policy, exact_class=True)
    register_permission_policy(PageProblemReport, problem_policy, exact_class=True)
    register_permission_policy(OwnerAnswer, answer_policy, exact_class=True)
