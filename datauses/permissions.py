"""Who may change which council's snippets: a council and its teams belong to that council's staff.

Wagtail's snippet permissions cover every row of a model at once. For a council's own snippets (its Organisation
and its service owner teams) the model permission is not enough: the person must also work for that council,
or be one of the shared-terms translators, who look after every council's names. Reading them stays open to
every role, as they are public and editors choose from them.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from . import roles
from .models import Organisation, ServiceOwnerTeam

# Actions on one council's object that the model permission alone does not allow.
NARROWED_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock"}


class CouncilSnippetPolicy(ModelPermissionPolicy):
    """The model permissions, narrowed to the person's own councils for anything but reading."""

    def __init__(self, model, council_field):
        super().__init__(model)
        self.council_field = council_field  # the lookup from the model to its Organisation

    def may_act_for_any_council(self, user):
        return user.is_superuser or roles.works_across_councils(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action not in NARROWED_ACTIONS or self.may_act_for_any_council(user):
            return True
        return self.model._default_manager.filter(pk=instance.pk).filter(self.own_councils(user)).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        everything = self.model._default_manager.all()
        if not set(actions) <= NARROWED_ACTIONS or self.may_act_for_any_council(user):
            return everything
        return everything.filter(self.own_councils(user))

    def own_councils(self, user):
        return Q(**{f"{self.council_field}__in": roles.councils_of(user)})


organisation_policy = CouncilSnippetPolicy(Organisation, council_field="pk")
team_policy = CouncilSnippetPolicy(ServiceOwnerTeam, council_field="organisation")


def register_policies():
    register_permission_policy(Organisation, organisation_policy, exact_class=True)
    register_permission_policy(ServiceOwnerTeam, team_policy, exact_class=True)


def may_change(user, instance):
    """May this person change this page or snippet (and so translate it)? Pages by their page permissions,
    snippets by their model's permission policy, which for a council's own snippets checks the council."""
    if hasattr(instance, "permissions_for_user"):  # a page
        return instance.permissions_for_user(user).can_edit()
    return policy_registry.get(instance).user_has_permission_for_instance(user, "change", instance)


class OnlyTheirCouncils:
    """Mixed into every view of a council's snippets that opens one object (edit, delete, copy, history, usage):
    another council's is not found. Wagtail checks the model permission, not the object, in most of them."""

    def get_object(self, *args, **kwargs):
        found = super().get_object(*args, **kwargs)
        if found is not None and not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "delete"], found
        ):
            raise Http404
        return found
