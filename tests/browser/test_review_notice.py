"""An entry under review because of residents' feedback, in Chromium: the notice is found by its role and name, its
link leads to the feedback form, and the page has no axe violations, with JavaScript and without.

"Without JavaScript" blocks the site's scripts rather than switching JavaScript off, because axe itself runs as
JavaScript: the page is what a browser without JavaScript shows (no js-enabled class, no govuk-frontend)."""

import datetime

import pytest
from playwright.sync_api import expect

from feedback.models import Review
from tests.browser.conftest import axe_violations
from tests.factories import DataUsePageFactory, ServiceOwnerTeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entry_under_review(bristol_register, bristol, locale):
    team = ServiceOwnerTeamFactory(organisation=bristol, name="Parking team", locale=locale)
    entry = DataUsePageFactory(parent=bristol_register, title="Parking cameras", owner_team=team)
    Review.objects.create(
        entry=entry,
        reason=Review.Reason.UNCOMFORTABLE_RUN,
        detail="12 people said they were uncomfortable between 3 November and 2 December 2026.",
        opened_at=datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC),
    )
    return entry


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_review_notice_is_accessible(request, live_server, entry_under_review, javascript):
    page = request.getfixturevalue("page")
    if not javascript:
        page.route("**/*.js", lambda route: route.abort())
    response = page.goto(live_server.url + entry_under_review.url)
    assert response.status == 200
    assert page.evaluate("document.body.classList.contains('js-enabled')") == javascript

    notice = page.get_by_role("region", name="Important")
    expect(notice).to_be_visible()
    assert "Under review because of residents' feedback" in notice.inner_text()
    assert "Since 2 December 2026" in notice.inner_text()
    assert "12 people" not in page.content()  # the public notice is the same plain words for every review
    assert axe_violations(page) == []

    notice.get_by_role("link", name="Tell us what you think").click()
    page.wait_for_url("**#feedback")
    expect(page.get_by_role("heading", name="Tell us what you think about this use of data")).to_be_visible()
