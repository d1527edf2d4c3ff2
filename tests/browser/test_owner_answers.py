"""A service owner answers a resident in public, from the feedback inbox, in Chromium; residents then read the
answer, dated and linked to the comment it answers, on the entry and on the "You said, we did" pages."""

import pytest
from django.contrib.auth.models import Group, Permission

from feedback.models import OwnerAnswer
from tests.browser.conftest import axe_violations
from tests.factories import DataUsePageFactory, ServiceOwnerTeamFactory
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long enough password"


@pytest.fixture
def owner_world(bristol_register, leeds_register, bristol, locale, django_user_model):
    group = Group.objects.create(name="Bristol: Cameras team")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    team = ServiceOwnerTeamFactory(organisation=bristol, name="Cameras team", group=group, locale=locale)
    cameras = DataUsePageFactory(parent=bristol_register, title="Clean Air Zone cameras", owner_team=team)
    give_feedback(cameras, n=10)
    comment = give_feedback(cameras, comment="Why are the photos kept for a month?", comfort="fairly_uncomfortable")
    comment.publish_consent = comment.approved_for_publication = True
    comment.save()
    owner = django_user_model.objects.create_user("bristol-owner", password=PASSWORD)
    owner.groups.add(group)
    return {"entry": cameras, "comment": comment}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_owner_publishes_an_answer_from_the_inbox_and_residents_read_it(page, live_server, owner_world):
    entry, comment = owner_world["entry"], owner_world["comment"]
    log_in(page, live_server, "bristol-owner")

    page.goto(live_server.url + "/admin/feedback/inbox/")
    page.get_by_role("row").filter(has_text="Why are the photos kept for a month?").get_by_role("link").first.click()
    page.get_by_role("link", name="Answer in public").click()
    # The form arrives with the entry and the comment already chosen.
    assert page.get_by_label("Entry").locator("option:checked").inner_text().startswith("Clean Air Zone cameras")
    page.locator("#id_you_said").fill("You asked why we keep the photos for a month.")
    page.locator("#id_we_did").fill("We now delete photos of cars that did nothing wrong after a day.")
    page.locator("#id_outcome").select_option("changed")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("published").first.wait_for()

    answer = OwnerAnswer.objects.get()
    assert answer.live and answer.submission_id == comment.pk

    page.goto(live_server.url + entry.url)
    said = page.locator(f"#answer-{answer.pk}")
    assert "We now delete photos of cars that did nothing wrong after a day." in said.inner_text()
    assert "Answered" in said.inner_text()
    said.get_by_role("link", name="In answer to a comment of").click()
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert axe_violations(page) == []

    page.goto(live_server.url + "/you-said-we-did/")
    page.get_by_role("link", name="Bristol", exact=False).first.wait_for()
    assert "We now delete photos" in page.locator("#answers").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Clean Air Zone cameras").click()
    assert page.url.endswith(f"#answer-{answer.pk}")


@pytest.mark.parametrize("which", ["partnership", "council"])
def test_you_said_we_did_pages_pass_axe_and_work_without_javascript(
    page, page_without_js, live_server, owner_world, which
):
    entry = owner_world["entry"]
    answer = OwnerAnswer.objects.create(entry=entry, you_said="You asked.", we_did="We did it.", live=False)
    answer.save_revision().publish()
    url = live_server.url + (
        "/you-said-we-did/" if which == "partnership" else f"/you-said-we-did/{entry.organisation.slug}/"
    )

    page.goto(url)
    assert axe_violations(page) == []
    page.goto(live_server.url + "/cy" + url.removeprefix(live_server.url))
    assert axe_violations(page) == []

    page_without_js.goto(url)
    page_without_js.get_by_role("link", name=entry.title).click()
    assert page_without_js.url.endswith(f"#answer-{answer.pk}")
    assert "We did it." in page_without_js.locator(f"#answer-{answer.pk}").inner_text()
