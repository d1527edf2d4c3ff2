"""Issue 15, writing plainly: the glossary on an entry page. The first use of each term links to its explanation
under "Words we use on this page", which links back; only terms used are listed; everything is escaped; each
language uses its own terms; one query whatever the number of terms."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from datauses.glossary import EntryGlossary
from datauses.models import DataUsePage, GlossaryTerm
from datauses.templatetags.register_tags import paragraphs
from tests.datauses import test_admin
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


def term(term, explanation, locale, other_forms=""):
    return GlossaryTerm.objects.create(term=term, explanation=explanation, locale=locale, other_forms=other_forms)


def glossary_section(html):
    found = re.search(r'<section class="app-glossary" id="glossary".*?</section>', html, re.S)
    return found.group(0) if found else ""


def links_to(html, anchor):
    return re.findall(rf'<a href="#{anchor}"[^>]*>(.*?)</a>', html)


@pytest.fixture
def personal_data(locale):
    return term(
        "personal data",
        "Information about you, such as your name or address.",
        locale,
        other_forms="personal information",
    )


def test_the_first_use_of_a_term_links_to_its_explanation_and_the_next_does_not(
    client, bristol_register, personal_data
):
    entry = DataUsePageFactory(
        parent=bristol_register,
        purpose="We use Personal Data to book repairs.\n\nYour personal data is kept for a year.",
        retention="We delete the personal data after a year.",
    )
    html = client.get(entry.url).content.decode()
    assert links_to(html, "glossary-personal-data") == ["Personal Data"]  # as written, once
    assert "Your personal data is kept" in html and "delete the personal data after" in html
    # The link names the explanation for screen readers, which is listed at the end and links back.
    assert 'aria-describedby="glossary-personal-data-explanation"' in html
    section = glossary_section(html)
    assert '<h2 class="govuk-heading-l" id="glossary-heading">Words we use on this page</h2>' in section
    assert '<dt class="govuk-summary-list__key" id="glossary-personal-data">personal data</dt>' in section
    assert 'id="glossary-personal-data-explanation">Information about you, such as your name or address.</p>' in section
    assert '<a class="govuk-link" href="#glossary-personal-data-use">Back to where it is first used' in section
    assert 'id="glossary-personal-data-use"' in html


def test_another_form_of_the_term_counts_as_its_use(client, bristol_register, personal_data):
    entry = DataUsePageFactory(parent=bristol_register, purpose="We keep personal information safe.")
    html = client.get(entry.url).content.decode()
    assert links_to(html, "glossary-personal-data") == ["personal information"]
    assert "Information about you" in glossary_section(html)


def test_only_terms_used_are_listed_and_a_page_using_none_has_no_list(client, bristol_register, locale, personal_data):
    term("profiling", "Sorting people into groups to predict what they will do.", locale)
    used = DataUsePageFactory(parent=bristol_register, purpose="We use personal data.")
    html = client.get(used.url).content.decode()
    assert "personal data" in glossary_section(html)
    assert "profiling" not in glossary_section(html).lower()
    unused = DataUsePageFactory(parent=bristol_register, purpose="We book repairs.")
    html = client.get(unused.url).content.decode()
    assert 'id="glossary"' not in html and "Words we use on this page" not in html


def test_the_longest_form_wins_and_a_term_is_not_found_inside_another_word(client, bristol_register, locale):
    term("data", "Facts and figures.", locale)
    term("personal data", "Information about you.", locale)
    entry = DataUsePageFactory(
        parent=bristol_register,
        purpose="Our metadata, database and data-driven tools use personal data.",
        benefits="Data helps us plan.",
    )
    html = client.get(entry.url).content.decode()
    assert "Our metadata, database and data-driven tools use" in html  # no link inside those words
    assert links_to(html, "glossary-personal-data") == ["personal data"]
    # "data" inside "personal data" is not its use: its first use is in the benefits.
    assert links_to(html, "glossary-data") == ["Data"]
    assert html.index('href="#glossary-personal-data"') < html.index('href="#glossary-data"')


def test_terms_and_text_are_escaped(client, bristol_register, locale):
    term('<b>risk</b> & "score"', "A number <script>alert(1)</script> that guesses a risk.", locale)
    entry = DataUsePageFactory(
        parent=bristol_register,
        purpose='We work out a <b>risk</b> & "score" for each claim.\nA <i>second</i> line.',
    )
    html = client.get(entry.url).content.decode()
    assert "<b>risk</b>" not in html and "<script>alert(1)" not in html and "<i>second" not in html
    assert links_to(html, "glossary-briskb-score") == ["&lt;b&gt;risk&lt;/b&gt; &amp; &quot;score&quot;"]
    assert "We work out a <a " in html
    assert "for each claim.<br>A &lt;i&gt;second&lt;/i&gt; line." in html
    section = glossary_section(html)
    assert "&lt;b&gt;risk&lt;/b&gt; &amp; &quot;score&quot;</dt>" in section
    assert "A number &lt;script&gt;alert(1)&lt;/script&gt; that guesses a risk." in section


def test_without_terms_the_text_is_exactly_what_the_paragraphs_filter_gives():
    text = "First <line>\nsecond & line.\r\n\r\nSecond paragraph.\n\n\n"
    assert EntryGlossary([]).paragraphs(text) == paragraphs(text)
    assert EntryGlossary([]).paragraphs(text, "en-GB") == paragraphs(text, "en-GB")


def test_welsh_pages_use_welsh_terms(client, home_page, bristol_register, locale, personal_data):
    welsh = Locale.objects.create(language_code="cy")
    term("data personol", "Gwybodaeth amdanoch chi, fel eich enw neu eich cyfeiriad.", welsh)
    entry = DataUsePageFactory(parent=bristol_register, purpose="We use personal data. Mae data personol yn bwysig.")
    home_page.copy_for_translation(welsh).save_revision().publish()
    bristol_register.copy_for_translation(welsh).save_revision().publish()
    welsh_entry = entry.copy_for_translation(welsh)
    welsh_entry.purpose = "Rydym yn defnyddio data personol. Mae personal data yn Saesneg."
    welsh_entry.save_revision().publish()

    english = client.get(entry.url).content.decode()
    assert links_to(english, "glossary-personal-data") == ["personal data"]
    assert "glossary-data-personol" not in english

    welsh_html = client.get("/cy/bristol/" + welsh_entry.slug + "/").content.decode()
    assert links_to(welsh_html, "glossary-data-personol") == ["data personol"]
    assert "glossary-personal-data" not in welsh_html
    section = glossary_section(welsh_html)
    assert "Gwybodaeth amdanoch chi" in section
    assert "Information about you" not in section


def test_an_untranslated_welsh_copy_uses_the_english_terms_marked_as_english(
    client, home_page, bristol_register, personal_data
):
    welsh = Locale.objects.create(language_code="cy")
    term("data personol", "Gwybodaeth amdanoch chi.", welsh)
    entry = DataUsePageFactory(parent=bristol_register, purpose="We use personal data.")
    entry.save_revision().publish()
    home_page.copy_for_translation(welsh).save_revision().publish()
    bristol_register.copy_for_translation(welsh).save_revision().publish()
    alias = entry.copy_for_translation(welsh, alias=True)
    html = client.get("/cy/bristol/" + alias.slug + "/").content.decode()
    assert links_to(html, "glossary-personal-data") == ["personal data"]
    assert '<section class="app-glossary" id="glossary" aria-labelledby="glossary-heading" lang="en-GB">' in html


def test_the_terms_take_one_query_however_many_there_are(client, bristol_register, locale, personal_data):
    entry = DataUsePageFactory(parent=bristol_register, purpose="We use personal data.")
    client.get(entry.url)
    with CaptureQueriesContext(connection) as one_term:
        client.get(entry.url)
    words = [f"word{n}" for n in range(20)]
    for word in words:
        term(word, f"What {word} means.", locale)
    DataUsePage.objects.filter(pk=entry.pk).update(purpose="We use personal data. " + " ".join(words))
    with CaptureQueriesContext(connection) as many_terms:
        html = client.get(entry.url).content.decode()
    assert glossary_section(html).count('<div class="govuk-summary-list__row">') == 21
    assert len(many_terms.captured_queries) == len(one_term.captured_queries)
    assert sum("datauses_glossaryterm" in query["sql"] for query in many_terms.captured_queries) == 1


class GlossaryPreviewTests(test_admin.EntryFormTestCase):
    def test_a_new_entry_previews_with_its_glossary_before_its_first_save(self):
        GlossaryTerm.objects.create(
            term="personal data", explanation="Information about you.", locale=self.bristol.locale
        )
        url = reverse("wagtailadmin_pages:preview_on_add", args=("datauses", "datausepage", self.register.pk))
        data = self.entry_data(purpose="It books repairs with your personal data.")
        assert self.client.post(url, data).json()["is_valid"]
        html = self.client.get(url).content.decode()
        assert links_to(html, "glossary-personal-data") == ["personal data"]
        assert "Information about you." in glossary_section(html)
        assert not DataUsePage.objects.exists()
