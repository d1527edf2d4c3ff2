"""Reading the register as a resident does: tags that fit on a line, an entry that prints as the entry, and
the feedback form's character count in the page's language."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_languages import welsh_site  # noqa: F401 (a fixture)
from tests.browser.test_public_pages import site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_tag_on_a_register_card_fits_on_one_line(page, live_server, site):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + site["bristol"].url)
    tags = page.locator(".app-card__tags .govuk-tag")
    assert tags.count() >= 2
    for index in range(tags.count()):
        tag = tags.nth(index)
        line_height = tag.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)")
        box = tag.bounding_box()
        # One line of text plus the tag's own padding: well under two lines.
        assert box["height"] < line_height * 1.9, tag.inner_text()


def test_a_printed_entry_shows_the_entry_without_navigation_or_forms(page, live_server, site):  # noqa: F811
    page.goto(live_server.url + site["chatbot"].url)
    expect(page.locator("#feedback")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#entry-facts")).to_be_visible()
    for hidden in (
        "#feedback",
        ".govuk-service-navigation",
        ".govuk-footer",
        ".app-header__search",
        ".govuk-phase-banner",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    # The entry uses the whole width of the paper.
    width = page.evaluate("document.querySelector('main .govuk-grid-column-two-thirds').getBoundingClientRect().width")
    main = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert width > main * 0.9


def test_the_character_count_counts_in_welsh_on_a_welsh_page(page, live_server, welsh_site):  # noqa: F811
    page.goto(live_server.url + welsh_site["entry"].url)
    comment = page.locator("#feedback textarea").first
    comment.fill("Helo")
    message = page.locator("#feedback .govuk-character-count__status").first
    message.wait_for()
    assert "1196" in message.inner_text()
    assert "You have" not in message.inner_text()
    assert "ar ôl" in message.inner_text()  # "remaining", in the catalogue's Welsh
