"""What residents told us: the figures on a planted data set with answers worked out by hand (counts, shares,
Wilson intervals, who is counted, withholding at 9 and 10), that nothing withheld can be worked out by
subtraction from the pages or the downloads, the pages in both languages, the downloads, and the worker keeping
the figures up to date."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from feedback import insight, tallies
from feedback.models import FeedbackSubmission, PublishedInsight
from tests.factories import (
    BRISTOL,
    LEEDS,
    DataCategoryFactory,
    DataUsePageFactory,
    FeedbackSubmissionFactory,
    LocaleFactory,
    OrganisationFactory,
    RegisterPageFactory,
    ServiceAreaFactory,
    SharingPartnerFactory,
    add_category,
    add_home_page,
    add_sharing,
)

pytestmark = pytest.mark.django_db

CARDIFF = {"name": "Cardiff Council", "short_name": "Cardiff", "slug": "cardiff", "reference_prefix": "CDF"}
COMFORTS = ["very_comfortable", "fairly_comfortable", "not_sure", "fairly_uncomfortable", "very_uncomfortable"]
OCTOBER = datetime.datetime(2026, 10, 14, 12, tzinfo=datetime.UTC)
NOVEMBER = datetime.datetime(2026, 11, 14, 12, tzinfo=datetime.UTC)


def answers(entry, spread, when, trust=(), conditions=()):
    """Feedback on entry: spread is a count for each comfort answer (in COMFORTS order), given at ``when``;
    trust and conditions are given to the first len(...) responses."""
    made = 0
    for comfort, n in zip(COMFORTS, spread, strict=True):
        for _ in range(n):
            FeedbackSubmissionFactory(
                entry=entry,
                comfort=comfort,
                trust=trust[made] if made < len(trust) else "",
                conditions=list(conditions[made]) if made < len(conditions) else [],
                created_at=when,
            )
            made += 1


@pytest.fixture(scope="module")
def planted(module_transaction, django_db_blocker):
    """Three councils, five entries, every answer known (see the comments: the expected figures follow them)."""
    with django_db_blocker.unblock():
        locale = LocaleFactory()
        home = add_home_page(locale)
        registers = {
            slug: RegisterPageFactory(parent=home, slug=slug, organisation=OrganisationFactory(**data, locale=locale))
            for slug, data in [("bristol", BRISTOL), ("leeds", LEEDS), ("cardiff", CARDIFF)]
        }
        safety = ServiceAreaFactory(name="Community safety", slug="community-safety", locale=locale)
        waste = ServiceAreaFactory(name="Waste and recycling", slug="waste", locale=locale)
        health = DataCategoryFactory(name="Health", slug="health", is_special_category=True, locale=locale)
        address = DataCategoryFactory(name="Address", slug="address", locale=locale)
        police = SharingPartnerFactory(name="The police", slug="police", kind="police", locale=locale)
        camera_firm = SharingPartnerFactory(name="Camera firm", slug="camera-firm", kind="supplier", locale=locale)
        lens_firm = SharingPartnerFactory(name="Lens firm", slug="lens-firm", kind="supplier", locale=locale)

        def entry(council, title, area, categories, partners, decisions="none", algorithm=False, basis="public_task"):
            page = DataUsePageFactory(
                parent=registers[council],
                title=title,
                service_area=area,
                decision_making=decisions,
                uses_algorithm=algorithm,
                lawful_basis=basis,
            )
            for category in categories:
                add_category(page, category)
            for partner in partners:
                add_sharing(page, partner)
            page.save_revision().publish()
            return page

        # B1: 20 responses (10 comfortable), 11 in October and 9 in November; 8 trust yes, 4 no; 6 want an opt-out.
        b1 = entry("bristol", "Cameras", safety, [health], [police], "automated", True)
        answers(b1, [4, 6, 0, 1, 0], OCTOBER, trust=["yes"] * 8 + ["no"] * 3, conditions=[["opt_out"]] * 6)
        answers(b1, [0, 0, 2, 4, 3], NOVEMBER, trust=["no"])
        # B2: 30 responses (29 comfortable), all in October; nobody answered about trust.
        b2 = entry("bristol", "Bins", waste, [address], [], basis="contract")
        answers(b2, [15, 14, 1, 0, 0], OCTOBER)
        # L1: 10 responses (2 comfortable), in November; shares with the police and with two suppliers.
        l1 = entry("leeds", "Patrols", safety, [health, address], [police, camera_firm, lens_firm], "assisted")
        answers(l1, [1, 1, 2, 3, 3], NOVEMBER, trust=["no"] * 10, conditions=[["oversight", "opt_out"]] * 4)
        # L2: 9 responses: an entry under 10 is not counted at all.
        l2 = entry("leeds", "Recycling", waste, [address], [])
        answers(l2, [9, 0, 0, 0, 0], NOVEMBER)
        # C1: 12 responses (6 comfortable), in November.
        c1 = entry("cardiff", "Street cameras", safety, [health], [police])
        answers(c1, [3, 3, 2, 2, 2], NOVEMBER)
        tallies.recount_everything()
        figures = insight.refresh()
    return {"figures": figures, "entries": {"b1": b1, "b2": b2, "l1": l1, "l2": l2, "c1": c1}}


def cell(planted, topic, group, scope):
    return insight.figure(planted["figures"], topic, group, scope)


# ---- the figures, by hand ------------------------------------------------------------------------------------


def test_the_wilson_interval_matches_published_values():
    # 10 of 20: 29.9% to 70.1%; 0 of 10: 0% to 27.8%; 24 of 30: 62.7% to 90.5% (Wilson, 1927; z = 1.96).
    assert [round(x, 3) for x in insight.wilson(10, 20)] == [0.299, 0.701]
    assert [round(x, 3) for x in insight.wilson(0, 10)] == [0.0, 0.278]
    assert [round(x, 3) for x in insight.wilson(24, 30)] == [0.627, 0.905]
    assert insight.wilson(0, 0) is None


def test_the_partnership_total_counts_every_entry_with_at_least_10_responses(planted):
    total = cell(planted, "total", "all", "all")
    # B1 20 + B2 30 + L1 10 + C1 12 = 72 (L2's 9 are not counted); comfortable 10 + 29 + 2 + 6 = 47.
    assert total.responses == 72
    assert total.comfortable == 47
    assert total.comfortable_percent == 65  # 47 / 72 = 65.3%
    assert total.interval == (54, 75)  # Wilson, 47 of 72: 53.8% to 75.3%


def test_an_entry_with_9_responses_is_left_out_and_one_with_10_is_counted(planted):
    # Leeds: L1 (10) counted, L2 (9) not: the council's total is L1's alone.
    leeds = cell(planted, "total", "all", "leeds")
    assert leeds.withheld == "" and leeds.responses == 10
    waste = cell(planted, "service_area", "waste", "all")
    assert waste.responses == 30  # B2 only


def test_groups_by_kind_of_use_add_up_each_entry_once(planted):
    # Special category (health): B1, L1, C1 = 42 responses, 18 comfortable; not special: B2 = 30, 29 comfortable.
    assert (
        cell(planted, "special_category", "yes", "all").responses,
        cell(planted, "special_category", "yes", "all").comfortable,
    ) == (42, 18)
    assert cell(planted, "special_category", "no", "all").responses == 30
    # L1 shares with two suppliers: counted once under suppliers.
    assert cell(planted, "sharing", "supplier", "all").responses == 10
    assert cell(planted, "sharing", "police", "all").responses == 42
    assert cell(planted, "sharing", "none", "all").responses == 30
    # L1 uses health and address data: it counts under both.
    assert cell(planted, "data_category", "address", "all").responses == 40
    assert cell(planted, "data_category", "health", "all").responses == 42
    assert cell(planted, "decision_making", "automated", "all").responses == 20
    assert cell(planted, "decision_making", "assisted", "all").responses == 10
    assert cell(planted, "decision_making", "none", "all").responses == 42
    assert cell(planted, "uses_algorithm", "yes", "all").responses == 20
    assert cell(planted, "lawful_basis", "contract", "all").responses == 30


def test_trust_and_conditions_are_counted_per_group(planted):
    b1 = cell(planted, "total", "all", "bristol")
    # Bristol: B1's 8 yes and 4 no; B2 nobody answered: 8 of 12 said yes.
    assert (b1.trust_answers, b1.trust_percent) == (12, 67)
    police = cell(planted, "sharing", "police", "all")
    # An opt-out: B1 6, L1 4 = 10 of 42 responses with the police.
    assert police.condition_count("opt_out") == 10
    assert police.condition_count("oversight") == 4


def test_a_group_is_called_different_only_when_the_intervals_do_not_overlap(planted):
    overall = cell(planted, "total", "all", "all")  # 47 / 72: 53.8% to 75.3%
    assert cell(planted, "special_category", "no", "all").compared_with(overall) == "higher"  # 29 / 30: 83.3% to 99.4%
    assert cell(planted, "sharing", "supplier", "all").compared_with(overall) == "lower"  # 2 / 10: 5.7% to 51.0%
    # 18 / 42 (29.1% to 57.8%) is below 65%, but the intervals overlap: no clear difference.
    assert cell(planted, "special_category", "yes", "all").compared_with(overall) == "same"


def test_a_month_with_9_responses_is_withheld_and_cannot_be_worked_out(planted):
    # Bristol: 41 in October, 9 in November. November is withheld for being small, and October too, or the
    # council's total (50) less October would give November away.
    assert cell(planted, "month", "2026-11", "bristol").withheld == "few"
    assert cell(planted, "month", "2026-10", "bristol").withheld == "protect"
    assert cell(planted, "total", "all", "bristol").responses == 50
    # Leeds' and Cardiff's November (10 and 12) stay shown: they equal their councils' totals, so withholding
    # them would protect nothing; the partnership's November is withheld instead, and so its October.
    assert cell(planted, "month", "2026-11", "leeds").responses == 10
    assert cell(planted, "month", "2026-11", "cardiff").responses == 12
    assert cell(planted, "month", "2026-11", "all").withheld == "protect"
    assert cell(planted, "month", "2026-10", "all").withheld == "protect"


def test_the_suppression_rule_on_a_small_example():
    councils = ["a", "b"]
    cells = insight.with_partnership(
        {
            ("total", "all", "a"): {"responses": 30},
            ("total", "all", "b"): {"responses": 25},
            ("month", "2026-01", "a"): {"responses": 9},
            ("month", "2026-02", "a"): {"responses": 21},
            ("month", "2026-01", "b"): {"responses": 10},
            ("month", "2026-02", "b"): {"responses": 15},
        }
    )
    withheld = insight.suppress(cells, councils).why
    assert withheld[("month", "2026-01", "a")] == "few"  # 9
    assert ("month", "2026-01", "b") not in withheld or withheld[("month", "2026-01", "b")] == "protect"
    assert_nothing_can_be_worked_out(cells, withheld, councils)


def assert_nothing_can_be_worked_out(cells, withheld, councils):
    for total, members in insight.lines(cells, councils):
        unknown = [key for key in [total, *members] if key in withheld and cells.get(key, {}).get("responses")]
        assert len(unknown) != 1, f"{unknown[0]} can be worked out from {total} and {members}"


def test_no_withheld_figure_can_be_worked_out_by_subtraction_on_the_planted_data(planted):
    cells = insight.with_partnership(insight.count_everything())
    councils = ["bristol", "cardiff", "leeds"]
    assert_nothing_can_be_worked_out(cells, insight.suppress(cells, councils).why, councils)


# ---- the downloads and pages show the same, and nothing withheld ------------------------------------------------


def download(client, query=""):
    response = client.get(f"/what-residents-told-us/data.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_download_holds_every_figure_and_no_withheld_one(client, planted):
    rows = download(client)
    by_key = {(row["topic"], row["group_code"], row["council_code"]): row for row in rows}
    total = by_key["total", "all", "all"]
    assert (total["responses"], total["very_comfortable"], total["comfortable_percent"]) == ("72", "23", "65")
    assert (total["comfortable_low_percent"], total["comfortable_high_percent"]) == ("54", "75")
    withheld = by_key["month", "2026-11", "bristol"]
    assert withheld["shown"] == "no"
    assert all(withheld[column] == "" for column in ["responses", *COMFORTS, "comfortable_percent"])
    assert "fewer than 10" in withheld["note"]
    # Whatever a reader knows from the download, no withheld figure follows from it by subtraction.
    known = {key: int(row["responses"]) for key, row in by_key.items() if row["shown"] == "yes"}
    councils = sorted({row["council_code"] for row in rows} - {"all"})
    cells = {key: {"responses": known.get(key, 1)} for key in by_key}  # withheld: unknown, and not empty
    withheld_keys = {key: "?" for key, row in by_key.items() if row["shown"] == "no"}
    assert withheld_keys
    assert_nothing_can_be_worked_out(cells, withheld_keys, councils)


def test_a_filtered_download_is_a_part_of_the_whole(client, planted):
    whole = download(client)
    part = download(client, "?council=bristol&topic=month")
    assert part and all(row["council_code"] == "bristol" and row["topic"] == "month" for row in part)
    assert all(row in whole for row in part)
    data = json.loads(client.get("/what-residents-told-us/data.json?council=leeds").content)
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["fewest_responses_shown"] == 10
    assert {row["council_code"] for row in data["groups"]} == {"leeds"}


@pytest.mark.parametrize("query", ["?council=nowhere", "?topic=shoe-size", "?council=%00"])
def test_a_download_with_an_unknown_filter_is_not_found(client, planted, query):
    response = client.get(f"/what-residents-told-us/data.csv{query}")
    assert response.status_code == 404


def test_the_partnership_page_shows_the_figures_and_their_counts(client, planted):
    response = client.get("/what-residents-told-us/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "not a random sample" in page.select_one("#about-these-figures").get_text()
    overall = page.select_one("#overall").get_text(" ", strip=True)
    assert "72" in overall and "65% (between 54% and 75%)" in overall
    table = page.select_one("#table-special_category")
    rows = [tr.get_text(" ", strip=True) for tr in table.select("tbody tr")]
    assert rows[0].startswith("Uses special category data 42 43% (29% to 58%)")  # 18 of 42: 29.1% to 57.8%
    assert rows[1].startswith("No special category data 30 97% (83% to 99%)")
    assert rows[1].endswith("More comfortable")
    # A chart for each table, drawn on the server with a title and a description.
    chart = page.select_one("#chart-special_category-title").find_parent("svg")
    assert chart["role"] == "img"
    assert "42 responses" in chart.select_one("desc").get_text()
    # The same kind of use in each council, side by side.
    compared = page.select_one("#compared-service_area-table").get_text(" ", strip=True)
    assert "Community safety" in compared and "20 responses" in compared and "12 responses" in compared
    months = page.select_one("#table-month").get_text(" ", strip=True)
    assert "Not shown, so that a smaller group cannot be worked out" in months


def test_a_councils_page_shows_only_that_council(client, planted):
    response = client.get("/what-residents-told-us/bristol/")
    page = BeautifulSoup(response.content, "html.parser")
    assert "50" in page.select_one("#overall").get_text()
    months = page.select_one("#table-month").get_text(" ", strip=True)
    assert "Not shown: fewer than 10 responses" in months
    assert "41" not in months and " 9 " not in months
    assert page.select_one("#by-council") is None
    assert client.get("/what-residents-told-us/nowhere/").status_code == 404


def test_the_pages_are_in_welsh_too(client, planted):
    response = client.get("/cy/what-residents-told-us/")
    assert response.status_code == 200
    assert response.content.decode().count('lang="cy"') >= 1


def test_a_page_with_no_feedback_says_so(client, planted):
    FeedbackSubmission.objects.all().delete()
    tallies.recount_everything()
    insight.refresh()
    response = client.get("/what-residents-told-us/")
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select_one("#not-enough")


def test_the_page_reads_the_kept_figures_in_a_fixed_number_of_queries(client, planted, django_assert_max_num_queries):
    client.get("/what-residents-told-us/")
    with django_assert_max_num_queries(12):
        client.get("/what-residents-told-us/")


# ---- kept up to date -------------------------------------------------------------------------------------------


def test_new_feedback_reaches_the_figures_through_the_worker(client, planted):
    PublishedInsight.objects.filter(pk=1).update(computed_at=timezone.now() - datetime.timedelta(hours=1))
    c1 = planted["entries"]["c1"]
    # A response through the public form: the worker (immediate in tests) counts it and works the figures out.
    answers(c1, [1, 0, 0, 0, 0], timezone.now())
    submission = FeedbackSubmission.objects.filter(entry=c1).latest("pk")
    from feedback.tasks import notify_owners

    notify_owners.call(submission.pk)
    assert cell({"figures": insight.current()[0]}, "total", "all", "cardiff").responses == 13


def test_the_scheduled_command_works_the_figures_out_again(planted):
    PublishedInsight.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_insight", stdout=out)
    assert "Worked out" in out.getvalue()
    assert PublishedInsight.objects.get().figures == planted["figures"]
