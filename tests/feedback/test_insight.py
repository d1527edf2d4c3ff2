"""What residents told us: the figures on a planted data set with answers worked out by hand (counts, shares,
Wilson intervals, who is counted, withholding at 9 and 10), that nothing withheld can be worked out by
subtraction from the pages or the downloads, the pages in both languages, the downloads, and the worker keeping
the figures up to date."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale

from datauses.models import ChangeNote, DataUsePage, Organisation
from feedback import insight, monthly_report, tallies
from feedback.models import AboutYou, FeedbackSubmission, OwnerAnswer, PublishedInsight, Review
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
    ServiceOwnerTeamFactory,
    SharingPartnerFactory,
    add_category,
    add_home_page,
    add_sharing,
    fresh,
)
from tests.feedback.conftest import admin_group
from tests.feedback.test_feedback_form import post

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


def reasons():
    """Why each withheld figure is withheld (the pages and downloads only say that it is)."""
    cells = insight.with_partnership({**insight.count_everything(), **insight.count_about_you()})
    councils = sorted({scope for (_topic, _group, scope) in cells if scope != insight.ALL})
    return insight.suppress(cells, councils).why


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
    # Leeds' waste group has only L2's 9: not counted, and marked as too few rather than left out.
    assert cell(planted, "service_area", "waste", "leeds").withheld == "uncounted"


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
    why = reasons()
    assert why["month", "2026-11", "bristol"] == "few"
    assert why["month", "2026-10", "bristol"] == "protect"
    # The pages and downloads say only that both are not shown: not which is the small one.
    assert (
        cell(planted, "month", "2026-11", "bristol").withheld
        == cell(planted, "month", "2026-10", "bristol").withheld
        == "yes"
    )
    assert cell(planted, "total", "all", "bristol").responses == 50
    # Leeds' and Cardiff's November (10 and 12) stay shown: they equal their councils' totals, so withholding
    # them would protect nothing; the partnership's November is withheld instead, and so its October.
    assert cell(planted, "month", "2026-11", "leeds").responses == 10
    assert cell(planted, "month", "2026-11", "cardiff").responses == 12
    assert why["month", "2026-11", "all"] == why["month", "2026-10", "all"] == "protect"


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


def test_two_small_groups_together_are_not_left_as_a_small_group():
    # 4 and 4 withheld would still give away the 8 people together (the total less the groups shown), with
    # how comfortable they were: a third group is withheld so that those withheld make at least 10.
    cells = {
        ("total", "all", "a"): {"responses": 50},
        ("month", "2026-01", "a"): {"responses": 4},
        ("month", "2026-02", "a"): {"responses": 4},
        ("month", "2026-03", "a"): {"responses": 12},
        ("month", "2026-04", "a"): {"responses": 30},
    }
    withheld = insight.suppress(insight.with_partnership(cells), ["a"]).why
    assert withheld[("month", "2026-03", "a")] == "protect"
    assert ("month", "2026-04", "a") not in withheld


def assert_nothing_can_be_worked_out(cells, withheld, councils, sizes_known=True):
    """No line gives a withheld figure away alone, nor (where the sizes are known) withheld members that together
    are a small group."""
    for total, members in insight.lines(cells, councils):
        unknown = [key for key in [total, *members] if key in withheld and cells.get(key, {}).get("responses")]
        assert len(unknown) != 1, f"{unknown[0]} can be worked out from {total} and {members}"
        if sizes_known and total not in unknown:
            together = sum(cells[key]["responses"] for key in unknown)
            assert together == 0 or together >= 10, f"{unknown} together are {together}"


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
    assert "Not shown: too few responses" in withheld["note"]
    # Whatever a reader knows from the download, no withheld figure follows from it by subtraction.
    # Groups whose only responses are on entries under 10 are marked, and count as nothing in any figure.
    uncounted = {key for key, row in by_key.items() if "which no figure counts" in row["note"]}
    assert ("service_area", "waste", "leeds") in uncounted  # L2's 9
    by_key = {key: row for key, row in by_key.items() if key not in uncounted}
    known = {key: int(row["responses"]) for key, row in by_key.items() if row["shown"] == "yes"}
    councils = sorted({row["council_code"] for row in rows} - {"all"})
    cells = {key: {"responses": known.get(key, 1)} for key in by_key}  # withheld: unknown, and not empty
    withheld_keys = {key: "?" for key, row in by_key.items() if row["shown"] == "no"}
    assert withheld_keys
    assert_nothing_can_be_worked_out(cells, withheld_keys, councils, sizes_known=False)


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
    assert "Not shown: too few responses, or it would let a smaller group be worked out" in months


def test_a_councils_page_shows_only_that_council(client, planted):
    response = client.get("/what-residents-told-us/bristol/")
    page = BeautifulSoup(response.content, "html.parser")
    assert "50" in page.select_one("#overall").get_text()
    months = page.select_one("#table-month").get_text(" ", strip=True)
    assert "Not shown: too few responses" in months
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


# ---- who we are hearing from: the optional 'about you' questions -----------------------------------------------

ALL_QUESTIONS = ["age_band", "uses_service", "postcode_district"]


def council_of(entry):
    """The entry's council as it is in the database now (not the copy the module's entries carry)."""
    return Organisation.objects.get(pk=entry.organisation_id)


def ask(entry, questions=ALL_QUESTIONS, **profile):
    organisation = council_of(entry)
    organisation.about_you_questions = questions
    for name, value in profile.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()


def test_the_about_you_questions_are_off_by_default(client, planted):
    b1 = fresh(planted["entries"]["b1"])
    assert council_of(planted["entries"]["b1"]).about_you_questions == []
    html = client.get(f"/feedback/{b1.pk}/").content.decode()
    assert "About you" not in html and "How old are you?" not in html
    response = post(client, b1, age_band="16-24", postcode_district="BS1")
    assert response.status_code == 302
    assert not AboutYou.objects.exists()


def test_when_a_council_asks_them_they_are_optional_and_only_the_first_half_of_a_postcode_is_kept(client, planted):
    b1 = fresh(planted["entries"]["b1"])
    ask(b1)
    page = BeautifulSoup(client.get(f"/feedback/{b1.pk}/").content, "html.parser")
    about = page.select_one("#about-you")
    assert "only ever reported in groups of 10 or more" in about.get_text()
    assert {field["name"] for field in about.select("input")} >= {"age_band", "uses_service", "postcode_district"}
    assert post(client, b1).status_code == 302  # none of them answered: fine
    assert not AboutYou.objects.exists()
    response = post(client, b1, age_band="16-24", uses_service="yes", postcode_district="bs1 5tr", ip="192.0.2.9")
    assert response.status_code == 302
    kept = AboutYou.objects.get()
    assert (kept.age_band, kept.uses_service, kept.postcode_district) == ("16-24", "yes", "BS1")
    assert kept.submission.comment == "I worry the photos are kept too long."  # in its own table, not the comment


def test_a_wrong_postcode_is_asked_again_politely(client, planted):
    b1 = fresh(planted["entries"]["b1"])
    ask(b1)
    response = post(client, b1, postcode_district="not a postcode", age_band="200")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter the first half of your postcode, like BS1 or CF10, or leave it empty" in text
    assert "Select an age band, or leave it empty" in text
    assert not FeedbackSubmission.objects.filter(comment="I worry the photos are kept too long.").exists()


def test_about_you_answers_are_deleted_with_the_response(planted):
    b1 = fresh(planted["entries"]["b1"])
    submission = FeedbackSubmission.objects.filter(entry=b1).first()
    AboutYou.objects.create(submission=submission, age_band="25-34")
    submission.delete()
    assert not AboutYou.objects.exists()


def test_about_you_answers_are_never_exported_one_by_one(client, planted, django_user_model):
    b1 = fresh(planted["entries"]["b1"])
    group = admin_group("Cameras owners")
    b1.owner_team = ServiceOwnerTeamFactory(organisation=b1.organisation, group=group, locale=b1.locale)
    b1.save()
    owner = django_user_model.objects.create_user("owner", password="x")
    owner.groups.add(group)
    for submission in FeedbackSubmission.objects.filter(entry=b1):
        AboutYou.objects.create(submission=submission, age_band="75+", postcode_district="ZE3")
    client.force_login(owner)
    for export_format in ["csv", "xlsx"]:
        response = client.get("/admin/feedback/inbox/", {"export": export_format})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if export_format == "csv":
            text = content.decode("utf-8-sig")
            assert "Cameras" in text and "ZE3" not in text and "75+" not in text
        else:
            cells = {
                str(c)
                for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
                for c in row
            }
            assert "Cameras" in " ".join(cells) and "ZE3" not in cells and "75+" not in cells
    client.logout()
    for address in ["/open-data/feedback.csv", "/what-residents-told-us/data.csv?council=bristol"]:
        assert "ZE3" not in client.get(address).content.decode()


def plant_ages(planted):
    """Bristol asks ages (B1 and B2, 50 responses): 16 to 24: 12 (B1's first, 10 comfortable); 55 to 64: 4;
    65 to 74: 28 (B2's first, all comfortable); 75 or over: 6. Its profile: 20% aged 16 to 24, 15% 55 to 64,
    30% 65 to 74 and 10% 75 or over."""
    b1, b2 = planted["entries"]["b1"], planted["entries"]["b2"]
    ask(b1, ["age_band"], age_profile="16-24: 20\n55-64: 15\n65-74: 30\n75+: 10", weight_to_population=True)
    bands = ["16-24"] * 12 + ["55-64"] * 4 + ["75+"] * 4 + ["65-74"] * 28 + ["75+"] * 2
    responses = [*FeedbackSubmission.objects.filter(entry=b1).order_by("pk")]
    responses += [*FeedbackSubmission.objects.filter(entry=b2).order_by("pk")]
    for submission, band in zip(responses, bands, strict=True):
        AboutYou.objects.create(submission=submission, age_band=band)
    return insight.refresh()


def test_who_answered_is_counted_by_age_band_with_small_bands_withheld(planted):
    figures = plant_ages(planted)
    young = insight.figure(figures, "about_age_band", "16-24", "bristol")
    assert (young.responses, young.comfortable) == (12, 10)
    assert insight.figure(figures, "about_age_band", "65-74", "bristol").responses == 28
    # Bands of 4 and 6: each withheld, and together (the total less the bands shown) they are 10.
    assert insight.figure(figures, "about_age_band", "55-64", "bristol").withheld == "yes"
    assert insight.figure(figures, "about_age_band", "75+", "bristol").withheld == "yes"
    assert insight.figure(figures, "about_total", "all", "bristol").responses == 50
    # Only Bristol asks: no other council, and not the partnership, has figures by age.
    assert not [key for key in figures["cells"] if key.startswith("about_") and not key.endswith("|bristol")]


def test_comfort_weighted_to_the_population_on_a_small_known_example():
    # 16 to 24: 15 of 20 comfortable; 65 to 74: 6 of 30; 75 or over not shown. Residents: 10% and 40% (and 75 or
    # over 30%, which cannot be used). Weighted: (10 x 0.75 + 40 x 0.2) / 50 = 31%; as answered: 21 / 50 = 42%.
    figures = {
        "cells": {
            "about_age_band|16-24|x": {"responses": 20, "very_comfortable": 15, "fairly_comfortable": 0},
            "about_age_band|65-74|x": {"responses": 30, "very_comfortable": 0, "fairly_comfortable": 6},
            "about_age_band|75+|x": {"withheld": "few"},
        }
    }
    weighted = insight.weighted_comfort(figures, "x", {"16-24": 10, "65-74": 40, "75+": 30})
    # Variance: 0.2^2 x 0.75 x 0.25 / 20 + 0.8^2 x 0.2 x 0.8 / 30 = 0.003788; 1.96 x its root = 12.1 points.
    assert weighted == {"percent": 31, "low": 19, "high": 43, "covered": 50, "bands": 2}
    assert insight.weighted_comfort(figures, "x", {"75+": 100}) is None


def test_a_councils_page_shows_who_answered_against_its_residents_and_the_weighted_figure(client, planted):
    plant_ages(planted)
    page = BeautifulSoup(client.get("/what-residents-told-us/bristol/").content, "html.parser")
    table = page.select_one("#table-about_age_band").get_text(" ", strip=True)
    assert "16 to 24 12 24% 20% 83%" in table  # 12 of 50 answers; 20% of residents; 10 of 12 comfortable
    assert "Not shown: too few responses" in table
    # 65 to 74 are 30% of residents but 56% of answers (28 of 50).
    assert (
        "65 to 74: 30% of residents, but 56% of the people who answered."
        in page.select_one("#gaps-age_band").get_text()
    )
    # (20 x 10/12 + 30 x 28/28) / 50 = 93%, against 39 / 50 = 78% as answered.
    weighted = page.select_one("#weighted").get_text(" ", strip=True)
    assert "93%" in weighted
    assert "post-stratification on one variable" in page.select_one("#how-weighted").find_next("p").get_text()
    assert "cannot correct for anything but age" in page.get_text()
    # Not on the partnership's page, nor another council's.
    assert client.get("/what-residents-told-us/").content.decode().count("hearing-from") == 0
    assert "hearing-from" not in client.get("/what-residents-told-us/leeds/").content.decode()


def test_a_population_profile_that_does_not_add_up_is_refused_with_a_plain_message(planted):
    organisation = council_of(planted["entries"]["b1"])
    for text, message in [
        ("16-24: 60\n25-34: 50", "add up to more than 100"),
        ("sixteen: 20", "is not one of the groups"),
        ("16-24 20", "write the group, a colon and a percentage"),
    ]:
        organisation.age_profile = text
        with pytest.raises(ValidationError) as problem:
            organisation.full_clean()
        assert message in str(problem.value)
    organisation.age_profile, organisation.postcode_profile = "", "BS1: 3.5\nnot a district: 2"
    with pytest.raises(ValidationError):
        organisation.full_clean()


# ---- the monthly report -----------------------------------------------------------------------------------------


def cardiff_changes(planted):
    """C1 had 12 responses in November (6 comfortable); give it 15 in October, all comfortable. And Bristol a
    tenth response in November, so that no council's November is withheld."""
    answers(planted["entries"]["c1"], [15, 0, 0, 0, 0], OCTOBER)
    answers(planted["entries"]["b1"], [0, 0, 1, 0, 0], NOVEMBER)
    tallies.recount_everything()
    insight.refresh()


def test_the_first_working_day_skips_weekends_and_bank_holidays():
    assert monthly_report.first_working_day(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 1)  # a Tuesday
    assert monthly_report.first_working_day(datetime.date(2027, 1, 1)) == datetime.date(2027, 1, 4)  # New Year
    assert monthly_report.first_working_day(datetime.date(2026, 8, 1)) == datetime.date(2026, 8, 3)  # a Saturday


def test_the_report_shows_the_biggest_changes_since_the_month_before_by_council(client, planted):
    cardiff_changes(planted)
    cardiff = BeautifulSoup(client.get("/what-residents-told-us/cardiff/report/2026-11/").content, "html.parser")
    assert "In November 2026, 12 people gave feedback. 50% were comfortable (between 25% and 75%)." in cardiff.text
    assert "In October 2026 it was 100%, of 15." in cardiff.text and "That is a clear change." in cardiff.text
    # Entry by entry, month by month, is not published: two reports compared could give a small group away.
    assert "not shown entry by entry" in cardiff.select_one("#changes-table").get_text()
    page = BeautifulSoup(client.get("/what-residents-told-us/report/2026-11/").content, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in page.select("#changes-table tbody tr")]
    # Bristol: October 39 of 41 (95%), November 0 of 10; Cardiff: October 15 of 15, November 6 of 12 (25.4% to
    # 74.6%). Leeds had none in October. Biggest change first.
    assert rows[0].startswith("Bristol City Council 95% (84% to 99%), 41 0% (0% to 28%), 10 -95 points")
    assert rows[1] == "Cardiff Council 100% (80% to 100%), 15 50% (25% to 75%), 12 -50 points, a clear change"
    assert len(rows) == 2


def test_a_change_is_compared_only_when_every_version_has_none_or_at_least_10_responses(planted):
    b2 = fresh(planted["entries"]["b2"])  # 30 responses on its first version
    first, second = b2.save_revision(), None
    first.publish()
    for _ in range(3):  # 3 on a short-lived version: "before" the next change less "before" this one
        FeedbackSubmissionFactory(entry=b2, comfort="very_uncomfortable", revision=first, created_at=NOVEMBER)
    second = b2.save_revision()
    second.publish()
    for _ in range(12):
        FeedbackSubmissionFactory(entry=b2, comfort="very_comfortable", revision=second, created_at=NOVEMBER)
    for revision in (first, second):
        ChangeNote.objects.create(entry=b2, revision=revision, note="A change", published_at=NOVEMBER)
    tallies.recount_everything()
    effects = monthly_report.version_effects(datetime.date(2026, 11, 1))
    assert [effect["before"] for effect in effects] == [None, None]


def test_the_report_shows_answers_reviews_and_whether_a_change_moved_comfort(client, planted):
    b2 = fresh(planted["entries"]["b2"])
    revision = b2.save_revision()
    revision.publish()
    ChangeNote.objects.create(
        entry=b2, revision=revision, note="We now empty bins weekly", published_at=NOVEMBER + datetime.timedelta(days=1)
    )
    for n in range(10):  # since the change: 2 of 10 comfortable
        comfort = "very_comfortable" if n < 2 else "very_uncomfortable"
        FeedbackSubmissionFactory(entry=b2, comfort=comfort, revision=revision, created_at=NOVEMBER)
    tallies.recount_everything()
    answer = OwnerAnswer.objects.create(entry=b2, you_said="Too often", we_did="We changed it", outcome="changed")
    answer.save_revision().publish()
    OwnerAnswer.objects.filter(pk=answer.pk).update(first_published_at=NOVEMBER)
    Review.objects.create(
        entry=b2, reason="uncomfortable_run", opened_at=NOVEMBER, closed_at=NOVEMBER, outcome="new_version"
    )
    page = BeautifulSoup(client.get("/what-residents-told-us/bristol/report/2026-11/").content, "html.parser")
    assert "Bins" in page.select_one("#answers-list").get_text()
    reviews = page.select_one("#reviews-list").get_text(" ", strip=True)
    assert "Many people said they were uncomfortable" in reviews and "published a new version" in reviews
    versions = page.select_one("#versions-list").get_text(" ", strip=True)
    # Before: B2's 30 (29 comfortable, 97%); since: 2 of 10 (20%).
    assert "Before: 97% comfortable, of 30. Since: 20%, of 10." in versions and "A clear change." in versions
    # Bristol's November (9 before these) is shown only from the figures as published.
    assert client.get("/what-residents-told-us/report/2099-01/").status_code == 404
    assert client.get("/what-residents-told-us/report/2026-13/").status_code == 404


def test_the_reports_are_emailed_on_the_first_working_day_once(planted, settings, mailoutbox):
    settings.INSIGHT_REPORT_RECIPIENTS = ["board@example.org"]
    leeds = council_of(planted["entries"]["l1"])
    leeds.insight_report_recipients = "dpo@leeds.example.org\nchair@leeds.example.org"
    leeds.save()
    out = io.StringIO()
    call_command("send_insight_reports", "--date", "2026-12-02", stdout=out)
    assert "Nothing to send: the reports go out on 01 December 2026" in out.getvalue()
    assert mailoutbox == []
    call_command("send_insight_reports", "--date", "2026-12-01", stdout=out)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "board@example.org",
        "chair@leeds.example.org",
        "dpo@leeds.example.org",
    ]
    leeds_mail = next(message for message in mailoutbox if message.to == ["dpo@leeds.example.org"])
    assert leeds_mail.subject == "What residents told us in November 2026: Leeds City Council"
    html = leeds_mail.alternatives[0].content
    assert "In November 2026, 10 people gave feedback. 20% were comfortable" in html
    assert "/what-residents-told-us/leeds/report/2026-11/" in leeds_mail.body
    call_command("send_insight_reports", "--date", "2026-12-01", stdout=out)
    assert len(mailoutbox) == 3  # never twice


def test_a_council_in_two_languages_asks_and_is_counted_once(client, planted):
    b1 = fresh(planted["entries"]["b1"])
    welsh = Locale.objects.create(language_code="cy")
    copy = council_of(b1).copy_for_translation(welsh)
    copy.save()
    figures = plant_ages(planted)  # sets the questions on the English council: its Welsh copy follows at once
    copy.refresh_from_db()
    assert copy.about_you_questions == ["age_band"] and copy.weight_to_population
    assert insight.figure(figures, "about_age_band", "16-24", "bristol").responses == 12  # not 24
    html = client.get(f"/feedback/{b1.pk}/").content.decode()
    assert "Prefer not to say" in html


def test_who_answered_moves_on_only_after_10_more_responses(planted):
    figures = plant_ages(planted)
    b1 = fresh(planted["entries"]["b1"])

    def more(n):
        for _ in range(n):
            AboutYou.objects.create(
                submission=FeedbackSubmissionFactory(entry=b1, comfort="very_comfortable", created_at=NOVEMBER),
                age_band="16-24",
            )
        tallies.catch_up(wait=True)
        return insight.refresh()

    figures = more(9)
    # The council's total moves on with every response; who answered waits for 10 more.
    assert insight.figure(figures, "total", "all", "bristol").responses == 59
    assert insight.figure(figures, "about_age_band", "16-24", "bristol").responses == 12
    assert insight.figure(figures, "about_total", "all", "bristol").responses == 50
    figures = more(1)
    assert insight.figure(figures, "about_age_band", "16-24", "bristol").responses == 22
    assert insight.figure(figures, "about_total", "all", "bristol").responses == 60


def test_a_postcode_district_with_few_answers_is_not_named(client, planted):
    b1, b2 = planted["entries"]["b1"], planted["entries"]["b2"]
    ask(b1, ["postcode_district"])
    for n, submission in enumerate(
        [*FeedbackSubmission.objects.filter(entry=b2), *FeedbackSubmission.objects.filter(entry=b1)]
    ):
        district = "BS1" if n < 30 else ("ZE3" if n < 33 else "BS2" if n < 43 else "")
        if district:
            AboutYou.objects.create(submission=submission, postcode_district=district)
    figures = insight.refresh()
    groups = figures["groups"]["about_postcode_district"]
    assert "ZE3" not in groups and "*" in groups and "BS1" in groups
    text = client.get("/what-residents-told-us/bristol/").content.decode()
    text += client.get("/what-residents-told-us/data.csv?council=bristol").content.decode()
    assert "ZE3" not in text and "Other districts" in text


def test_entries_whose_page_hides_what_people_said_are_not_counted(planted):
    b2 = fresh(planted["entries"]["b2"])
    DataUsePage.objects.filter(pk=b2.pk).update(show_feedback_summary=False)
    figures = insight.refresh()
    assert insight.figure(figures, "total", "all", "all").responses == 42  # 72 less B2's 30


def test_a_council_cannot_take_a_name_the_figures_use(planted):
    organisation = council_of(planted["entries"]["b1"])
    organisation.slug = "all"
    with pytest.raises(ValidationError) as problem:
        organisation.full_clean()
    assert "used in the site's own addresses" in str(problem.value)
