"""Issue 15, writing plainly: reading age, long sentences and passive voice on known texts; the Plain English
panel in the entry editor; the reading-age confirmation when going live; each council's words to avoid, which
only its own staff may see and change; the glossary in the admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale

from datauses import writing
from datauses.councils import set_up_council
from datauses.models import DataUsePage, GlossaryTerm, WordToAvoid
from tests.datauses import test_admin
from tests.factories import DataUsePageFactory, fresh

pytestmark = pytest.mark.django_db

PLAIN = "We use your address to send you a letter about your bin collection."
LEGAL = (
    "The processing of personal data is undertaken pursuant to the statutory obligations imposed upon the "
    "authority by the relevant legislation, notwithstanding any contractual arrangements subsisting between the "
    "parties, and in accordance with the principles of proportionality and necessity articulated in the applicable "
    "regulatory framework."
)
LONG = (
    "When you ask us for help with a repair we look at the records we already hold about your home and your "
    "tenancy so that we can send the right person at a time that suits you."
)  # 37 words


# ---- the figures, on known texts ---------------------------------------------------------------------------


def test_a_plain_sentence_reads_at_12_or_under_and_a_dense_legal_paragraph_above():
    assert writing.reading_age(PLAIN, "en-gb") <= 12
    assert writing.reading_age(LEGAL, "en-gb") > 12
    assert writing.hard_to_read({"summary": PLAIN, "purpose": LEGAL}, "en-gb") == {
        "purpose": writing.reading_age(LEGAL, "en-gb")
    }
    assert writing.hard_to_read({"summary": "", "purpose": "   "}, "en-gb") == {}


def test_welsh_is_never_scored_with_the_english_formulas():
    welsh = "Mae prosesu data personol yn cael ei wneud yn unol â'r rhwymedigaethau statudol a osodir ar yr awdurdod."
    assert writing.reading_age(welsh, "cy") is None
    assert writing.hard_to_read({"purpose": LEGAL}, "cy") == {}
    reports = writing.check_writing({"purpose": f"{LONG} It is kept."}, "cy")
    assert reports[0].reading_age is None and reports[0].passive == []
    assert len(reports[0].long_sentences) == 1  # counting words works in any language


def test_sentences_over_25_words_are_quoted_with_their_length():
    twenty_five = " ".join(["word"] * 25) + "."
    text = f"Short one. {twenty_five} {LONG}\nA list item without a full stop\n\nAnother paragraph."
    assert writing.long_sentences(text) == [(37, LONG)]


def test_likely_passive_voice_is_a_form_of_to_be_and_a_past_participle():
    text = (
        "Your data is kept safe. Records were usually shared with the police. It has been written down. "
        "We keep it. We need it. The form is red. They are going home."
    )
    assert writing.passive_phrases(text) == ["is kept", "were usually shared", "been written"]
    assert writing.passive_phrases("We share your address with the NHS.") == []


def test_words_to_avoid_are_found_as_whole_words_in_any_case():
    words = [WordToAvoid(word="utilise", instead="use"), WordToAvoid(word="going forward", instead="from now on")]
    found = writing.words_used("We Utilise it.\nGoing\nforward we will not underutilise it.", words)
    assert [w.word for w in found] == ["utilise", "going forward"]
    assert writing.words_used("We underutilise it.", words) == []


# ---- the panel in the editor ----------------------------------------------------------------------------------


@pytest.fixture
def councils(home_page, bristol, leeds):
    return {
        "bristol": set_up_council(bristol, parent=home_page),
        "leeds": set_up_council(leeds, parent=home_page),
    }


def staff(django_user_model, council, role, name):
    user = django_user_model.objects.create_user(name, password="x")
    user.groups.add(council.groups[role])
    return user


@pytest.fixture
def bristol_editor(django_user_model, councils):
    return staff(django_user_model, councils["bristol"], "editor", "bristol-editor")


@pytest.fixture
def leeds_editor(django_user_model, councils):
    return staff(django_user_model, councils["leeds"], "editor", "leeds-editor")


def edit_page(client, entry):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_each_parts_figures_to_an_editor(client, councils, bristol, leeds, bristol_editor):
    WordToAvoid.objects.create(organisation=bristol, word="utilise", instead="use")
    WordToAvoid.objects.create(organisation=leeds, word="leverage", instead="use")
    entry = DataUsePageFactory(
        parent=councils["bristol"].register,
        summary=PLAIN,
        purpose=f"{LEGAL}\n\n{LONG}",
        benefits="We utilise your address and leverage it. Letters are sent sooner.",
    )
    client.force_login(bristol_editor)
    html = edit_page(client, entry)
    assert 'id="plain-english"' in html
    assert "Save a draft to update these figures" in html
    legal_age = writing.reading_age(f"{LEGAL}\n\n{LONG}", "en-gb")
    assert f"<strong>About {legal_age}</strong>" in html
    assert f"Reads at about age {legal_age}; aim for 12 or under." in html
    assert f"About {writing.reading_age(PLAIN, 'en-gb')}" in html
    assert '<a href="#writing-purpose">What the service does and why it uses data</a>' in html
    assert f"<q>{LONG}</q>" in html and "(37 words)" in html
    assert "<q>is undertaken</q>" in html and "<q>are sent</q>" in html
    assert 'Instead of "utilise", write "use".' in html
    assert 'leverage", write' not in html  # Leeds' list is not Bristol's
    assert "Reading age and passive voice are not scored" not in html


def test_the_panel_on_a_welsh_page_says_what_it_does_not_score(client, councils, bristol, bristol_editor):
    WordToAvoid.objects.create(organisation=bristol, word="utilise", instead="use")
    entry = DataUsePageFactory(parent=councils["bristol"].register)
    welsh_entry = entry.copy_for_translation(Locale.objects.get(language_code="cy"))
    welsh_entry.purpose = f"Rydym yn utilise eich cyfeiriad. {LONG}"
    welsh_entry.save_revision()
    client.force_login(bristol_editor)
    html = edit_page(client, welsh_entry)
    assert "Reading age and passive voice are not scored for" in html
    assert "because the formulas are made for English" in html
    assert "Reads at about age" not in html and "Likely passive voice" not in html
    assert f"<q>{LONG}</q>" in html
    assert 'Instead of "utilise", write "use".' in html


def test_a_new_entry_asks_for_a_draft_before_figures(client, councils, bristol_editor):
    client.force_login(bristol_editor)
    url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", councils["bristol"].register.pk))
    html = client.get(url).content.decode()
    assert "Write the entry and save a draft" in html


# ---- the reading-age confirmation when going live --------------------------------------------------------------


class ReadingAgeConfirmationTests(test_admin.EntryFormTestCase):
    """A comms officer with page permissions on Bristol's register publishes through the admin, as in
    test_going_live_rules.GoingLiveTests."""

    def setUp(self):
        super().setUp()
        editors = Group.objects.create(name="Bristol editors")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=editors, page=self.register, permission=Permission.objects.get(codename=codename)
            )
        self.client.logout()
        editor = self.create_user("bristol-editor", password="x")
        editor.groups.add(editors)
        self.client.force_login(editor)

    def test_a_hard_purpose_asks_the_editor_to_confirm_they_checked_it(self):
        response = self.post_new_entry(purpose=LEGAL)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "purpose" in errors, dict(errors)
        message = f"This reads at about age {writing.reading_age(LEGAL, 'en-gb')}; aim for 12 or under."
        assert message in " ".join(errors["purpose"])
        self.assertContains(response, "I have checked the reading age")
        assert not DataUsePage.objects.exists()

        response = self.post_new_entry(purpose=LEGAL, reading_age_confirmed="on")
        assert response.status_code == 302
        assert DataUsePage.objects.get().live

    def test_a_plain_purpose_goes_live_without_confirming(self):
        response = self.post_new_entry(purpose=PLAIN, summary=PLAIN)
        assert response.status_code == 302
        assert DataUsePage.objects.get().live

    def test_a_hard_draft_is_saved_without_asking(self):
        url = reverse("wagtailadmin_pages:add", args=("datauses", "datausepage", self.register.pk))
        assert self.client.post(url, self.entry_data(purpose=LEGAL)).status_code == 302
        assert not DataUsePage.objects.get().live


# ---- words to avoid: each council's own ---------------------------------------------------------------------------


WORDS = "wagtailsnippets_datauses_wordtoavoid"


@pytest.fixture
def words(councils, bristol, leeds):
    return {
        "bristol": WordToAvoid.objects.create(organisation=bristol, word="utilise", instead="use"),
        "leeds": WordToAvoid.objects.create(organisation=leeds, word="leverage", instead="use"),
    }


def test_an_editor_lists_only_their_councils_words(client, words, bristol_editor, leeds_editor, admin_user):
    client.force_login(bristol_editor)
    html = client.get(reverse(f"{WORDS}:list")).content.decode()
    assert "utilise" in html and "leverage" not in html
    client.force_login(leeds_editor)
    html = client.get(reverse(f"{WORDS}:list")).content.decode()
    assert "leverage" in html and "utilise" not in html
    client.force_login(admin_user)
    html = client.get(reverse(f"{WORDS}:list")).content.decode()
    assert "leverage" in html and "utilise" in html


def test_another_councils_word_is_not_found_in_any_view(client, words, bristol_editor):
    client.force_login(bristol_editor)
    leeds_word = words["leeds"]
    for view in ("edit", "delete", "history", "history_results", "usage"):
        assert client.get(reverse(f"{WORDS}:{view}", args=[leeds_word.pk])).status_code == 404, view
    chooser = WORDS.replace("wagtailsnippets_", "wagtailsnippetchoosers_")
    assert client.get(reverse(f"{chooser}:chosen", args=[leeds_word.pk])).status_code == 404
    assert "leverage" not in client.get(reverse(f"{chooser}:choose_results")).content.decode()

    edit = {"organisation": leeds_word.organisation_id, "word": "synergy", "instead": "working together"}
    assert client.post(reverse(f"{WORDS}:edit", args=[leeds_word.pk]), edit).status_code == 404
    assert client.post(reverse(f"{WORDS}:delete", args=[leeds_word.pk])).status_code == 404
    bulk = reverse("wagtail_bulk_action", args=["datauses", "wordtoavoid", "delete"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"{bulk}?id={leeds_word.pk}")
    assert fresh(leeds_word).word == "leverage"


def test_an_editor_changes_and_deletes_their_own_councils_words(client, words, bristol, bristol_editor):
    client.force_login(bristol_editor)
    own = words["bristol"]
    for view in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"{WORDS}:{view}", args=[own.pk])).status_code == 200, view
    data = {"organisation": bristol.pk, "word": "utilise", "instead": "use or make use of"}
    assert client.post(reverse(f"{WORDS}:edit", args=[own.pk]), data).status_code == 302
    assert fresh(own).instead == "use or make use of"
    assert client.post(reverse(f"{WORDS}:delete", args=[own.pk])).status_code == 302
    assert not WordToAvoid.objects.filter(pk=own.pk).exists()


def test_an_editor_adds_words_only_for_their_own_councils(client, words, bristol, leeds, bristol_editor):
    client.force_login(bristol_editor)
    response = client.get(reverse(f"{WORDS}:add"))
    choices = response.context["form"].fields["organisation"].queryset
    assert bristol in choices and leeds not in choices
    html = response.content.decode()
    assert "Bristol City Council" in html and "Leeds City Council" not in html

    data = {"organisation": leeds.pk, "word": "synergy", "instead": "working together"}
    response = client.post(reverse(f"{WORDS}:add"), data)
    assert response.status_code == 200
    assert "Choose one of your own councils." in response.content.decode()
    assert not WordToAvoid.objects.filter(word="synergy").exists()

    response = client.post(reverse(f"{WORDS}:add"), {**data, "organisation": bristol.pk})
    assert response.status_code == 302
    assert WordToAvoid.objects.get(word="synergy").organisation == bristol


def test_a_word_the_council_already_lists_is_refused_politely(client, words, bristol, bristol_editor):
    client.force_login(bristol_editor)
    response = client.post(reverse(f"{WORDS}:add"), {"organisation": bristol.pk, "word": " Utilise ", "instead": "x"})
    assert response.status_code == 200
    assert "Bristol City Council already lists this word." in response.content.decode()
    assert WordToAvoid.objects.filter(organisation=bristol).count() == 1


def test_a_data_protection_officer_reads_their_councils_words_and_changes_none(
    client, words, councils, django_user_model
):
    dpo = staff(django_user_model, councils["bristol"], "dpo", "bristol-dpo")
    client.force_login(dpo)
    html = client.get(reverse(f"{WORDS}:list")).content.decode()
    assert "utilise" in html and "leverage" not in html
    data = {"organisation": words["bristol"].organisation_id, "word": "utilise", "instead": "changed"}
    client.post(reverse(f"{WORDS}:edit", args=[words["bristol"].pk]), data)
    assert fresh(words["bristol"]).instead == "use"
    assert client.get(reverse(f"{WORDS}:add")).status_code != 200


# ---- the glossary in the admin -----------------------------------------------------------------------------------


GLOSSARY = "wagtailsnippets_datauses_glossaryterm"


def test_editors_add_and_change_glossary_terms_and_translate_them(client, councils, locale, bristol_editor):
    client.force_login(bristol_editor)
    assert client.get(reverse(f"{GLOSSARY}:list")).status_code == 200
    data = {
        "term": "profiling",
        "other_forms": "profile",
        "explanation": "Sorting people into groups.",
        "locale": locale.pk,
    }
    assert client.post(reverse(f"{GLOSSARY}:add"), data).status_code == 302
    profiling = GlossaryTerm.objects.get(term="profiling")
    edited = {**data, "explanation": "Sorting people to predict what they will do."}
    assert client.post(reverse(f"{GLOSSARY}:edit", args=[profiling.pk]), edited).status_code == 302
    assert fresh(profiling).explanation == "Sorting people to predict what they will do."
    assert "profiling" in client.get(reverse(f"{GLOSSARY}:list"), {"q": "profil"}).content.decode()

    welsh = Locale.objects.get(language_code="cy")
    url = reverse("wagtail_localize:submit_snippet_translation", args=["datauses", "glossaryterm", profiling.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"locales": [welsh.pk]})
    assert response.status_code == 302
    assert GlossaryTerm.objects.filter(translation_key=profiling.translation_key, locale=welsh).exists()


def test_data_protection_officers_read_the_glossary_but_do_not_change_it(client, councils, locale, django_user_model):
    profiling = GlossaryTerm.objects.create(term="profiling", explanation="Sorting people.", locale=locale)
    dpo = staff(django_user_model, councils["bristol"], "dpo", "bristol-dpo")
    client.force_login(dpo)
    assert "profiling" in client.get(reverse(f"{GLOSSARY}:list")).content.decode()
    data = {"term": "profiling", "other_forms": "", "explanation": "Changed.", "locale": locale.pk}
    client.post(reverse(f"{GLOSSARY}:edit", args=[profiling.pk]), data)
    assert fresh(profiling).explanation == "Sorting people."


def test_the_admin_menu_offers_words_to_avoid_and_the_glossary_to_editors(client, bristol_editor):
    client.force_login(bristol_editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Words to avoid" in html and reverse(f"{WORDS}:list") in html
    assert "Glossary" in html and reverse(f"{GLOSSARY}:list") in html
