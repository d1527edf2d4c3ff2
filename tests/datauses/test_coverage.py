"""The coverage report (Reports, then Coverage): each council's data protection officers and editors see how
complete its live entries are, overdue reviews and broken links; nobody sees another council's."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from datauses.councils import add_council
from datauses.models import DataUsePage, LinkCheck
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    add_assessment,
    add_category,
    add_risk,
)

pytestmark = pytest.mark.django_db

COVERAGE = "/admin/coverage/"
CHECKED = timezone.make_aware(datetime.datetime(2026, 3, 2, 4, 0))


@pytest.fixture
def world(home_page, django_user_model):
    bristol = add_council(
        "bristol", "Bristol City Council", short_name="Bristol", reference_prefix="BRS", teams=["Cameras team"]
    )
    leeds = add_council("leeds", "Leeds City Council", short_name="Leeds", reference_prefix="LDS")
    cameras_team = bristol.organisation.teams.get(name="Cameras team")

    cameras = DataUsePageFactory(
        parent=bristol.register,
        title="Traffic cameras",
        owner_team=cameras_team,
        start_date=datetime.date(2024, 4, 1),
        not_used_for="We do not sell the data.",
        alternatives_considered="Wardens on foot.",
        lawful_basis_detail="The Traffic Management Act 2004.",
        challenge_url="https://example.org/challenge",
    )
    add_category(cameras, DataCategoryFactory(locale=cameras.locale))
    add_risk(cameras)
    add_assessment(cameras)
    chatbot = DataUsePageFactory(
        parent=bristol.register, title="Repairs chatbot", next_review_due=datetime.date(2020, 1, 1)
    )
    LinkCheck.objects.create(
        entry=chatbot,
        url="https://example.org/gone",
        checked_at=CHECKED,
        status_code=404,
        error="The page is not there (error 404).",
        is_broken=True,
    )
    LinkCheck.objects.create(entry=cameras, url="https://example.org/challenge", checked_at=CHECKED, status_code=200)
    DataUsePageFactory(parent=bristol.register, title="Draft plan", live=False)
    sensors = DataUsePageFactory(parent=leeds.register, title="Leeds air sensors")

    def person(username, *groups):
        user = django_user_model.objects.create_user(username, password="x")
        user.groups.add(*groups)
        return user

    people = {
        "bristol-dpo": person("bristol-dpo", bristol.groups["dpo"]),
        "bristol-editor": person("bristol-editor", bristol.groups["editor"]),
        "leeds-editor": person("leeds-editor", leeds.groups["editor"]),
        "bristol-translator": person("bristol-translator", bristol.groups["translator"]),
        "bristol-owner": person("bristol-owner", cameras_team.group),
        "admin": django_user_model.objects.create_superuser("boss", password="x"),
    }
    return {
        "councils": {"bristol": bristol, "leeds": leeds},
        "entries": {"cameras": cameras, "chatbot": chatbot, "sensors": sensors},
        "people": people,
        "team": cameras_team,
    }


def report(client, user, query=""):
    client.force_login(user)
    response = client.get(COVERAGE + query)
    assert response.status_code == 200
    return response


def section(html, slug):
    return html.split(f'id="council-{slug}"', 1)[1].split("</section>", 1)[0]


def summary_row(html, name):
    table = html.split('id="coverage-summary"', 1)[1].split("</table>", 1)[0]
    row = table.split(name, 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>", 1)[0].strip() for cell in row.split("<td>")[1:]]


@pytest.mark.parametrize("role", ["bristol-dpo", "bristol-editor"])
def test_bristol_staff_see_their_councils_live_entries_with_scores_and_what_is_missing(client, world, role):
    html = report(client, world["people"][role]).content.decode()
    bristol = section(html, "bristol")
    cameras, chatbot = world["entries"]["cameras"], world["entries"]["chatbot"]
    edit = reverse("wagtailadmin_pages:edit", args=[chatbot.pk])
    assert f'<a href="{edit}">Repairs chatbot</a>' in bristol
    assert cameras.reference in bristol and "Cameras team" in bristol and "100%" in bristol
    assert chatbot.reference in bristol and "10%" in bristol and "None chosen" in bristol
    assert "<li>What the data is not used for</li>" in bristol
    assert "Draft plan" not in html  # only live entries
    # the least complete first
    assert bristol.index("Repairs chatbot") < bristol.index("Traffic cameras")


def test_the_summary_counts_entries_average_missing_overdue_and_broken_links(client, world):
    html = report(client, world["people"]["bristol-dpo"]).content.decode()
    # Live entries, average completeness, entries missing parts, overdue reviews, broken links.
    assert summary_row(html, "Bristol City Council") == [
        "2",
        "55%",
        "1",
        "1",
        "1",
    ]


def test_overdue_reviews_and_broken_links_are_shown_with_the_last_check(client, world):
    bristol = section(report(client, world["people"]["bristol-editor"]).content.decode(), "bristol")
    assert "1 January 2020 <span" in bristol and "Overdue" in bristol
    assert "1 March 2099" in bristol
    assert "https://example.org/gone</a></td>" in bristol and "The page is not there (error 404)." in bristol
    assert "Links last checked on 2 March 2026, 04:00." in bristol


def test_a_leeds_editor_sees_leeds_only_and_none_of_bristols_rows(client, world):
    response = report(client, world["people"]["leeds-editor"])
    html = response.content.decode()
    assert "Leeds air sensors" in html and 'id="council-leeds"' in html
    for text in ("Bristol", "Traffic cameras", "Repairs chatbot", "BRS-", "https://example.org/gone"):
        assert text not in html
    # The rows it was given, against the database: every Bristol entry exists, and none was handed over.
    bristol_entries = set(DataUsePage.objects.filter(organisation__slug="bristol").values_list("pk", flat=True))
    assert len(bristol_entries) == 3
    shown = {row.entry.pk for council in response.context["report"] for row in council.rows}
    assert shown == {world["entries"]["sensors"].pk}
    assert not shown & bristol_entries
    assert [council.council.slug for council in response.context["report"]] == ["leeds"]


def test_a_leeds_editor_cannot_ask_for_bristol_by_name(client, world):
    client.force_login(world["people"]["leeds-editor"])
    assert client.get(COVERAGE + "?council=bristol").status_code == 404
    assert client.get(COVERAGE + "?council=%3Cscript%3E").status_code == 404


def test_one_council_can_be_chosen(client, world):
    html = report(client, world["people"]["admin"], "?council=leeds").content.decode()
    assert "Leeds air sensors" in html and "Traffic cameras" not in html


def test_a_superuser_sees_every_council(client, world):
    html = report(client, world["people"]["admin"]).content.decode()
    assert "Traffic cameras" in html and "Leeds air sensors" in html


@pytest.mark.parametrize("role", ["bristol-translator", "bristol-owner"])
def test_people_who_do_not_edit_a_register_get_no_report_and_no_menu_item(client, world, role):
    client.force_login(world["people"][role])
    response = client.get(COVERAGE, follow=True)  # Wagtail turns a refusal into its message on the dashboard
    assert response.redirect_chain == [("/admin/", 302)]
    html = response.content.decode()
    assert "Sorry, you do not have permission to access this area." in html
    assert COVERAGE not in html and "Traffic cameras" not in html


def test_the_report_is_in_the_reports_menu_for_editors(client, world):
    client.force_login(world["people"]["bristol-editor"])
    html = client.get("/admin/").content.decode()
    assert COVERAGE in html and "Coverage" in html


def test_signed_out_people_are_sent_to_sign_in(client, world):
    response = client.get(COVERAGE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_council_without_live_entries_says_so(client, world):
    DataUsePage.objects.filter(organisation__slug="leeds").update(live=False)
    html = report(client, world["people"]["leeds-editor"]).content.decode()
    assert "No live entries yet." in html and "Its entries' links have not been checked yet." in html


def test_the_number_of_queries_does_not_grow_with_the_entries(client, world, django_assert_num_queries):
    client.force_login(world["people"]["bristol-dpo"])
    client.get(COVERAGE)  # Wagtail caches a few things on the first admin page
    with CaptureQueriesContext(connection) as with_two:
        assert len(client.get(COVERAGE).context["report"][0].rows) == 2
    bristol = world["councils"]["bristol"]
    for n in range(3):
        entry = DataUsePageFactory(parent=bristol.register, title=f"More {n}", owner_team=world["team"])
        add_risk(entry)
        add_assessment(entry)
        add_category(entry, DataCategoryFactory(locale=entry.locale))
        LinkCheck.objects.create(entry=entry, url=f"https://example.org/{n}", checked_at=CHECKED, is_broken=True)
    with django_assert_num_queries(len(with_two)):
        response = client.get(COVERAGE)
    assert len(response.context["report"][0].rows) == 5
    assert len(response.context["report"][0].broken_links) == 4


def test_groups_come_from_add_council(world):
    # The roles used above are the real ones, not groups made up for the test.
    assert Group.objects.filter(name="Bristol data protection officers").exists()
