"""People and entries for the feedback tests (an owner, a comms officer, an admin and a nobody), and a real
SMTP server on loopback for the email tests."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from wagtail.models import GroupPagePermission

from feedback.models import PageProblemReport
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory, ServiceOwnerTeamFactory


@pytest.fixture
def entry(bristol_register):
    """A published entry, as residents find it (modules that need another kind of entry define their own)."""
    page = DataUsePageFactory(parent=bristol_register, title="Cameras that read number plates")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


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
    for codename in ("add_page", "change_page", "publish_page"):  # as datauses.roles.EDITOR gives
        GroupPagePermission.objects.create(
            group=editors, page=bristol_register, permission=Permission.objects.get(codename=codename)
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


class Inbox:
    def __init__(self):
        self.messages = []
        self.refuse = set()  # addresses the server turns away, as a full mailbox would

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def subjects(self):
        return [message["Subject"] for _, message in self.messages]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    """An SMTP server on a loopback port that is down (nothing listens there) until start()."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()

    def settings(self):
        """Django's email settings for this server, to use in a ``with`` block."""
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="register@example.org",
        )


@pytest.fixture
def mail_server():
    server = MailServer()
    with server.settings():
        yield server
    server.stop()


@pytest.fixture
def owner(world):
    user = world["users"]["owner"]
    user.email = "owner@example.org"
    user.save()
    return user


@pytest.fixture
def smtp(mail_server):
    """A mail server on loopback that is up; its inbox."""
    mail_server.start()
    return mail_server.inbox


# For the review tests (test_reviews.py, test_worker_news.py).
@pytest.fixture
def cameras(world):
    return world["entries"]["cameras"]


@pytest.fixture
def comms(world):
    user = world["users"]["comms"]
    user.email = "comms@example.org"
    user.save()
    return user


@pytest.fixture
def staff(world, owner, comms, leeds_register, django_user_model):
    """Besides the owner and the comms officer: an owner who has left, one with no address, and Leeds' editor."""
    team_group = owner.groups.get()
    django_user_model.objects.create_user("left", email="left@example.org", is_active=False).groups.add(team_group)
    django_user_model.objects.create_user("no-address", email="").groups.add(team_group)
    leeds_editors = admin_group("Leeds editors")
    GroupPagePermission.objects.create(
        group=leeds_editors, page=leeds_register, permission=Permission.objects.get(codename="change_page")
    )
    django_user_model.objects.create_user("leeds", email="leeds@example.org").groups.add(leeds_editors)
    # Someone both in the team and an editor is told once.
    both = django_user_model.objects.create_user("both", email="both@example.org")
    both.groups.add(team_group, comms.groups.get())
