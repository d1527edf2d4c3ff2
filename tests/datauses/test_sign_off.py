"""Issue 15, sign-off: a comms officer sends an entry for sign-off, the council's data protection officer approves
(which publishes it) or sends it back with a comment the editor sees; editors cannot publish directly; the emails
go through the worker. People and groups are the real roles from datauses.councils.add_council."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState, WorkflowState

from datauses.councils import add_council
from datauses.models import DataUsePage
from datauses.sign_off import waiting_for
from tests.datauses import test_admin

pytestmark = pytest.mark.django_db


class SignOffTests(test_admin.EntryFormTestCase):
    def setUp(self):
        super().setUp()
        self.client.logout()
        self.council = add_council("bristol", "Bristol City Council", short_name="Bristol", parent=self.home)
        self.register = self.council.register
        leeds = add_council("leeds", "Leeds City Council", short_name="Leeds", reference_prefix="LDS", parent=self.home)
        self.editor = self.person("bristol-editor", self.council.groups["editor"])
        self.dpo = self.person("bristol-dpo", self.council.groups["dpo"])
        self.second_dpo = self.person("bristol-dpo-2", self.council.groups["dpo"])
        self.leeds_dpo = self.person("leeds-dpo", leeds.groups["dpo"])

    def person(self, username, group):
        user = self.create_user(username, email=f"{username}@example.org", password="x")
        user.groups.add(group)
        return user

    def entry_data(self, **overrides):
        return super().entry_data(organisation=self.council.organisation.pk, **overrides)

    def submit_new_entry(self, **overrides):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        return self.client.post(url, {**self.entry_data(owner_team="", **overrides), "action-submit": "action-submit"})

    def entry(self):
        return DataUsePage.objects.get(slug="housing-repairs-chatbot")

    def task_state(self):
        return TaskState.objects.get(workflow_state__object_id=str(self.entry().pk), status="in_progress")

    def act(self, person, action, comment=""):
        self.client.force_login(person)
        url = reverse("wagtailadmin_pages:workflow_action", args=(self.entry().pk, action, self.task_state().pk))
        return self.client.post(url, {"comment": comment})

    def test_editors_have_no_publish_permission_and_the_register_has_the_councils_workflow(self):
        codenames = set(
            GroupPagePermission.objects.filter(group=self.council.groups["editor"]).values_list(
                "permission__codename", flat=True
            )
        )
        assert codenames == {"add_page", "change_page"}
        workflow = self.register.get_workflow()
        assert workflow.name == f"{self.council.organisation.short_name} sign-off"
        [task] = workflow.tasks.all()
        assert list(task.specific.groups.all()) == [self.council.groups["dpo"]]

    def test_editor_submits_and_the_data_protection_officers_are_emailed_not_the_editor(self):
        response = self.submit_new_entry()
        assert response.status_code == 302
        entry = self.entry()
        assert not entry.live
        assert entry.workflow_in_progress
        assert [task.pk for task in waiting_for(self.dpo)] == [self.task_state().pk]
        assert not waiting_for(self.leeds_dpo).exists()
        emailed = sorted(address for message in mail.outbox for address in message.to)
        assert emailed == ["bristol-dpo-2@example.org", "bristol-dpo@example.org"]
        assert "Waiting for your sign-off: Housing repairs chatbot (BRS-0001)" in mail.outbox[0].subject
        assert f"/admin/pages/{entry.pk}/edit/" in mail.outbox[0].body

    def test_editor_cannot_publish_directly(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        self.client.post(url, {**self.entry_data(owner_team=""), "action-publish": "action-publish"})
        assert not DataUsePage.objects.filter(live=True).exists()
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.entry().pk,)))
        assert b'name="action-publish"' not in edit.content
        assert b'name="action-submit"' in edit.content

    def test_approval_publishes_and_tells_the_editor(self):
        self.submit_new_entry()
        mail.outbox.clear()
        response = self.act(self.dpo, "approve", comment="Thank you, clear and complete.")
        assert response.status_code in (200, 302)
        entry = self.entry()
        assert entry.live
        assert WorkflowState.objects.get(object_id=str(entry.pk)).status == "approved"
        [message] = mail.outbox
        assert message.to == ["bristol-editor@example.org"]
        assert message.subject == "Approved and published: Housing repairs chatbot (BRS-0001)"
        assert self.client.get(entry.url).status_code == 200

    def test_sending_back_keeps_it_unpublished_and_the_editor_reads_the_comment(self):
        self.submit_new_entry()
        mail.outbox.clear()
        self.act(self.dpo, "reject", comment="Please name the NHS trust you share with.")
        entry = self.entry()
        assert not entry.live
        [message] = mail.outbox
        assert message.to == ["bristol-editor@example.org"]
        assert "Sent back with changes to make" in message.subject
        assert "Please name the NHS trust you share with." in message.body
        self.client.force_login(self.editor)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,)))
        self.assertContains(edit, "Please name the NHS trust you share with.")

    def test_another_councils_data_protection_officer_cannot_approve(self):
        self.submit_new_entry()
        response = self.act(self.leeds_dpo, "approve")
        assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's "permission denied"
        assert not self.entry().live
        assert self.task_state().status == "in_progress"

    def test_the_editor_cannot_approve_their_own_entry(self):
        self.submit_new_entry()
        response = self.act(self.editor, "approve")
        assert response.status_code == 302 and response.url == "/admin/"
        assert not self.entry().live

    def test_an_incomplete_entry_cannot_be_sent_for_sign_off(self):
        response = self.submit_new_entry(special_category_condition="")
        assert response.status_code == 200
        assert "special_category_condition" in response.context["form"].errors
        assert not WorkflowState.objects.exists()
        assert mail.outbox == []
