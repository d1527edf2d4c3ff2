"""One register entry: every field shown in order, review dates, references, visibility, editing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from datauses.models import DecisionMaking, LawfulBasis, RelatedEntry, SpecialCategoryCondition, Status
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    FeedbackSubmissionFactory,
    ServiceOwnerTeamFactory,
    SharingPartnerFactory,
    add_assessment,
    add_category,
    add_risk,
    add_sharing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(bristol_register, bristol, locale):
    bristol.privacy_notice_url = "https://www.example.org/privacy"
    bristol.dpo_phone = "0117 496 0123"
    bristol.dpo_postal_address = "City Hall\nCollege Green"
    bristol.save()
    team = ServiceOwnerTeamFactory(
        organisation=bristol,
        name="Early Help Data Team",
        contact_email="earlyhelp@example.org",
        contact_phone="0117 496 0555",
        locale=locale,
    )
    page = DataUsePageFactory(
        parent=bristol_register,
        title="Finding families who may need extra help",
        summary="We match records to find families who may need support early.",
        owner_team=team,
        status=Status.PILOT,
        start_date=datetime.date(2024, 4, 1),
        purpose="We look at records from different teams.\n\nThis helps us offer help sooner.",
        not_used_for="We do not use it to take children into care.",
        benefits="Families get help before problems grow.",
        alternatives_considered="Waiting for families to ask. Many never do.",
        data_sources="School attendance records and housing records.",
        storage_location="On council computers in the UK.",
        leaves_uk=True,
        international_transfers="A backup copy is kept in Ireland, protected by UK adequacy rules.",
        retention="We keep it for six years, then delete it.",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        lawful_basis_detail="The Children Act 2004, section 10.",
        special_category_condition=SpecialCategoryCondition.SUBSTANTIAL_PUBLIC_INTEREST,
        decision_making=DecisionMaking.ASSISTED,
        profiling=True,
        uses_algorithm=True,
        algorithm_description="A set of rules gives each family a score from 0 to 10.",
        human_review="A family worker reads every score before anyone is contacted.",
        opt_out="You can object by writing to us.",
        challenge_route="Ask the team to look at it again.",
        challenge_url="https://www.example.org/challenge",
        challenge_offline="Phone 0117 496 0999 or write to City Hall.",
        last_reviewed=datetime.date(2026, 3, 1),
        next_review_due=datetime.date(2099, 3, 1),
        body=[("callout", {"title": "Tell us what you think", "text": "<p>We are still learning.</p>"})],
    )
    add_category(
        page,
        DataCategoryFactory(name="Health", is_special_category=True, locale=locale),
        reason="To see if a parent is unwell.",
    )
    add_category(page, DataCategoryFactory(name="School attendance", locale=locale), reason="Missing school is a sign.")
    add_sharing(
        page,
        SharingPartnerFactory(name="Department for Work and Pensions", website="https://www.gov.uk/dwp", locale=locale),
        purpose="To claim payment by results.",
    )
    add_sharing(
        page,
        SharingPartnerFactory(name="Acme Analytics Ltd", locale=locale),
        purpose="They run the matching.",
        is_processor=True,
    )
    add_risk(page, risk="A family is wrongly flagged.", safeguard="A person checks every match.")
    add_assessment(page, kind="dpia", summary="It found the risks were acceptable with safeguards.")
    page.save_revision().publish()
    return page


def test_entry_page_shows_every_field(client, entry):
    response = client.get(entry.url)
    assert response.status_code == 200
    html = response.content.decode()
    expected = [
        "BRS-0001",
        "Bristol City Council",
        "Finding families who may need extra help",
        "We match records to find families who may need support early.",
        "Pilot",
        "Started April 2024",
        "1 March 2026",  # last reviewed
        "1 March 2099",  # next review due
        "We look at records from different teams.",
        "This helps us offer help sooner.",
        "We do not use it to take children into care.",
        "Families get help before problems grow.",
        "Waiting for families to ask.",
        "Health",
        "Special category",
        "To see if a parent is unwell.",
        "School attendance",
        "School attendance records and housing records.",
        "Department for Work and Pensions",
        "https://www.gov.uk/dwp",
        "To claim payment by results.",
        "Acme Analytics Ltd",
        "A supplier that handles the data for us",
        "On council computers in the UK.",
        "Some of this data leaves the UK.",
        "A backup copy is kept in Ireland",
        "We keep it for six years, then delete it.",
        "Public task",
        "https://www.legislation.gov.uk/eur/2016/679/article/6",
        "The Children Act 2004, section 10.",
        "Substantial public interest (Article 9(2)(g))",
        "https://www.legislation.gov.uk/eur/2016/679/article/9",
        "A computer helps a person decide",
        "Yes, people are sorted or scored",
        "A set of rules gives each family a score from 0 to 10.",
        "A family worker reads every score before anyone is contacted.",
        "A family is wrongly flagged.",
        "A person checks every match.",
        "Data protection impact assessment",
        "It found the risks were acceptable with safeguards.",
        "You can object by writing to us.",
        "Ask the team to look at it again.",
        "https://www.example.org/challenge",
        "Phone 0117 496 0999 or write to City Hall.",
        "https://www.example.org/your-data",
        "https://ico.org.uk/make-a-complaint/",
        "Early Help Data Team",
        "earlyhelp@example.org",
        "0117 496 0555",
        "Data Protection Officer",
        "dpo@example.org",
        "0117 496 0123",
        "City Hall<br>College Green",
        "https://www.example.org/privacy",
        "Tell us what you think",
        "We are still learning.",
        "First published",
    ]
    missing = [text for text in expected if text not in html]
    assert missing == []


def test_sections_answer_the_questions_in_order(client, entry):
    html = client.get(entry.url).content.decode()
    sections = [
        'id="purpose"',
        'id="data"',
        'id="sharing"',
        'id="storage"',
        'id="law"',
        'id="decisions"',
        'id="risks"',
        'id="rights"',
        'id="contact"',
    ]
    positions = [html.index(section) for section in sections]
    assert positions == sorted(positions)


def test_entry_with_no_sharing_says_so(client, bristol_register):
    page = DataUsePageFactory(parent=bristol_register)
    html = client.get(page.url).content.decode()
    assert "We do not share this data with any other organisation." in html
    assert "The data stays in the UK." in html
    assert "overdue" not in html.lower()


def test_overdue_entry_says_so_openly(client, bristol_register):
    page = DataUsePageFactory(
        parent=bristol_register, next_review_due=datetime.date(2020, 6, 30), last_reviewed=datetime.date(2019, 6, 30)
    )
    html = client.get(page.url).content.decode()
    assert "This entry is overdue for review. It should have been checked by 30 June 2020" in html
    card = client.get(bristol_register.url).content.decode()
    assert "Overdue for review" in card


def test_related_entries_link_only_to_published_ones(client, entry, bristol_register):
    live = DataUsePageFactory(parent=bristol_register, title="School admissions")
    draft = DataUsePageFactory(parent=bristol_register, title="A draft entry", live=False)
    RelatedEntry.objects.create(page=entry, entry=live, locale=entry.locale)
    RelatedEntry.objects.create(page=entry, entry=draft, locale=entry.locale)
    html = client.get(entry.url).content.decode()
    assert "Related entries" in html
    assert f'href="{live.url}"' in html
    assert "A draft entry" not in html


def test_unpublished_entry_is_never_visible(client, bristol_register):
    page = DataUsePageFactory(parent=bristol_register, title="Not ready", live=False)
    assert client.get("/bristol/" + page.slug + "/").status_code == 404


def test_private_entry_is_not_shown_to_the_public(client, bristol_register):
    page = DataUsePageFactory(parent=bristol_register, title="Staff only")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "Staff only" not in response.content.decode()


def test_draft_changes_stay_hidden_until_published(client, entry):
    entry.summary = "An unpublished new summary."
    entry.save_revision()
    html = client.get(entry.url).content.decode()
    assert "An unpublished new summary." not in html
    assert "We match records to find families" in html


def test_references_count_up_per_council_and_never_change(bristol_register, leeds_register):
    first = DataUsePageFactory(parent=bristol_register)
    second = DataUsePageFactory(parent=bristol_register)
    other = DataUsePageFactory(parent=leeds_register)
    assert [first.reference, second.reference, other.reference] == ["BRS-0001", "BRS-0002", "LDS-0001"]
    first.title = "Renamed"
    first.save_revision().publish()
    first.refresh_from_db()
    assert first.reference == "BRS-0001"
    second.delete()
    assert DataUsePageFactory(parent=bristol_register).reference == "BRS-0002"


def give_feedback(entry, n):
    for i in range(n):
        FeedbackSubmissionFactory(
            entry=entry,
            conditions=["oversight"],
            comment=f"Comment {i}",
            publish_consent=True,
            approved_for_publication=True,
        )


def test_entry_page_uses_a_fixed_number_of_queries(client, entry, locale, django_assert_max_num_queries):
    RelatedEntry.objects.create(page=entry, entry=DataUsePageFactory(parent=entry.get_parent()), locale=locale)
    give_feedback(entry, 10)  # enough for the full feedback summary
    client.get(entry.url)
    with CaptureQueriesContext(connection) as small:
        client.get(entry.url)
    for _n in range(10):
        add_category(entry, DataCategoryFactory(locale=locale))
        add_sharing(entry, SharingPartnerFactory(locale=locale))
        add_risk(entry)
        add_assessment(entry)
        RelatedEntry.objects.create(page=entry, entry=DataUsePageFactory(parent=entry.get_parent()), locale=locale)
    give_feedback(entry, 40)
    with CaptureQueriesContext(connection) as large:
        html = client.get(entry.url).content.decode()
    assert html.count('class="govuk-table__row"') > 20
    assert len(large.captured_queries) == len(small.captured_queries)
    # 29, plus the page's other language versions (switcher, hreflang), the original entry for feedback,
    # whether a review is open, the change notes and the glossary terms of the page's language (one query), and
    # for an entry that uses an algorithm its tool's suppliers, models and datasets (one query each).
    with django_assert_max_num_queries(37):
        client.get(entry.url)


def test_anonymous_entry_html_has_nothing_personal_so_it_can_be_cached(client, entry, django_user_model):
    response = client.get(entry.url)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Set-Cookie" not in str(response.headers)
    assert not response.cookies
