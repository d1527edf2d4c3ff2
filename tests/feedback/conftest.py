"""People and entries for the feedback admin tests: an owner, a comms officer, an admin and a nobody."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from feedback.models import PageProblemReport
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory, ServiceOwnerTeamFactory


def give_feedback(entry, comfort="not_sure", comment="", flagged=False, n=1):
    """n pieces of feedback on the entry; returns the first."""
    return FeedbackSubmissionFactory.create_batch(n, entry=entry, comfort=comfort, comment=comment, flagged=flagged)[0]


def admin_group(name):
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


@pytest.fixture
def world(bristol_register, leeds_register, bristol, locale, django_user_model):
    owner_group = admin_group("Bristol cameras owners")
    cameras_team = ServiceOwnerTeamFactory(organisation=bristol, name="Cameras team", group=owner_group, locale=locale)
    cameras = DataUsePageFactory(parent=bristol_register, title="Cameras", owner_team=cameras_team)
    chatbot = DataUsePageFactory(parent=bristol_register, title="Chatbot")
    sensors = DataUsePageFactory(parent=leeds_register, title="Leeds sensors")
    editors = admin_group("Bristol editors")
    GroupPagePermission.objects.create(
        group=editors, page=bristol_register, permission=Permission.objects.get(codename="change_page")
    )
    users = {}
    for name, group in [("owner", owner_group), ("comms", editors), ("nobody", admin_group("Nobody"))]:
        users[name] = django_user_model.objects.create_user(name, password="x")
        users[name].groups.add(group)
    users["admin"] = django_user_model.objects.create_superuser("boss", password="x")
    feedback = {
        "cameras": give_feedback(cameras, comment="About the cameras"),
        "chatbot": give_feedback(chatbot, comment="About the chatbot"),
        "sensors": give_feedback(sensors, comment="About Leeds sensors"),
    }
    PageProblemReport.objects.create(
        entry=chatbot, organisation=bristol, kind="wrong", details="Bristol typo", dedupe_key="p1"
    )
    PageProblemReport.objects.create(
        entry=sensors, organisation=sensors.organisation, kind="wrong", details="Leeds typo", dedupe_key="p2"
    )
    return {"users": users, "feedback": feedback, "entries": {"cameras": cameras, "sensors": sensors}}
