"""How complete an entry is: the score and missing parts, and the panel on the entry editor's Review tab that shows
them with the broken links of the last link check."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from datauses.completeness import EXPECTED_PARTS, completeness
from datauses.councils import add_council
from datauses.models import DataUsePage, LinkCheck, Risk
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    ServiceOwnerTeamFactory,
    add_assessment,
    add_category,
    add_risk,
)

pytestmark = pytest.mark.django_db

CHECKED = timezone.make_aware(datetime.datetime(2026, 3, 2, 4, 0))


def complete_entry(register, **fields):
    """An entry with every part readers expect."""
    team = ServiceOwnerTeamFactory(organisation=register.organisation, locale=register.locale)
    parts = {
        "owner_team": team,
        "start_date": datetime.date(2024, 4, 1),
        "not_used_for": "We do not sell the data.",
        "alternatives_considered": "Paper forms, which were slower.",
        "lawful_basis_detail": "The Housing Act 1985.",
        "challenge_url": "https://example.org/challenge",
    }
    entry = DataUsePageFactory(parent=register, **{**parts, **fields})
    add_category(entry, DataCategoryFactory(locale=register.locale))
    add_risk(entry)
    add_assessment(entry)
    return entry


def labels(result):
    return [str(part.label) for part in result.missing]


# ---- the score ------------------------------------------------------------------------------


def test_an_entry_with_every_expected_part_is_complete(bristol_register):
    result = completeness(complete_entry(bristol_register))
    assert (result.score, result.missing, result.is_complete) == (100, (), True)


def test_a_bare_entry_lists_each_missing_part_in_plain_words(bristol_register):
    result = completeness(DataUsePageFactory(parent=bristol_register))
    assert labels(result) == [
        "The team that runs the service",
        "When the service started, or will start",
        "What the data is not used for",
        "What we considered instead",
        "The kinds of data used, and why",
        "The law or duty behind it",
        "At least one risk and what we do about it",
        "An impact assessment, or why none was done",
        "A link to challenge a decision online",
    ]
    assert result.score == 10  # only where the data comes from, of ten parts


def test_the_score_is_the_share_of_expected_parts_present_rounded_down(bristol_register):
    entry = complete_entry(bristol_register, challenge_url="")
    assert (completeness(entry).score, labels(completeness(entry))) == (90, ["A link to challenge a decision online"])
    assert len(EXPECTED_PARTS) == 10


def test_a_reason_for_no_assessment_counts_instead_of_an_assessment(bristol_register):
    entry = complete_entry(bristol_register)
    entry.impact_assessments.all().delete()
    assert labels(completeness(DataUsePage.objects.get(pk=entry.pk))) == ["An impact assessment, or why none was done"]
    entry.no_assessment_reason = "The data protection officer judged the risk to be low."
    assert completeness(entry).is_complete


def test_text_of_only_spaces_counts_as_missing(bristol_register):
    entry = complete_entry(bristol_register, not_used_for="   \n ")
    assert labels(completeness(entry)) == ["What the data is not used for"]


def test_prefetched_entries_are_scored_without_more_queries(bristol_register, django_assert_num_queries):
    complete_entry(bristol_register)
    DataUsePageFactory(parent=bristol_register)
    entries = list(DataUsePage.objects.prefetch_related("data_categories", "risks", "impact_assessments"))
    with django_assert_num_queries(0):
        assert sorted(completeness(entry).score for entry in entries) == [10, 100]


def test_a_draft_is_scored_from_its_own_rows_before_they_are_published(bristol_register):
    entry = DataUsePageFactory(parent=bristol_register)
    entry.risks = [Risk(risk="A letter goes to the wrong house.", safeguard="We check the address twice.")]
    entry.save_revision()
    draft = DataUsePage.objects.get(pk=entry.pk).get_latest_revision_as_object()
    assert "At least one risk and what we do about it" not in labels(completeness(draft))
    assert not Risk.objects.filter(page=entry).exists()  # the live entry still has none


def test_an_unsaved_entry_can_be_scored():
    assert completeness(DataUsePage(title="New")).score == 0


# ---- the panel on the Review tab ------------------------------------------------------------


@pytest.fixture
def bristol_editor(home_page, django_user_model):
    council = add_council("bristol", "Bristol City Council", short_name="Bristol", reference_prefix="BRS")
    user = django_user_model.objects.create_user("bristol-editor", password="x")
    user.groups.add(council.groups["editor"])
    return council, user


def edit_page(client, user, entry):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_tab_shows_the_score_what_is_missing_and_the_broken_links(client, bristol_editor):
    council, editor = bristol_editor
    entry = DataUsePageFactory(parent=council.register, not_used_for="We never sell it.")
    LinkCheck.objects.create(
        entry=entry,
        url="https://example.org/gone",
        checked_at=CHECKED,
        status_code=404,
        error="The page is not there (error 404).",
        is_broken=True,
    )
    LinkCheck.objects.create(entry=entry, url="https://example.org/fine", checked_at=CHECKED, status_code=200)

    html = edit_page(client, editor, entry)
    assert "How complete this entry is" in html
    assert "Complete: 20%" in html
    assert "The team that runs the service (on the Content tab)" in html
    assert "A link to challenge a decision online (on the Rights tab)" in html
    assert "What the data is not used for" not in html.split('id="completeness"', 1)[1].split("</div>", 1)[0]
    assert "The last link check found 1 broken link:" in html
    assert "https://example.org/gone</a>: The page is not there (error 404). (checked 2 March 2026, 04:00)" in html
    assert "https://example.org/fine" not in html


def test_the_review_tab_says_when_the_last_check_found_nothing_broken(client, bristol_editor):
    council, editor = bristol_editor
    entry = complete_entry(council.register)
    LinkCheck.objects.create(entry=entry, url="https://example.org/challenge", checked_at=CHECKED, status_code=200)
    html = edit_page(client, editor, entry)
    assert "Complete: 100%" in html and "Nothing readers expect is missing." in html
    assert "No broken links at the last check, on 2 March 2026, 04:00." in html


def test_the_review_tab_of_a_new_entry_says_the_score_comes_once_saved(client, bristol_editor):
    council, editor = bristol_editor
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", council.register.pk)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The score shows once the entry is saved." in html
    assert "Complete:" not in html
