"""Owners set their team's review rule in the admin, and so may their council's comms officers; anyone else is
refused (sent back to the admin home, or 404 for another team), never shown an error page. The rule is what opens
reviews."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, ModelLogEntry

from feedback import reviews
from feedback.models import ReviewRule
from tests.factories import FeedbackSubmissionFactory, ServiceOwnerTeamFactory
from tests.feedback.conftest import admin_group

pytestmark = pytest.mark.django_db

RULES = "/admin/feedback/review-rules/"
USES_DEFAULTS = '<span class="w-status">the defaults</span>'
NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def teams(world, bristol, leeds, bristol_register, leeds_register, django_user_model, locale):
    """Bristol's cameras team (the owner's), another Bristol team, a Leeds team; a Leeds comms officer and Bristol's
    data protection officer (who edits and publishes the register's pages but does not add them)."""
    for role, group, register, codenames in [
        ("leeds", "Leeds editors", leeds_register, ("add_page", "change_page", "publish_page")),
        ("dpo", "Bristol data protection officers", bristol_register, ("change_page", "publish_page")),
    ]:
        group = admin_group(group)
        for codename in codenames:
            GroupPagePermission.objects.create(
                group=group, page=register, permission=Permission.objects.get(codename=codename)
            )
        world["users"][role] = django_user_model.objects.create_user(role, password="x")
        world["users"][role].groups.add(group)
    return {
        "cameras": world["entries"]["cameras"].owner_team,
        "parking": ServiceOwnerTeamFactory(organisation=bristol, name="Parking team", locale=locale),
        "sensors": ServiceOwnerTeamFactory(organisation=leeds, name="Sensors team", locale=locale),
    }


def rule_data(**overrides):
    return {"uncomfortable_count": "5", "window_days": "14", "net_score_drop": "20", **overrides}


def as_user(client, world, role):
    client.force_login(world["users"][role])
    return client


def test_an_owner_sees_their_teams_rule_and_sets_it(client, world, teams):
    as_user(client, world, "owner")
    html = client.get(RULES).content.decode()
    assert "Cameras team" in html and USES_DEFAULTS in html
    assert "Parking team" not in html and "Sensors team" not in html
    form = client.get(f"{RULES}{teams['cameras'].pk}/").content.decode()
    assert 'name="uncomfortable_count"' in form and 'value="10"' in form  # the defaults to start from

    response = client.post(f"{RULES}{teams['cameras'].pk}/", rule_data())

    assert response.status_code == 302 and response.url == RULES
    rule = ReviewRule.objects.get(team=teams["cameras"])
    assert (rule.uncomfortable_count, rule.window_days, rule.net_score_drop) == (5, 14, 20)
    logged = ModelLogEntry.objects.get(object_id=str(rule.pk))
    assert logged.action == "wagtail.create" and logged.user == world["users"]["owner"]
    listing = client.get(RULES).content.decode()
    assert "Review rule for Cameras team saved." in listing and USES_DEFAULTS not in listing

    client.post(f"{RULES}{teams['cameras'].pk}/", rule_data(net_score_drop="0"))
    assert ReviewRule.objects.get(team=teams["cameras"]).net_score_drop == 0
    assert ModelLogEntry.objects.filter(object_id=str(rule.pk), action="wagtail.edit").count() == 1


def test_a_comms_officer_sets_the_rule_of_any_team_of_their_council(client, world, teams):
    as_user(client, world, "comms")
    html = client.get(RULES).content.decode()
    assert "Cameras team" in html and "Parking team" in html and "Sensors team" not in html
    for team in ("cameras", "parking"):
        assert client.post(f"{RULES}{teams[team].pk}/", rule_data()).status_code == 302
    assert ReviewRule.objects.filter(team__in=[teams["cameras"], teams["parking"]]).count() == 2


@pytest.mark.parametrize("role, team", [("owner", "parking"), ("owner", "sensors"), ("comms", "sensors")])
def test_staff_cannot_set_another_teams_or_councils_rule(client, world, teams, role, team):
    as_user(client, world, role)
    assert client.get(f"{RULES}{teams[team].pk}/").status_code == 404
    assert client.post(f"{RULES}{teams[team].pk}/", rule_data()).status_code == 404
    assert not ReviewRule.objects.exists()


def test_another_councils_comms_officer_sees_only_their_own_teams(client, world, teams):
    as_user(client, world, "leeds")
    html = client.get(RULES).content.decode()
    assert "Sensors team" in html and "Cameras team" not in html
    assert client.post(f"{RULES}{teams['cameras'].pk}/", rule_data()).status_code == 404
    assert client.post(f"{RULES}{teams['sensors'].pk}/", rule_data()).status_code == 302
    assert list(ReviewRule.objects.values_list("team", flat=True)) == [teams["sensors"].pk]


@pytest.mark.parametrize("role", ["nobody", "dpo"])
def test_staff_with_no_team_are_refused_and_anonymous_people_sent_to_sign_in(client, world, teams, role):
    as_user(client, world, role)
    refused = client.get(RULES, follow=True)  # Wagtail answers PermissionDenied by sending them to the admin home
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "Sorry, you do not have permission to access this area." in refused.content.decode()
    assert client.post(f"{RULES}{teams['cameras'].pk}/", rule_data()).status_code == 404
    client.logout()
    response = client.get(RULES)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not ReviewRule.objects.exists()


def test_an_admin_sees_every_team(client, world, teams):
    html = as_user(client, world, "admin").get(RULES).content.decode()
    assert all(name in html for name in ("Cameras team", "Parking team", "Sensors team"))


def test_a_welsh_copy_of_a_team_is_not_listed_twice(client, world, teams):
    welsh = Locale.objects.create(language_code="cy")
    teams["cameras"].copy_for_translation(welsh).save()
    html = as_user(client, world, "owner").get(RULES).content.decode()
    assert html.count("Cameras team") == 1


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("uncomfortable_count", "0", "Ensure this value is greater than or equal to 1."),
        ("window_days", "0", "Ensure this value is greater than or equal to 1."),
        ("window_days", "400", "Ensure this value is less than or equal to 365."),
        ("net_score_drop", "-5", "Ensure this value is greater than or equal to 0."),
        ("uncomfortable_count", "ten", "Enter a whole number."),
        ("uncomfortable_count", "99999999999", "Ensure this value is less than or equal to 1000."),
    ],
)
def test_a_wrong_value_is_explained_not_saved(client, world, teams, field, value, error):
    as_user(client, world, "owner")
    response = client.post(f"{RULES}{teams['cameras'].pk}/", rule_data(**{field: value}))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ReviewRule.objects.exists()


@pytest.mark.parametrize(
    "role, shown", [("owner", True), ("comms", True), ("leeds", True), ("dpo", False), ("nobody", False)]
)
def test_review_rules_are_in_the_feedback_menu_for_those_who_may_set_one(client, world, teams, role, shown):
    html = as_user(client, world, role).get(reverse("wagtailadmin_home")).content.decode()
    assert (RULES in html) == shown


def test_the_rule_an_owner_sets_is_the_one_that_opens_reviews(client, world, teams):
    cameras = world["entries"]["cameras"]
    as_user(client, world, "owner").post(
        f"{RULES}{teams['cameras'].pk}/", rule_data(uncomfortable_count="3", window_days="7")
    )
    FeedbackSubmissionFactory.create_batch(3, entry=cameras, comfort="very_uncomfortable", created_at=NOW)
    assert reviews.open_if_needed(cameras, now=NOW).detail == (
        "3 people said they were uncomfortable on 2 December 2026."
    )
