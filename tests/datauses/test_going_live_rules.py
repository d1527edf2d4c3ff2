"""Issue 15, defect 1: an entry cannot go live legally incomplete. A comms officer (Bristol's editors, as
datauses.roles gives them) publishes through the admin; each rule refuses with its message on the field, and
allows once met. Drafts may be incomplete."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset

from datauses.models import DataUsePage
from tests.datauses import test_admin

pytestmark = pytest.mark.django_db

NO_ASSESSMENT = inline_formset([])


class GoingLiveTests(test_admin.EntryFormTestCase):
    """The same register and entry form as the admin tests, used by a comms officer rather than a superuser."""

    def setUp(self):
        super().setUp()
        editors = Group.objects.create(name="Bristol editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=editors, page=self.register, permission=Permission.objects.get(codename=codename)
            )
        self.client.logout()
        editor = self.create_user("bristol-editor", password="x")
        editor.groups.add(editors)
        self.client.force_login(editor)

    def save_draft(self, **overrides):
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        return self.client.post(url, self.entry_data(**overrides))

    def refused_with(self, response, field, words):
        assert response.status_code == 200, response.status_code
        errors = response.context["form"].errors
        assert field in errors, dict(errors)
        assert words in " ".join(errors[field])
        self.assertContains(response, words)
        assert not DataUsePage.objects.filter(live=True).exists()

    def test_the_incomplete_entry_the_comms_officer_tried_is_refused_with_every_message(self):
        response = self.post_new_entry(
            special_category_condition="",
            leaves_uk="on",
            international_transfers="",
            decision_making="automated",
            algorithm_description="",
            human_review="",
            impact_assessments=NO_ASSESSMENT,
        )
        errors = response.context["form"].errors
        assert {
            "special_category_condition",
            "international_transfers",
            "algorithm_description",
            "human_review",
        } <= set(errors)
        assert "impact assessment" in " ".join(errors["lawful_basis"])
        assert not DataUsePage.objects.exists()

    def test_special_category_data_needs_an_article_9_condition(self):
        self.refused_with(
            self.post_new_entry(special_category_condition=""), "special_category_condition", "Article 9 condition"
        )
        assert self.post_new_entry(special_category_condition="health_social_care").status_code == 302

    def test_data_leaving_the_uk_needs_countries_and_a_safeguard(self):
        self.refused_with(
            self.post_new_entry(leaves_uk="on", international_transfers="  "),
            "international_transfers",
            "which countries",
        )
        response = self.post_new_entry(
            leaves_uk="on", international_transfers="Ireland, under UK adequacy regulations."
        )
        assert response.status_code == 302

    def test_automated_decisions_and_profiling_need_an_explanation_and_a_human_check(self):
        for overrides in ({"decision_making": "automated"}, {"profiling": "on"}):
            response = self.post_new_entry(**overrides, algorithm_description="", human_review="")
            self.refused_with(response, "algorithm_description", "what the computer does")
            self.refused_with(response, "human_review", "how a person checks")
        response = self.post_new_entry(
            decision_making="automated",
            algorithm_description="It scores each claim for the risk of fraud.",
            human_review="An officer reads every high score before anything happens.",
        )
        assert response.status_code == 302

    def test_special_category_data_or_automation_needs_an_impact_assessment(self):
        self.refused_with(self.post_new_entry(impact_assessments=NO_ASSESSMENT), "lawful_basis", "impact assessment")

    def test_an_assisted_decision_without_special_category_data_needs_none_of_this(self):
        response = self.post_new_entry(
            data_categories=inline_formset([]),
            special_category_condition="",
            decision_making="assisted",
            impact_assessments=NO_ASSESSMENT,
        )
        assert response.status_code == 302
        assert DataUsePage.objects.get().live

    def test_a_draft_may_be_incomplete(self):
        response = self.save_draft(
            special_category_condition="", leaves_uk="on", decision_making="automated", impact_assessments=NO_ASSESSMENT
        )
        assert response.status_code == 302
        entry = DataUsePage.objects.get()
        assert not entry.live
        # Publishing it later is refused until it is complete.
        url = reverse("wagtailadmin_pages:edit", args=[entry.pk])
        response = self.client.post(
            url,
            {
                **self.entry_data(
                    special_category_condition="",
                    leaves_uk="on",
                    decision_making="automated",
                    impact_assessments=NO_ASSESSMENT,
                ),
                "action-publish": "action-publish",
            },
        )
        self.refused_with(response, "international_transfers", "which countries")

    def test_a_new_entry_can_be_previewed_before_its_first_save(self):
        """Issue 15, defect 3: the preview panel asked for the feedback of an entry not saved yet, and failed."""
        url = reverse("wagtailadmin_pages:preview_on_add", args=("datauses", "datausepage", self.register.pk))
        assert self.client.post(url, self.entry_data()).json()["is_valid"]
        response = self.client.get(url)
        assert response.status_code == 200
        self.assertContains(response, "Housing repairs chatbot")
        assert not DataUsePage.objects.exists()
