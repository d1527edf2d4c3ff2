"""Issue 15, defect 7 (the listing part) and defect 4: exploring a register in the admin shows each entry's
reference, owner team and next review date; a new entry starts with the register's council, and the team chooser
offers only the editor's council's teams."""

import datetime

import pytest
from django.urls import reverse

from datauses.councils import add_council
from tests.factories import DataUsePageFactory, ServiceOwnerTeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bristol_editor(client, home_page, bristol, leeds, django_user_model):
    council = add_council(bristol.slug, bristol.name, parent=home_page)
    add_council(leeds.slug, leeds.name, parent=home_page)
    person = django_user_model.objects.create_user("bristol-editor", password="x")
    person.groups.add(council.groups["editor"])
    client.force_login(person)
    return council


def test_the_register_listing_shows_reference_owner_team_and_next_review(client, bristol_editor, locale):
    register = bristol_editor.register
    team = ServiceOwnerTeamFactory(organisation=bristol_editor.organisation, name="Parking team", locale=locale)
    entry = DataUsePageFactory(
        parent=register, title="Parking permits", owner_team=team, next_review_due=datetime.date(2027, 2, 14)
    )
    page = client.get(reverse("wagtailadmin_explore", args=(register.pk,))).content.decode()
    for heading in ("Reference", "Owner team", "Next review"):
        assert heading in page
    assert entry.reference in page and "Parking team" in page
    assert "14 Feb 2027" in page or "Feb. 14, 2027" in page or "14 February 2027" in page


def test_the_owner_team_column_costs_no_query_per_entry(
    client, bristol_editor, django_assert_num_queries, django_assert_max_num_queries
):
    """Wagtail and wagtail-localize ask a few questions per listed page themselves; the columns added here ask none."""
    register = bristol_editor.register
    shared = ServiceOwnerTeamFactory(organisation=bristol_editor.organisation)
    entries = [DataUsePageFactory(parent=register, owner_team=shared) for _ in range(4)]
    url = reverse("wagtailadmin_explore", args=(register.pk,))
    client.get(url)
    with django_assert_max_num_queries(1000) as one_team:
        client.get(url)
    for entry in entries:
        team = ServiceOwnerTeamFactory(organisation=bristol_editor.organisation)
        type(entry).objects.filter(pk=entry.pk).update(owner_team=team)
    with django_assert_num_queries(len(one_team.captured_queries)):  # four teams cost what one did
        page = client.get(url).content.decode()
    assert page.count("Owner team ") >= 4


def test_a_new_entry_starts_with_the_registers_council_and_offers_only_its_teams(client, bristol_editor, leeds, locale):
    ServiceOwnerTeamFactory(organisation=bristol_editor.organisation, name="Bristol parking team", locale=locale)
    ServiceOwnerTeamFactory(organisation=leeds, name="Leeds bins team", locale=locale)
    add = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", bristol_editor.register.pk))
    form = client.get(add).context["form"]
    assert form["organisation"].value() == bristol_editor.organisation.pk
    chooser = client.get(reverse("wagtailsnippetchoosers_datauses_serviceownerteam:choose")).content.decode()
    assert "Bristol parking team" in chooser
    assert "Leeds bins team" not in chooser
