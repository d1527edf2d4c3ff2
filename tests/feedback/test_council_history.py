"""The council history report: a council's data protection officers see who did what, and when, on their council's
register, entries and feedback (from Wagtail's audit log, made by real admin actions); nobody else sees it, and
another council's officers see none of its rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import Locale

from datauses.councils import add_council
from datauses.models import ServiceOwnerTeam
from feedback.models import OwnerAnswer, PageProblemReport, PrivateReply, ReplyContact, ReviewRule
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory, translate
from tests.feedback.test_answers import ANSWERS, answer_data

pytestmark = pytest.mark.django_db

HISTORY = "/admin/reports/council-history/"
INBOX = "/admin/feedback/inbox/"


@pytest.fixture
def councils(home_page):
    bristol = add_council(
        "bristol",
        "Bristol City Council",
        short_name="Bristol",
        reference_prefix="BRS",
        languages=["cy"],
        teams=["Cameras team"],
    )
    leeds = add_council("leeds", "Leeds City Council", short_name="Leeds", reference_prefix="LDS")
    return bristol, leeds


@pytest.fixture
def people(councils, django_user_model):
    bristol, leeds = councils

    def person(username, group, first_name, last_name):
        user = django_user_model.objects.create_user(
            username, password="x", first_name=first_name, last_name=last_name, email=f"{username}@example.org"
        )
        user.groups.add(group)
        return user

    return {
        "editor": person("bristol-editor", bristol.groups["editor"], "Erin", "Editor"),
        "dpo": person("bristol-dpo", bristol.groups["dpo"], "Dana", "Protector"),
        "owner": person("cameras-owner", bristol.team_groups[0], "Owen", "Owner"),
        "translator": person("bristol-translator", bristol.groups["translator"], "Tomos", "Translator"),
        "leeds_dpo": person("leeds-dpo", leeds.groups["dpo"], "Lee", "Leeds"),
        "leeds_editor": person("leeds-editor", leeds.groups["editor"], "Lena", "Leeds"),
    }


@pytest.fixture
def entries(councils):
    bristol, leeds = councils
    team = ServiceOwnerTeam.objects.get(organisation=bristol.organisation, name="Cameras team")
    return {
        "cameras": DataUsePageFactory(parent=bristol.register, title="Cameras", owner_team=team),
        "sensors": DataUsePageFactory(parent=leeds.register, title="Leeds sensors"),
    }


def history(client, person, **query):
    client.force_login(person)
    return client.get(HISTORY, query)


def rows(response):
    """The report's rows as (who, action, kind, what) from the table it renders."""
    table = response.context["table"]
    return [(row.user_name, row.action_label, row.kind_label, row.what) for row in table.data]


def edit_page(page, user, title):
    """What saving the entry in the admin does: a new draft revision, logged as an edit by its author."""
    page.title = title
    return page.save_revision(user=user, log_action=True)


@pytest.fixture
def bristol_actions(client, people, entries):
    """Real actions on Bristol's entry: the editor edits it and moderates its feedback, the owner publishes an answer
    and replies privately, and someone in Leeds does the same on Leeds' entry."""
    cameras, sensors = entries["cameras"], entries["sensors"]
    edit_page(cameras, people["editor"], "Cameras in the city centre")
    feedback = FeedbackSubmissionFactory(entry=cameras, comfort="fairly_uncomfortable", comment="Too many cameras")
    ReplyContact.objects.create(submission=feedback, email="resident@example.com")
    client.force_login(people["editor"])
    response = client.post(
        f"{INBOX}edit/{feedback.pk}/",
        {"state": "not_actionable", "state_reason": "About a different service", "approved_for_publication": ""},
    )
    assert response.status_code == 302
    client.force_login(people["owner"])
    response = client.post(f"{ANSWERS}add/", {**answer_data(cameras), "action-publish": "action-publish"})
    assert response.status_code == 302 and OwnerAnswer.objects.get().live
    response = client.post(reverse("feedback_inbox:reply", args=[feedback.pk]), {"body": "Thank you for writing."})
    assert response.status_code == 302 and PrivateReply.objects.exists()
    # Leeds' own history, which Bristol's officers must not see.
    edit_page(sensors, people["leeds_editor"], "Sensors in Leeds")
    leeds_feedback = FeedbackSubmissionFactory(entry=sensors, comment="About Leeds")
    client.force_login(people["leeds_editor"])
    client.post(
        f"{INBOX}edit/{leeds_feedback.pk}/", {"state": "reviewed", "state_reason": "", "approved_for_publication": ""}
    )
    client.logout()
    return {"feedback": feedback}


def test_a_dpo_sees_who_did_what_on_their_councils_pages_and_feedback(client, people, bristol_actions):
    response = history(client, people["dpo"])
    assert response.status_code == 200
    found = rows(response)
    whats = " ".join(what for _who, _action, _kind, what in found)
    # The entry by its title now (the edit is a draft) and its reference.
    assert ("Erin Editor", "Edit", "Register entry", "Cameras (BRS-0001)") in found
    assert any(row[:3] == ("Erin Editor", "Edit", "Feedback") and "'Cameras' (BRS-0001)" in row[3] for row in found)
    assert any(row[:3] == ("Owen Owner", "Publish", "Public answer") for row in found)
    assert any(row[:3] == ("Owen Owner", "Create", "Public answer") for row in found)
    assert any(row[:3] == ("Owen Owner", "Create", "Private reply") for row in found)
    # Newest first: the owner's reply came last.
    assert found[0][:3] == ("Owen Owner", "Create", "Private reply")
    # Nothing of Leeds, and never what a resident or an owner wrote privately.
    assert "Leeds" not in whats and "Lena" not in response.content.decode()
    assert "Too many cameras" not in response.content.decode()
    assert "Thank you for writing." not in response.content.decode()


def test_the_history_covers_the_councils_pages_in_every_language(client, people, entries):
    welsh = translate(entries["cameras"], Locale.objects.get(language_code="cy"), title="Camerâu")
    edit_page(welsh, people["translator"], "Camerâu yn y ddinas")
    found = rows(history(client, people["dpo"], user=people["translator"].pk))
    assert found == [("Tomos Translator", "Edit", "Register entry", "Camerâu (BRS-0001), Cymraeg")]
    assert reverse("wagtailadmin_pages:edit", args=[welsh.pk]) in history(client, people["dpo"]).content.decode()
    leeds = rows(history(client, people["leeds_dpo"]))
    assert leeds and not [row for row in leeds if row[0] == "Tomos Translator" or "Camerâu" in row[3]]


def test_the_dpo_may_open_the_feedback_and_the_entry_from_the_report(client, people, entries, bristol_actions):
    response = history(client, people["dpo"])
    html = response.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[entries["cameras"].pk]) in html
    assert reverse("feedback_inbox:edit", args=[bristol_actions["feedback"].pk]) in html
    # Data protection officers read answers but do not write them, so no link to edit one.
    answer = OwnerAnswer.objects.get()
    assert reverse("wagtailsnippets_feedback_owneranswer:edit", args=[answer.pk]) not in html


def test_a_leeds_dpo_sees_none_of_bristols_rows(client, people, bristol_actions):
    response = history(client, people["leeds_dpo"])
    assert response.status_code == 200
    found = rows(response)
    assert ("Lena Leeds", "Edit", "Register entry", "Leeds sensors (LDS-0001)") in found
    assert all("Leeds" in what for _who, _action, _kind, what in found)
    html = response.content.decode()
    assert "Cameras" not in html and "Erin Editor" not in html and "Owen Owner" not in html


def test_a_superuser_sees_every_council_and_can_narrow_to_one(client, people, bristol_actions, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="x")
    response = history(client, boss)
    people_seen = {who for who, *_rest in rows(response)}
    assert {"Erin Editor", "Owen Owner", "Lena Leeds"} <= people_seen
    assert "Bristol City Council" in response.content.decode()  # the council column, with more than one council
    leeds = response.context["filters"].councils
    leeds_id = next(pk for pk, council in leeds.items() if council.slug == "leeds")
    narrowed = rows(history(client, boss, council=leeds_id))
    assert {who for who, *_rest in narrowed} == {"Lena Leeds", "System"}  # System: setting up the register
    assert all("Leeds" in what for _who, _action, _kind, what in narrowed)


@pytest.mark.parametrize("role", ["editor", "owner", "translator", "leeds_editor"])
def test_people_who_are_not_a_councils_dpo_get_403_and_no_menu_item(client, people, role):
    response = history(client, people[role])
    assert response.status_code == 403
    assert "for its data protection officers" in response.content.decode()
    assert client.get(f"{HISTORY}results/").status_code == 403
    assert client.get(HISTORY, {"export": "csv"}).status_code == 403
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert HISTORY not in home


def test_the_dpo_has_the_menu_item(client, people):
    client.force_login(people["dpo"])
    assert HISTORY in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(HISTORY)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_filters_by_person_action_kind_and_date(client, people, bristol_actions):
    dpo = people["dpo"]
    only_owner = rows(history(client, dpo, user=people["owner"].pk))
    assert only_owner and {who for who, *_rest in only_owner} == {"Owen Owner"}
    publishes = rows(history(client, dpo, action="wagtail.publish"))
    assert [(who, action, kind) for who, action, kind, _what in publishes] == [
        ("Owen Owner", "Publish", "Public answer")
    ]
    pages = rows(history(client, dpo, kind="page"))
    assert pages and {kind for _who, _action, kind, _what in pages} == {"Register", "Register entry"}
    feedback = rows(history(client, dpo, kind=["feedback", "reply"]))
    assert {kind for _who, _action, kind, _what in feedback} == {"Feedback", "Private reply"}
    assert rows(history(client, dpo, timestamp_to="2000-01-01")) == []
    assert len(rows(history(client, dpo, timestamp_from="2000-01-01"))) == len(rows(history(client, dpo)))


def test_filter_choices_are_only_the_councils_own(client, people, bristol_actions):
    filters = history(client, people["dpo"]).context["filters"]
    names = {str(label) for _value, label in filters.form.fields["user"].choices}
    assert {"Erin Editor", "Owen Owner"} <= names and "Lena Leeds" not in names


@pytest.mark.parametrize(
    "query",
    [
        {"timestamp_from": "not a date"},
        {"user": "nobody"},
        {"action": "wagtail.nonsense"},
        {"kind": "everything"},
        {"p": "999"},
        {"p": "x"},
        {"council": "12345"},
    ],
)
def test_bad_filters_are_answered_politely(client, people, bristol_actions, query):
    response = history(client, people["dpo"], **query)
    assert response.status_code == 200
    assert "Lena Leeds" not in response.content.decode()


def test_export_csv_and_xlsx_hold_the_same_rows_in_words(client, people, bristol_actions):
    client.force_login(people["dpo"])
    shown = rows(client.get(HISTORY))
    response = client.get(HISTORY, {"export": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == ["When", "Who", "Action", "Kind", "What", "Council"]
    assert [tuple(line[1:5]) for line in table[1:]] == shown
    assert all(line[5] == "Bristol City Council" for line in table[1:])
    xlsx = client.get(HISTORY, {"export": "xlsx", "kind": "page"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [cell.value for cell in next(sheet.iter_rows())] == ["When", "Who", "Action", "Kind", "What", "Council"]
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"Erin Editor", "System"}


def test_export_cells_never_start_a_formula(client, people, entries):
    revision = edit_page(entries["cameras"], people["editor"], '=HYPERLINK("http://example.com")')
    revision.publish(user=people["dpo"])  # signed off, so the entry is called that now
    client.force_login(people["dpo"])
    response = client.get(HISTORY, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in content


def test_review_rules_and_page_problems_are_in_the_history(client, people, entries):
    cameras = entries["cameras"]
    client.force_login(people["owner"])
    response = client.post(
        reverse("review_rules:edit", args=[cameras.owner_team.pk]),
        {"uncomfortable_count": 5, "window_days": 10, "net_score_drop": 0},
    )
    assert response.status_code == 302 and ReviewRule.objects.filter(team=cameras.owner_team).exists()
    problem = PageProblemReport.objects.create(
        entry=cameras, organisation=cameras.organisation, kind="wrong", details="A typo", dedupe_key="p1"
    )
    client.force_login(people["editor"])
    assert client.post(reverse("page_problems:edit", args=[problem.pk]), {"state": "reviewed"}).status_code == 302
    found = rows(history(client, people["dpo"], kind=["rule", "problem"]))
    assert found == [
        ("Erin Editor", "Edit", "Page problem", str(problem)),
        ("Owen Owner", "Create", "Review rule", "Cameras team"),
    ]
    # The officer may open the report, but setting a team's rule is for its owners and the council's editors.
    html = client.get(HISTORY).content.decode()
    assert reverse("page_problems:edit", args=[problem.pk]) in html
    assert reverse("review_rules:edit", args=[cameras.owner_team.pk]) not in html


def test_query_count_does_not_grow_with_the_number_of_rows(client, people, entries, django_assert_num_queries):
    cameras = entries["cameras"]
    dpo = people["dpo"]
    client.force_login(dpo)

    def add_rows(n):
        for i in range(n):
            if i % 3 == 0:
                edit_page(cameras, people["editor"], f"Cameras {i}")
            elif i % 3 == 1:
                submission = FeedbackSubmissionFactory(entry=cameras)
                log(instance=submission, action="wagtail.edit", user=people["editor"])
            else:
                answer = OwnerAnswer.objects.create(entry=cameras, you_said=f"Said {i}", we_did="Did")
                log(instance=answer, action="wagtail.create", user=people["owner"])

    before = len(rows(client.get(HISTORY)))  # also fills Django's caches (content types, the site)
    add_rows(3)
    with CaptureQueriesContext(connection) as three:
        response = client.get(HISTORY)
    assert len(rows(response)) == before + 3
    add_rows(7)
    with django_assert_num_queries(len(three)):
        response = client.get(HISTORY)
    assert len(rows(response)) == before + 10
