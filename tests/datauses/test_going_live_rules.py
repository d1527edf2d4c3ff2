"""Issue 15, defects 1 and 2: an entry cannot go live legally incomplete. A comms officer (in Bristol's editors
group, as datauses.councils.add_council makes it) sends entries for sign-off through the admin; each rule refuses
with its message on the field, and allows once met. Drafts may be incomplete."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset

from datauses.councils import add_council
from datauses.models import DataUsePage
from tests.datauses import test_admin

pytestmark = pytest.mark.django_db

NO_ASSESSMENT = inline_formset([])


class GoingLiveTests(test_admin.EntryFormTestCase):
    """The same register and entry form as the admin tests, used by a comms officer rather than a superuser."""

    def setUp(self):
        super().setUp()
        council = add_council("bristol", "Bristol City Council", parent=self.home)
        self.client.logout()
        editor = self.create_user("bristol-editor", password="x")
        editor.groups.add(council.groups["editor"])
        self.client.force_login(editor)

    def post_new_entry(self, **overrides):
        """Send a new entry for sign-off, the only way an editor's entry goes live."""
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        return self.client.post(url, {**self.entry_data(**overrides), "action-submit": "action-submit"})

    def accepted(self, response):
        assert response.status_code == 302, response.context["form"].errors
        assert WorkflowState.objects.filter(status="in_progress").count() == 1
        WorkflowState.objects.all().delete()
        DataUsePage.objects.all().delete()

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
        assert not WorkflowState.objects.exists()

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
        assert "impact assessment" in " ".join(errors["no_assessment_reason"])
        assert not DataUsePage.objects.exists()

    def test_special_category_data_needs_an_article_9_condition(self):
        self.refused_with(
            self.post_new_entry(special_category_condition=""), "special_category_condition", "Article 9 condition"
        )
        self.accepted(self.post_new_entry(special_category_condition="health_social_care"))

    def test_data_leaving_the_uk_needs_countries_and_a_safeguard(self):
        self.refused_with(
            self.post_new_entry(leaves_uk="on", international_transfers="  "),
            "international_transfers",
            "which countries",
        )
        self.accepted(
            self.post_new_entry(leaves_uk="on", international_transfers="Ireland, under UK adequacy regulations.")
        )

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
        self.accepted(response)

    def test_special_category_data_or_automation_needs_an_impact_assessment_or_a_reason_why_not(self):
        self.refused_with(
            self.post_new_entry(impact_assessments=NO_ASSESSMENT), "no_assessment_reason", "or say why none was done"
        )
        reason = "The assessment of the whole housing service covers it; it is being updated this month."
        self.accepted(self.post_new_entry(impact_assessments=NO_ASSESSMENT, no_assessment_reason=reason))

    def test_nothing_is_assumed_the_lawful_basis_and_automated_decisions_must_be_chosen(self):
        """Defect 2: a new entry starts with neither chosen, and a missed choice stops it going live."""
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        form = self.client.get(url).context["form"]
        assert not form.initial.get("lawful_basis") and not form["lawful_basis"].value()
        assert not form["decision_making"].value()
        response = self.post_new_entry(lawful_basis="", decision_making="")
        self.refused_with(response, "lawful_basis", "Choose the lawful basis")
        self.refused_with(response, "decision_making", "even if the answer is no")

    def test_a_way_to_challenge_without_the_internet_is_needed(self):
        for offline in ("https://bristol.gov.uk/complain", "complaints@bristol.gov.uk  www.bristol.gov.uk"):
            self.refused_with(
                self.post_new_entry(challenge_offline=offline), "challenge_offline", "does not need the internet"
            )
        self.accepted(self.post_new_entry(challenge_offline="Write to Complaints, City Hall, Bristol BS1 5TR."))

    def test_review_dates_must_be_in_order(self):
        self.refused_with(
            self.post_new_entry(last_reviewed="2026-06-01", next_review_due="2026-06-01"),
            "next_review_due",
            "after the last review",
        )

    def test_a_new_entry_starts_with_its_next_review_a_year_away(self):
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        form = self.client.get(url).context["form"]
        reviewed, due = form["last_reviewed"].value(), form["next_review_due"].value()
        assert reviewed == timezone.localdate()
        assert 365 <= (due - reviewed).days <= 366

    def test_an_assisted_decision_without_special_category_data_needs_none_of_this(self):
        response = self.post_new_entry(
            data_categories=inline_formset([]),
            special_category_condition="",
            decision_making="assisted",
            impact_assessments=NO_ASSESSMENT,
        )
        self.accepted(response)

    def test_a_draft_may_be_incomplete(self):
        response = self.save_draft(
            special_category_condition="", leaves_uk="on", decision_making="automated", impact_assessments=NO_ASSESSMENT
        )
        assert response.status_code == 302
        entry = DataUsePage.objects.get()
        assert not entry.live
        # Sending it for sign-off later is refused until it is complete.
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
                "action-submit": "action-submit",
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
