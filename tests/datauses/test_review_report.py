"""The "Reviews due" report and the panel on the admin home: each person sees the entries of their own councils
(editors, data protection officers) or teams (owners) whose review is overdue or due in the next 30 days."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from datauses import roles
from datauses.councils import add_council
from datauses.models import ServiceOwnerTeam
from datauses.review_dates import ReviewsDuePanel, add_reviews_due_panel, scope_of
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/reviews-due/"
HOME = "/admin/"
PANEL = "Entries to review"
FORMULA = '=HYPERLINK("http://example.com","Click me")'


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def councils(home_page):
    bristol = add_council(
        "bristol", "Bristol City Council", "Bristol", "BRS", languages=["cy"], teams=["Cameras team", "Housing team"]
    )
    leeds = add_council("leeds", "Leeds City Council", "Leeds", "LDS", teams=["Sensors team"])
    return bristol, leeds


def team(name):
    return ServiceOwnerTeam.objects.get(name=name, locale=Locale.get_default())


@pytest.fixture
def entries(councils):
    bristol, leeds = councils
    register = bristol.register
    made = {
        "cameras": DataUsePageFactory(
            parent=register, title="Cameras", owner_team=team("Cameras team"), next_review_due=days(-10)
        ),
        "chatbot": DataUsePageFactory(
            parent=register, title="Chatbot", owner_team=team("Housing team"), next_review_due=days(5), live=False
        ),
        "payments": DataUsePageFactory(parent=register, title="Payments", next_review_due=days(0)),
        "parking": DataUsePageFactory(parent=register, title="Parking", next_review_due=days(60)),
        "boundary": DataUsePageFactory(parent=register, title="Boundary", next_review_due=days(31)),
        "sensors": DataUsePageFactory(
            parent=leeds.register, title="Leeds sensors", owner_team=team("Sensors team"), next_review_due=days(-3)
        ),
    }
    return made


@pytest.fixture
def people(councils, django_user_model):
    def member(username, *groups):
        user = django_user_model.objects.create_user(username, password="x")
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    Group.objects.create(name="Signs in only").permissions.set(roles.permissions([roles.ACCESS_ADMIN]))
    return {
        "bristol_editor": member("bristol-editor", "Bristol editors"),
        "bristol_dpo": member("bristol-dpo", "Bristol data protection officers"),
        "leeds_editor": member("leeds-editor", "Leeds editors"),
        "cameras_owner": member("cameras-owner", "Bristol: Cameras team"),
        "translator": member("bristol-translator", "Bristol translators"),
        "nobody": member("nobody", "Signs in only"),
        "admin": django_user_model.objects.create_superuser("admin", password="x"),
    }


def report(client, user, **query):
    client.force_login(user)
    return client.get(REPORT, query)


def titles(response):
    """The entry titles listed in the report's table, in order."""
    html = response.content.decode()
    if '<table class="listing"' not in html:
        return []
    table = html.split('<table class="listing"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<div class="title-wrapper">(.*?)</div>', table, flags=re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


# ---- who sees what ----------------------------------------------------------------------------------------------


def test_a_bristol_editor_sees_bristols_entries_due_in_30_days_or_overdue_earliest_first(client, entries, people):
    response = report(client, people["bristol_editor"])
    assert response.status_code == 200
    assert titles(response) == ["Cameras", "Payments", "Chatbot"]  # the draft too; not Parking, not Leeds'
    html = response.content.decode()
    assert "10 days overdue" in html and "Due today" in html and "5 days left" in html
    assert entries["cameras"].reference in html and "Cameras team" in html
    assert f'href="/admin/pages/{entries["cameras"].pk}/edit/"' in html
    assert "Download CSV" in html and "Download XLSX" in html


def test_a_leeds_editor_sees_only_leeds_entries(client, entries, people):
    assert titles(report(client, people["leeds_editor"])) == ["Leeds sensors"]


def test_a_bristol_owner_sees_only_their_teams_entries_linked_to_the_published_page(client, entries, people):
    response = report(client, people["cameras_owner"])
    assert titles(response) == ["Cameras"]
    # Owners do not edit pages: the title leads to the entry on the site.
    html = response.content.decode()
    assert "/edit/" not in html and f'href="{entries["cameras"].url}"' in html
    assert client.get(entries["cameras"].url).status_code == 200


def test_a_data_protection_officer_sees_their_councils_entries(client, entries, people):
    assert titles(report(client, people["bristol_dpo"])) == ["Cameras", "Payments", "Chatbot"]


def test_a_superuser_sees_every_council(client, entries, people):
    assert titles(report(client, people["admin"])) == ["Cameras", "Leeds sensors", "Payments", "Chatbot"]


@pytest.mark.parametrize("who", ["translator", "nobody"])
def test_someone_with_no_council_or_team_is_refused_and_not_offered_the_report(client, entries, people, who):
    response = report(client, people[who])
    assert response.status_code == 403
    assert "there is nothing to show you" in response.content.decode()
    assert report(client, people[who], export="csv").status_code == 403
    assert client.get(REPORT + "results/").status_code == 403
    home = client.get(HOME)
    assert home.status_code == 200
    assert REPORT not in home.content.decode() and PANEL not in home.content.decode()


def test_an_owners_draft_is_listed_without_a_link(client, entries, people):
    DataUsePageFactory(
        parent=entries["cameras"].get_parent(),
        title="Cameras draft",
        owner_team=team("Cameras team"),
        next_review_due=days(1),
        live=False,
    )
    response = report(client, people["cameras_owner"])
    assert titles(response) == ["Cameras", "Cameras draft"]
    assert re.search(r'<div class="title-wrapper">\s*Cameras draft\s*</div>', response.content.decode())


def test_the_report_is_under_reports_for_people_with_entries(client, entries, people):
    client.force_login(people["cameras_owner"])
    assert REPORT in client.get(HOME).content.decode()


def test_signed_out_people_are_sent_to_sign_in(client, entries):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_welsh_copy_is_not_listed_twice(client, entries, people):
    welsh = Locale.objects.get(language_code="cy")
    entries["cameras"].copy_for_translation(welsh, copy_parents=True)
    assert titles(report(client, people["bristol_editor"])) == ["Cameras", "Payments", "Chatbot"]


# ---- filters ----------------------------------------------------------------------------------------------------


def test_filter_overdue_keeps_only_entries_past_their_review_date(client, entries, people):
    assert titles(report(client, people["bristol_editor"], due="overdue")) == ["Cameras"]
    # The same through the address the filters refresh the results from.
    response = client.get(REPORT + "results/", {"due": "overdue"})
    assert response.status_code == 200 and titles(response) == ["Cameras"]


def test_filter_due_soon_keeps_entries_due_today_or_in_the_next_30_days(client, entries, people):
    assert titles(report(client, people["bristol_editor"], due="soon")) == ["Payments", "Chatbot"]


def test_filter_by_council(client, entries, people):
    leeds = entries["sensors"].organisation
    assert titles(report(client, people["admin"], council=leeds.pk)) == ["Leeds sensors"]


def test_filter_by_owner_team(client, entries, people):
    housing = team("Housing team")
    assert titles(report(client, people["bristol_editor"], owner_team=housing.pk)) == ["Chatbot"]


def test_only_the_persons_own_councils_and_teams_are_offered(client, entries, people):
    filters = report(client, people["bristol_editor"]).context["filters"]
    assert [str(c) for c in filters.form.fields["council"].queryset] == ["Bristol City Council"]
    assert {t.name for t in filters.form.fields["owner_team"].queryset} == {"Cameras team", "Housing team"}
    filters = report(client, people["cameras_owner"]).context["filters"]
    assert [str(c) for c in filters.form.fields["council"].queryset] == ["Bristol City Council"]
    assert [t.name for t in filters.form.fields["owner_team"].queryset] == ["Cameras team"]
    filters = report(client, people["admin"]).context["filters"]
    assert [str(c) for c in filters.form.fields["council"].queryset] == ["Bristol City Council", "Leeds City Council"]


@pytest.mark.parametrize(
    "query",
    [
        {"council": "leeds"},
        {"council": "999999"},
        {"owner_team": "x"},
        {"due": "yesterday"},
        {"ordering": "-password"},
        {"p": "-1"},
    ],
)
def test_bad_filters_are_answered_politely_and_never_reach_another_council(client, entries, people, query):
    response = report(client, people["bristol_editor"], **query)
    assert response.status_code == 200
    assert "Leeds sensors" not in response.content.decode()


def test_another_councils_id_in_the_filter_shows_nothing_of_theirs(client, entries, people):
    leeds = entries["sensors"].organisation
    response = report(client, people["bristol_editor"], council=leeds.pk)
    assert response.status_code == 200
    assert "Leeds sensors" not in titles(response)
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_title(client, entries, people):
    assert titles(report(client, people["bristol_editor"], ordering="title")) == ["Cameras", "Chatbot", "Payments"]


# ---- downloads --------------------------------------------------------------------------------------------------

HEADINGS = ["Reference", "Title", "Council", "Owner team", "Next review due", "Overdue or left", "Last reviewed"]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="reviews-due.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_holds_the_rows_shown_with_headings(client, entries, people):
    rows = csv_rows(report(client, people["bristol_editor"], export="csv"))
    cameras = entries["cameras"]
    assert rows[0] == HEADINGS
    assert rows[1] == [
        cameras.reference,
        "Cameras",
        "Bristol City Council",
        "Cameras team",
        days(-10).isoformat(),
        "10 days overdue",
        "2026-03-01",
    ]
    assert [row[1] for row in rows[1:]] == ["Cameras", "Payments", "Chatbot"]
    assert rows[2][3] == "" and rows[2][5] == "Due today"


def test_the_csv_keeps_the_filters(client, entries, people):
    rows = csv_rows(report(client, people["bristol_editor"], export="csv", due="soon"))
    assert [row[1] for row in rows[1:]] == ["Payments", "Chatbot"]


def test_the_csv_holds_only_the_persons_own_entries(client, entries, people):
    assert [row[1] for row in csv_rows(report(client, people["leeds_editor"], export="csv"))[1:]] == ["Leeds sensors"]
    assert [row[1] for row in csv_rows(report(client, people["cameras_owner"], export="csv"))[1:]] == ["Cameras"]


def test_the_xlsx_holds_the_same_rows_and_headings(client, entries, people):
    response = report(client, people["bristol_editor"], export="xlsx")
    assert response.status_code == 200
    assert 'filename="reviews-due.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert [row[1] for row in rows[1:]] == ["Cameras", "Payments", "Chatbot"]
    assert rows[1][4] == days(-10).isoformat() and rows[1][5] == "10 days overdue"


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, entries, people):
    entry = entries["payments"]
    entry.title = FORMULA
    entry.save()
    ServiceOwnerTeam.objects.filter(name="Cameras team").update(name="@SUM(1+1)")
    rows = csv_rows(report(client, people["bristol_editor"], export="csv"))
    assert [rows[2][1], rows[1][3]] == ["'" + FORMULA, "'@SUM(1+1)"]
    response = report(client, people["bristol_editor"], export="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[2][1] == "'" + FORMULA and cells[1][3] == "'@SUM(1+1)"


# ---- queries ----------------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_takes_as_many_queries_for_many_entries_as_for_few(client, entries, people, councils):
    client.force_login(people["bristol_editor"])
    count_queries(client, REPORT)  # the first request fills Wagtail's caches
    few = count_queries(client, REPORT)
    for n in range(10):
        DataUsePageFactory(parent=councils[0].register, owner_team=team("Cameras team"), next_review_due=days(-n))
    assert count_queries(client, REPORT) == few
    assert count_queries(client, REPORT + "?export=csv") <= few


# ---- the panel on the admin home --------------------------------------------------------------------------------


def panel(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="reviews-due-section"' not in html:
        return ""
    return html.split('id="reviews-due-section"', 1)[1].split("</section>", 1)[0]


def panel_links(html):
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', html)]


def test_an_editor_sees_their_councils_entries_to_review_with_links_to_edit_them(client, entries, people):
    html = panel(client, people["bristol_editor"])
    for name in ("cameras", "payments", "chatbot"):
        entry = entries[name]
        assert f'href="/admin/pages/{entry.pk}/edit/"' in html and entry.reference in html
    assert "Leeds sensors" not in html and "Parking" not in html
    assert "1 overdue" in html and "2 due in the next 30 days" in html
    assert timezone.localdate().strftime("%B") in html  # the due dates, in words
    assert html.index("Cameras") < html.index("Payments") < html.index("Chatbot")


def test_an_owner_sees_only_their_teams_entries_on_the_panel(client, entries, people):
    html = panel(client, people["cameras_owner"])
    assert "Cameras" in html and "Payments" not in html and "Chatbot" not in html


def test_someone_whose_entries_are_all_up_to_date_is_told_so(client, entries, people):
    entries["sensors"].next_review_due = days(90)
    entries["sensors"].save()
    html = panel(client, people["leeds_editor"])
    assert "None of your entries is overdue" in html and "Leeds sensors" not in html


@pytest.mark.parametrize("who", ["nobody", "translator"])
def test_people_with_nothing_to_look_after_get_no_panel(client, entries, people, who):
    assert panel(client, people[who]) == ""


def test_every_link_on_the_panel_opens_for_the_person_who_sees_it(client, entries, people):
    for who, expected in [("bristol_editor", 6), ("cameras_owner", 3)]:
        links = panel_links(panel(client, people[who]))
        assert len(links) == expected, links
        for url in links:
            assert client.get(url).status_code == 200, url


def test_the_panel_lists_ten_and_links_to_the_rest(client, entries, people, councils):
    for n in range(12):
        DataUsePageFactory(parent=councils[0].register, title=f"Extra {n}", next_review_due=days(-20 - n))
    html = panel(client, people["bristol_editor"])
    assert html.count("/edit/") == 10
    assert "See 5 more in the Reviews due report" in html


def test_the_panel_takes_the_same_few_queries_however_many_entries_are_due(
    rf, entries, people, councils, django_assert_num_queries
):
    for n in range(15):
        DataUsePageFactory(parent=councils[0].register, next_review_due=days(n))
    request = rf.get(HOME)
    request.user = people["bristol_editor"]
    panels = []
    # The person's roles (their teams; the main language, and the registers they may edit), then the counts and
    # the first ten.
    with django_assert_num_queries(6):
        add_reviews_due_panel(request, panels)
        html = panels[0].render_html({"request": request})
    assert isinstance(panels[0], ReviewsDuePanel) and html.count("/edit/") == 10


def test_the_scope_of_each_role(entries, people):
    bristol, leeds = entries["cameras"].organisation, entries["sensors"].organisation
    assert scope_of(people["bristol_editor"]).councils == (bristol.pk,)
    assert scope_of(people["bristol_dpo"]).councils == (bristol.pk,)
    assert scope_of(people["leeds_editor"]).councils == (leeds.pk,)
    assert scope_of(people["cameras_owner"]).teams == (team("Cameras team").pk,)
    assert not scope_of(people["translator"]) and not scope_of(people["nobody"])
    assert scope_of(people["admin"]).everything
    assert reverse("review_dates:index") == REPORT
