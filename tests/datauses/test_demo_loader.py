"""The demo register: three councils, at least 12 real kinds of data use each, loaded idempotently."""

import datetime
import json

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale

from datauses.models import DataUsePage, Organisation, RegisterPage, WordToAvoid
from datauses.models.rules import going_live_problems
from demo.loader import COUNCIL_FILES, DEMO_DIR, DemoLoader
from feedback.models import UNCOMFORTABLE, FeedbackSubmission, OwnerAnswer, Review
from tests.factories import started_token

pytestmark = pytest.mark.django_db


def snapshot():
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("datauses", "home", "wagtailcore", "auth")
        and model._meta.model_name not in ("revision", "modellogentry", "pagelogentry")
    }
    return counts, sorted(DataUsePage.objects.values_list("reference", "slug", "last_published_at"))


@pytest.fixture(scope="module")
def council_files():
    return {name: json.loads((DEMO_DIR / name).read_text(encoding="utf-8")) for name in COUNCIL_FILES}


def test_loading_twice_changes_nothing(demo):
    first = snapshot()
    assert DemoLoader().run() == 0
    assert snapshot() == first


def test_demo_has_three_councils_with_at_least_twelve_published_entries_each(client, demo):
    english = Locale.get_default()
    assert set(Organisation.objects.values_list("slug", flat=True)) >= {"bristol", "leeds", "cardiff"}
    for organisation in Organisation.objects.filter(locale=english):
        entries = DataUsePage.objects.live().public().filter(organisation=organisation)
        assert entries.count() >= 12, organisation
        assert all(e.reference.startswith(organisation.reference_prefix + "-") for e in entries)
    combined = RegisterPage.objects.get(organisation__isnull=True, locale=english)
    response = client.get(combined.url)
    assert response.status_code == 200
    assert response.context["search"].count == DataUsePage.objects.live().filter(locale=english).count()
    # Every page is shown, except the Welsh copies of councils that do not offer Welsh: those send readers
    # to the English page.
    for page in [*RegisterPage.objects.filter(organisation__isnull=False), *DataUsePage.objects.live()]:
        response = client.get(page.url, follow=True)
        assert response.status_code == 200, page.url
        offers_welsh = page.organisation.slug == "cardiff"
        redirected = page.locale.language_code == "cy" and not offers_welsh
        assert bool(response.redirect_chain) == redirected, page.url


def test_demo_covers_the_kinds_of_data_use_people_ask_about(council_files):
    text = json.dumps(council_files).lower()
    for kind in ("number plate", "cctv", "council tax", "school admission", "air quality", "chatbot", "social care"):
        assert kind in text, kind
    for data in council_files.values():
        entries = data["entries"]
        assert len(entries) >= 12
        assert any(e["sharing"] for e in entries) and any(not e["sharing"] for e in entries)
        assert any(e["uses_algorithm"] or e["decision_making"] != "none" for e in entries)
        assert {e["status"] for e in entries} >= {"in_use", "pilot", "retired"}


def test_demo_login_is_refused_outside_debug():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_register", "--demo-login", verbosity=0)


def test_demo_login_lets_the_newcomer_into_the_admin(client, demo):
    with override_settings(DEBUG=True):
        call_command("load_demo_register", "--demo-login", verbosity=0)
    assert client.login(username="admin", password="register-demo-2026")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="bristol-editor", password="register-demo-2026")
    bristol = RegisterPage.objects.get(slug="bristol", locale=Locale.get_default())
    leeds = RegisterPage.objects.get(slug="leeds", locale=Locale.get_default())
    assert client.get(f"/admin/pages/add/datauses/datausepage/{bristol.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/datauses/datausepage/{leeds.pk}/").status_code in (302, 403)
    client.logout()
    assert client.login(username="bristol-owner", password="register-demo-2026")
    inbox = client.get("/admin/feedback/inbox/")
    assert inbox.status_code == 200
    shown = {row.entry.owner_team.name for row in inbox.context["object_list"]}
    assert shown == {"Early Help Data Team"}
    client.logout()
    assert client.login(username="bristol-dpo", password="register-demo-2026")
    bristol_entry = DataUsePage.objects.child_of(bristol).first()
    leeds_entry = DataUsePage.objects.child_of(leeds).first()
    assert client.get(f"/admin/pages/{bristol_entry.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{leeds_entry.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/add/datauses/datausepage/{bristol.pk}/").status_code in (302, 403)


def test_cardiff_is_in_real_welsh_and_every_other_welsh_address_falls_back_to_english(client, demo):
    welsh = Locale.objects.get(language_code="cy")
    translated = 0
    for entry in DataUsePage.objects.live().filter(locale=Locale.get_default()):
        copy = entry.get_translation(welsh).specific
        response = client.get(copy.url)
        if entry.organisation.slug != "cardiff":
            # Only Cardiff offers Welsh: the Welsh copy of another council's entry sends readers to the English.
            assert copy.alias_of_id
            assert response.status_code == 302 and response["Location"] == entry.url, copy.url
            continue
        assert response.status_code == 200, copy.url
        html = response.content.decode()
        assert '<html lang="cy"' in html
        assert copy.live and copy.alias_of_id is None, entry.title
        assert 'id="untranslated"' not in html and 'id="partly-translated"' not in html, entry.title
        assert copy.title != entry.title and copy.summary != entry.summary
        english_reasons = {link.category.slug: link.reason for link in entry.data_categories.all()}
        welsh_reasons = {link.category.slug: link.reason for link in copy.data_categories.all()}
        assert welsh_reasons.keys() == english_reasons.keys()
        assert all(welsh_reasons.values())
        assert not set(welsh_reasons.values()) & set(english_reasons.values()), entry.title
        assert copy.title.replace("'", "&#x27;") in html
        translated += 1
    assert translated >= 12


def test_demo_feedback_is_spread_over_past_months_so_the_next_answer_sets_off_no_alert(client, demo, django_user_model):
    dates = sorted(FeedbackSubmission.objects.values_list("created_at", flat=True))
    assert dates and dates[-1] < timezone.now() - datetime.timedelta(days=1)
    assert len({(d.year, d.month) for d in dates}) >= 4  # a trend by month to look at
    entry = (
        DataUsePage.objects.filter(owner_team__group__isnull=False, feedback__isnull=False)
        .distinct()
        .annotate(uncomfortable=Count("feedback", filter=Q(feedback__comfort__in=UNCOMFORTABLE)))
        .order_by("-uncomfortable")
        .first()
    )
    owner = django_user_model.objects.create_user("demo-owner", email="owner@example.org", password="x")
    owner.groups.add(entry.owner_team.group)
    mail.outbox.clear()
    started = started_token(entry)
    response = client.post(f"/feedback/{entry.pk}/", {"started": started, "comfort": "very_uncomfortable"})
    assert response.status_code == 302
    assert [message.subject for message in mail.outbox] == [f"New feedback on '{entry.title}'"]


def test_demo_shows_published_answers_on_several_entries_and_an_open_review(client, demo):
    answered = DataUsePage.objects.filter(answers__live=True).distinct()
    assert answered.count() >= 6  # two entries in each council
    assert OwnerAnswer.objects.filter(live=True, submission__isnull=False).exists()  # one answers a comment
    partnership = client.get("/you-said-we-did/").content.decode()
    for organisation in Organisation.objects.filter(locale=Locale.get_default()):
        assert organisation.name in partnership
    review = Review.objects.get()
    assert review.is_open and review.entry.organisation.slug == "bristol"
    assert "Under review because of residents" in client.get(review.entry.url).content.decode()


def test_every_demo_entry_meets_the_rules_for_going_live(demo):
    incomplete = {
        entry.reference: problems
        for entry in DataUsePage.objects.filter(locale=Locale.get_default())
        if (
            problems := going_live_problems(
                entry,
                [use.category for use in entry.data_categories.select_related("category")],
                entry.impact_assessments.count(),
            )
        )
    }
    assert incomplete == {}


def test_demo_shows_change_notes_an_entry_waiting_for_sign_off_and_an_overdue_review(client, demo):
    with override_settings(DEBUG=True):
        call_command("load_demo_register", "--demo-login", verbosity=0)
    noted = DataUsePage.objects.filter(change_notes__isnull=False, locale=Locale.get_default()).distinct()
    assert noted.count() >= 4  # two in Bristol's and Leeds' registers
    assert "Changes to this entry" in client.get(noted.first().url).content.decode()
    assert client.get("/recently-changed/").status_code == 200

    bristol = RegisterPage.objects.get(slug="bristol", locale=Locale.get_default())
    waiting = [entry for entry in DataUsePage.objects.child_of(bristol) if entry.workflow_in_progress]
    assert len(waiting) == 1
    assert waiting[0].live  # the published version stays up while its change waits
    assert client.login(username="bristol-dpo", password="register-demo-2026")
    assert waiting[0].title in client.get("/admin/").content.decode()  # Wagtail's "Awaiting your review"

    assert DataUsePage.objects.live().filter(next_review_due__lt=timezone.localdate()).exists()


def test_demo_explains_data_terms_and_tells_editors_which_words_to_avoid(client, demo):
    explained = [
        entry
        for entry in DataUsePage.objects.live().filter(locale=Locale.get_default())
        if 'id="glossary"' in client.get(entry.url).content.decode()
    ]
    assert len(explained) >= 3
    assert WordToAvoid.objects.filter(organisation__slug="bristol", word="utilise", instead="use").exists()
