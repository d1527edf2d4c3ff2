"""Review rules in the admin: a team's owners, and its council's comms officers, set how much negative feedback opens
a review of the team's entries (see feedback.reviews). Other councils' teams are not found."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log
from wagtail.models import Locale

from datauses.models import ServiceOwnerTeam

from ..models import ReviewRule
from ..permissions import councils_user_writes_for


def teams_user_may_set(user):
    """Teams whose rule this person may set: their own teams and, for comms officers, every team of their council
    (data protection officers read feedback but do not act on it). The teams in the site's main language; the
    rule covers the team in every language."""
    teams = ServiceOwnerTeam.objects.filter(locale=Locale.get_default())
    if user.is_superuser:
        return teams
    if not (user.is_authenticated and user.is_active):
        return teams.none()
    return teams.filter(Q(group__in=user.groups.all()) | Q(organisation_id__in=councils_user_writes_for(user)))


class ReviewRuleForm(forms.ModelForm):
    # Zero answers would open a review on every response; the score rule alone may be turned off with 0.
    LIMITS = {"uncomfortable_count": (1, 1000), "window_days": (1, 365), "net_score_drop": (0, 200)}

    class Meta:
        model = ReviewRule
        fields = ["uncomfortable_count", "window_days", "net_score_drop"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.LIMITS.items():
            field = self.fields[name]
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)


def _breadcrumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": _("Feedback")},  # a menu of its own, with no page
        *items,
    ]


def index(request):
    teams = list(teams_user_may_set(request.user).select_related("organisation", "review_rule"))
    if not teams and not request.user.is_superuser:
        raise PermissionDenied
    for team in teams:
        team.rule = getattr(team, "review_rule", None)
    return render(
        request,
        "feedback/admin/review_rules.html",
        {
            "header_title": _("Review rules"),
            "header_icon": "warning",
            "breadcrumbs_items": _breadcrumbs({"url": "", "label": _("Review rules")}),
            "teams": teams,
            "defaults": ReviewRule(),
        },
    )


def edit(request, team_id):
    team = get_object_or_404(teams_user_may_set(request.user).select_related("organisation"), pk=team_id)
    rule = ReviewRule.objects.filter(team=team).first() or ReviewRule(team=team)
    is_new = rule.pk is None
    form = ReviewRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule = form.save()
        log(instance=rule, action="wagtail.create" if is_new else "wagtail.edit", user=request.user)
        messages.success(request, _("Review rule for %(team)s saved.") % {"team": team.name})
        return redirect("review_rules:index")
    return render(
        request,
        "feedback/admin/review_rule_edit.html",
        {
            "header_title": _("Review rule: %(team)s") % {"team": team.name},
            "header_icon": "warning",
            "breadcrumbs_items": _breadcrumbs(
                {"url": reverse("review_rules:index"), "label": _("Review rules")}, {"url": "", "label": team.name}
            ),
            "team": team,
            "form": form,
        },
    )


class ReviewRulesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or teams_user_may_set(request.user).exists()


def urlpatterns():
    """Registered by feedback/wagtail_hooks.py under /admin/feedback/review-rules/."""
    urls = [path("", index, name="index"), path("<int:team_id>/", edit, name="edit")]
    return [path("feedback/review-rules/", include((urls, "review_rules"), namespace="review_rules"))]
