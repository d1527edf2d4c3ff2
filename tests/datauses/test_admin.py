"""Editing the register in the Wagtail admin: creating, validating, previewing and the taxonomies."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from datauses.models import DataUsePage, Organisation, RegisterPage
from home.models import ContentPage, HomePage
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    HomePageFactory,
    LocaleFactory,
    OrganisationFactory,
    RegisterPageFactory,
    ServiceAreaFactory,
    ServiceOwnerTeamFactory,
    SharingPartnerFactory,
)


class EntryFormTestCase(WagtailPageTestCase):
    """A Bristol register, its terms, and the data of a complete entry for the admin's add form."""

    def setUp(self):
        self.user = self.login()
        locale = LocaleFactory()
        root = Page.get_first_root_node()
        self.home = HomePageFactory(parent=root, slug="register-home", locale=locale)
        Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": self.home})
        self.bristol = OrganisationFactory(
            name="Bristol City Council", slug="bristol", reference_prefix="BRS", locale=locale
        )
        self.leeds = OrganisationFactory(name="Leeds City Council", slug="leeds", reference_prefix="LDS", locale=locale)
        self.register = RegisterPageFactory(parent=self.home, slug="bristol", organisation=self.bristol)
        self.area = ServiceAreaFactory(name="Housing", locale=locale)
        self.team = ServiceOwnerTeamFactory(organisation=self.bristol, locale=locale)
        self.leeds_team = ServiceOwnerTeamFactory(organisation=self.leeds, locale=locale)
        self.category = DataCategoryFactory(name="Health", is_special_category=True, locale=locale)
        self.partner = SharingPartnerFactory(name="NHS", locale=locale)

    def entry_data(self, **overrides):
        data = {
            "title": "Housing repairs chatbot",
            "slug": "housing-repairs-chatbot",
            "summary": "A chatbot that books repairs.",
            "organisation": self.bristol.pk,
            "service_area": self.area.pk,
            "owner_team": self.team.pk,
            "status": "in_use",
            "start_date": "2025-01-01",
            "end_date": "",
            "purpose": "It books repairs.",
            "not_used_for": "",
            "benefits": "Repairs are booked at any time.",
            "alternatives_considered": "",
            "body": streamfield([("heading", "More about it")]),
            "data_categories": inline_formset([{"category": self.category.pk, "reason": "Some repairs are urgent."}]),
            "data_sources": "You tell the chatbot.",
            "sharing": inline_formset([{"partner": self.partner.pk, "purpose": "To help.", "is_processor": ""}]),
            "storage_location": "In the UK.",
            "international_transfers": "",
            "retention": "Two years.",
            "lawful_basis": "contract",
            "lawful_basis_detail": "Your tenancy agreement.",
            "special_category_condition": "health_social_care",
            "decision_making": "none",
            "algorithm_description": "",
            "human_review": "",
            "risks": inline_formset([{"risk": "It misunderstands you.", "safeguard": "You can talk to a person."}]),
            "impact_assessments": inline_formset(
                [{"kind": "dpia", "completed_on": "2025-01-01", "url": "", "summary": "The risks are low."}]
            ),
            "opt_out": "Phone us instead.",
            "challenge_route": "Ask us.",
            "challenge_url": "",
            "challenge_offline": "Phone 0117 496 0000.",
            "last_reviewed": "2026-01-01",
            "next_review_due": "2027-01-01",
            "related_entries": inline_formset([]),
            "tool_suppliers": inline_formset([]),
            "tool_models": inline_formset([]),
            "tool_datasets": inline_formset([]),
        }
        data.update(overrides)
        return nested_form_data(data)

    def post_new_entry(self, **overrides):
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        return self.client.post(url, {**self.entry_data(**overrides), "action-publish": "action-publish"})


class EntryEditingTests(EntryFormTestCase):
    def test_comms_officer_can_create_and_publish_an_entry(self):
        self.assertCanCreate(self.register, DataUsePage, self.entry_data())
        entry = DataUsePage.objects.get(slug="housing-repairs-chatbot")
        assert entry.live
        assert entry.reference == "BRS-0001"
        assert entry.data_categories.get().reason == "Some repairs are urgent."
        assert entry.sharing.get().partner == self.partner
        assert entry.risks.get().safeguard == "You can talk to a person."

    def test_new_entry_form_starts_with_the_registers_council(self):
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        form = self.client.get(url).context["form"]
        assert form.fields["organisation"].initial == self.bristol.pk
        assert "Given automatically" in form.fields["reference"].help_text if "reference" in form.fields else True

    def test_entry_cannot_belong_to_another_council_than_its_register(self):
        response = self.post_new_entry(organisation=self.leeds.pk, owner_team=self.leeds_team.pk)
        assert response.status_code == 200
        self.assertContains(response, "must belong to Bristol City Council")
        assert not DataUsePage.objects.filter(slug="housing-repairs-chatbot").exists()

    def test_owner_team_must_be_from_the_same_council(self):
        response = self.post_new_entry(owner_team=self.leeds_team.pk)
        self.assertContains(response, "Choose a team from the same council as the entry.")
        assert not DataUsePage.objects.exists()

    def test_end_date_cannot_be_before_start_date(self):
        response = self.post_new_entry(status="retired", start_date="2025-06-01", end_date="2025-01-01")
        self.assertContains(response, "The end date must be the same as or after the start date.")

    def test_next_review_must_be_after_last_review(self):
        response = self.post_new_entry(last_reviewed="2026-05-01", next_review_due="2026-01-01")
        self.assertContains(response, "The next review must be after the last review.")

    def test_parts_an_import_did_not_state_must_be_checked_before_going_live(self):
        self.post_new_entry()
        entry = DataUsePage.objects.get(slug="housing-repairs-chatbot")
        entry.not_stated = ["leaves_uk", "data_categories.reason"]
        entry.save_revision(clean=False)
        url = reverse("wagtailadmin_pages:edit", args=[entry.pk])
        assert "Not stated in the source" in self.client.get(url).content.decode()
        refused = self.client.post(url, {**self.entry_data(), "action-publish": "action-publish"})
        self.assertContains(refused, "Some parts were not stated in the file this entry was imported from")
        self.assertContains(refused, "Whether the data leaves the UK, Why each kind of data is needed")
        # The editor checks them, ticks the box, and the entry goes live.
        checked = self.entry_data(checked_not_stated="on", change_note="We checked what the import left out.")
        done = self.client.post(url, {**checked, "action-publish": "action-publish"})
        assert done.status_code == 302, done.context["form"].errors
        entry.refresh_from_db()
        assert entry.not_stated == [] and not entry.has_unpublished_changes

    def test_missing_required_answers_are_named_and_nothing_is_saved(self):
        response = self.post_new_entry(purpose="", opt_out="")
        assert response.status_code == 200
        assert "purpose" in response.context["form"].errors
        assert "opt_out" in response.context["form"].errors
        assert not DataUsePage.objects.exists()

    def test_existing_entry_is_editable_and_previewable(self):
        entry = DataUsePageFactory(parent=self.register, owner_team=self.team, service_area=self.area)
        data = self.entry_data(slug=entry.slug, title=entry.title)
        self.assertPageIsEditable(entry, post_data=data)
        self.assertPageIsPreviewable(entry, post_data=data)
        self.assertPageIsRenderable(entry)
        self.assertPageIsRoutable(entry)

    def test_every_field_in_the_edit_form_has_help_text_or_a_clear_label(self):
        entry = DataUsePageFactory(parent=self.register)
        form = self.client.get(reverse("wagtailadmin_pages:edit", args=(entry.pk,))).context["form"]
        plain_names = {
            "title",
            "slug",
            "seo_title",
            "search_description",
            "show_in_menus",
            "go_live_at",
            "expire_at",
            "comment_notifications",
            "locked",
        }
        unexplained = [name for name, field in form.fields.items() if name not in plain_names and not field.help_text]
        assert unexplained == []
        for name in ("summary", "purpose", "lawful_basis", "decision_making", "uses_algorithm", "next_review_due"):
            assert form.fields[name].help_text, name

    def test_page_types_go_only_where_they_belong(self):
        self.assertAllowedParentPageTypes(DataUsePage, {RegisterPage})
        self.assertAllowedParentPageTypes(RegisterPage, {HomePage})
        self.assertAllowedSubpageTypes(RegisterPage, {DataUsePage})
        self.assertAllowedSubpageTypes(HomePage, {RegisterPage, ContentPage})
        self.assertAllowedSubpageTypes(DataUsePage, set())


class TaxonomyAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.locale = LocaleFactory()

    def test_taxonomy_listings_load_and_search(self):
        ServiceAreaFactory(name="Adult social care", locale=self.locale)
        ServiceAreaFactory(name="Parking", locale=self.locale)
        for model in ("organisation", "servicearea", "datacategory", "sharingpartner", "serviceownerteam"):
            response = self.client.get(reverse(f"wagtailsnippets_datauses_{model}:list"))
            assert response.status_code == 200, model
        response = self.client.get(reverse("wagtailsnippets_datauses_servicearea:list"), {"q": "social"})
        self.assertContains(response, "Adult social care")
        self.assertNotContains(response, "Parking")

    def test_admin_can_add_a_kind_of_data(self):
        response = self.client.post(
            reverse("wagtailsnippets_datauses_datacategory:add"),
            {
                "name": "Biometrics",
                "slug": "biometrics",
                "description": "Fingerprints and face scans.",
                "is_special_category": "on",
                "locale": self.locale.pk,
            },
        )
        assert response.status_code == 302
        from datauses.models import DataCategory

        assert DataCategory.objects.get(slug="biometrics").is_special_category

    def test_hard_to_read_brand_colour_is_refused_politely(self):
        data = {
            "name": "Pale Council",
            "short_name": "Pale",
            "slug": "pale",
            "reference_prefix": "PAL",
            "brand_colour": "#ffdd00",
            "feedback_retention_months": 12,
            "organisation_type": "local-authority",
            "locale": self.locale.pk,
        }
        response = self.client.post(reverse("wagtailsnippets_datauses_organisation:add"), data)
        assert response.status_code == 200
        self.assertContains(response, "White text on this colour is hard to read")
        assert not Organisation.objects.filter(slug="pale").exists()
        data["brand_colour"] = "blue"
        response = self.client.post(reverse("wagtailsnippets_datauses_organisation:add"), data)
        self.assertContains(response, "Enter a colour as a # followed by six hexadecimal digits")
        data["brand_colour"] = "#1d4f91"
        data["reference_prefix"] = "p1"
        response = self.client.post(reverse("wagtailsnippets_datauses_organisation:add"), data)
        self.assertContains(response, "Use two to five capital letters")
        data["reference_prefix"] = "pal"
        response = self.client.post(reverse("wagtailsnippets_datauses_organisation:add"), data)
        assert response.status_code == 302
        assert Organisation.objects.get(slug="pale").reference_prefix == "PAL"


@pytest.mark.django_db
def test_council_editors_can_only_edit_their_own_register(client, django_user_model, bristol_register, leeds_register):
    from datauses.councils import set_up_council

    set_up_council(bristol_register.organisation, parent=bristol_register.get_parent())
    editor = django_user_model.objects.create_user("bristol-editor", password="x")
    editor.groups.add(Group.objects.get(name="Bristol editors"))
    client.force_login(editor)
    add_bristol = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", bristol_register.pk))
    add_leeds = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", leeds_register.pk))
    assert client.get(add_bristol).status_code == 200
    assert client.get(add_leeds).status_code in (302, 403)
