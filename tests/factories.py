"""Test data: factories for the register's snippets and pages (factory_boy and wagtail-factories)."""

import contextlib
import datetime
import time

import factory
import wagtail_factories
from django.core import signing
from django.test import TestCase, override_settings
from factory.django import DjangoModelFactory
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from base.languages import other_languages
from datauses.models import (
    DataCategory,
    DataSharing,
    DataUseCategory,
    DataUsePage,
    ImpactAssessment,
    Organisation,
    RegisterPage,
    Risk,
    ServiceArea,
    ServiceOwnerTeam,
    SharingPartner,
)
from feedback import guards
from feedback.models import FeedbackSubmission, State
from home.models import ContentPage, HomePage


class LocaleFactory(DjangoModelFactory):
    class Meta:
        model = Locale
        django_get_or_create = ("language_code",)

    language_code = "en-gb"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    reference_prefix = factory.Sequence(lambda n: "T" + chr(65 + n % 26) + chr(65 + (n // 26) % 26))
    brand_colour = "#1d4f91"
    rights_request_url = "https://www.example.org/your-data"
    dpo_name = "Data Protection Officer"
    dpo_email = "dpo@example.org"
    locale = factory.SubFactory(LocaleFactory)
    # Test councils offer every site language, so tests of translation see Welsh pages.
    languages = factory.LazyFunction(lambda: [code for code, _name in other_languages()])


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Service area {n}")
    slug = factory.Sequence(lambda n: f"service-area-{n}")
    locale = factory.SubFactory(LocaleFactory)


class DataCategoryFactory(DjangoModelFactory):
    class Meta:
        model = DataCategory
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Kind of data {n}")
    slug = factory.Sequence(lambda n: f"kind-of-data-{n}")
    locale = factory.SubFactory(LocaleFactory)


class SharingPartnerFactory(DjangoModelFactory):
    class Meta:
        model = SharingPartner
        django_get_or_create = ("slug", "locale")

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    locale = factory.SubFactory(LocaleFactory)


class ServiceOwnerTeamFactory(DjangoModelFactory):
    class Meta:
        model = ServiceOwnerTeam

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Owner team {n}")
    contact_email = "team@example.org"
    locale = factory.SubFactory(LocaleFactory)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Data Use Register"
    intro = "What councils do with your data."


class ContentPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContentPage

    title = "Accessibility statement"
    show_in_menus = True
    body = wagtail_factories.StreamFieldFactory({})


class RegisterPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = RegisterPage

    title = factory.LazyAttribute(lambda o: f"{o.organisation.name} register" if o.organisation else "All councils")
    organisation = None
    show_in_menus = True


class DataUsePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DataUsePage

    title = factory.Sequence(lambda n: f"Entry {n}")
    summary = "A one-sentence summary."
    organisation = factory.LazyAttribute(lambda o: o.parent.specific.organisation)
    service_area = factory.SubFactory(ServiceAreaFactory)
    purpose = "We use data to run the service.\n\nA second paragraph."
    benefits = "It helps residents."
    data_sources = "From the forms you fill in."
    storage_location = "On council computers in the UK."
    retention = "Six years."
    opt_out = "You cannot opt out, because the law says we must do this."
    challenge_route = "Ask us to look at the decision again."
    challenge_offline = "Phone 0117 496 0000."
    last_reviewed = datetime.date(2026, 3, 1)
    next_review_due = datetime.date(2099, 3, 1)
    lawful_basis = "public_task"
    decision_making = "none"


class FeedbackSubmissionFactory(DjangoModelFactory):
    """One person's answers on an entry (give the entry); created_at=... back-dates it, flagged=True flags it."""

    class Meta:
        model = FeedbackSubmission

    class Params:
        flagged = factory.Trait(flagged_personal_data=True, state=State.FLAGGED)

    organisation = factory.LazyAttribute(lambda o: o.entry.organisation)
    comfort = "not_sure"
    dedupe_key = factory.Sequence(lambda n: f"feedback-{n}")

    @classmethod
    def _create(cls, model_class, *args, created_at=None, **kwargs):
        submission = super()._create(model_class, *args, **kwargs)
        if created_at is not None:  # auto_now_add ignores a value given to create()
            model_class.objects.filter(pk=submission.pk).update(created_at=created_at)
            submission.created_at = created_at
        return submission


def started_token(entry, seconds_ago=30):
    """The signed start time the feedback forms on entry's page carry, as if the form had been shown seconds_ago."""
    entry_id = getattr(entry, "pk", entry)
    return signing.dumps([int(time.time() - seconds_ago), int(entry_id)], salt=guards.START_SALT)


BRISTOL = {"name": "Bristol City Council", "short_name": "Bristol", "slug": "bristol", "reference_prefix": "BRS"}
LEEDS = {
    "name": "Leeds City Council",
    "short_name": "Leeds",
    "slug": "leeds",
    "reference_prefix": "LDS",
    "brand_colour": "#00573f",
}


def add_home_page(locale):
    """The home page at the top of the default site, the one the test client (localhost) reaches."""
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    home = HomePageFactory(parent=root, slug="data-use-register", locale=locale)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def fresh(instance):
    """A new copy from the database of a row made once for a module, so no test sees another's unsaved edits."""
    return type(instance).objects.get(pk=instance.pk)


def add_category(page, category, reason="We need it."):
    return DataUseCategory.objects.create(page=page, category=category, reason=reason, locale=page.locale)


def add_sharing(page, partner, purpose="To do the job.", is_processor=False):
    return DataSharing.objects.create(
        page=page, partner=partner, purpose=purpose, is_processor=is_processor, locale=page.locale
    )


def add_risk(page, risk="A risk.", safeguard="A safeguard."):
    return Risk.objects.create(page=page, risk=risk, safeguard=safeguard, locale=page.locale)


def add_assessment(page, kind="dpia", summary="It found the risks were low."):
    return ImpactAssessment.objects.create(
        page=page, kind=kind, completed_on=datetime.date(2025, 1, 10), summary=summary, locale=page.locale
    )


def translate(instance, locale, **strings):
    """Translate through wagtail-localize, as a comms officer does in the admin: a string per field."""
    source, _ = TranslationSource.get_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        if segment.context.path in strings:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": strings[segment.context.path]},
            )
    # wagtail-localize publishes when the transaction commits; a test's transaction never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)
    return translation.get_target_instance()


URDU = [("en-gb", "English"), ("cy", "Cymraeg"), ("ur", "اردو")]


@contextlib.contextmanager
def urdu_added():
    """The site with Urdu as a third language, as SITE_LANGUAGES=en-gb,cy,ur gives, and its Locale."""
    with override_settings(LANGUAGES=URDU, WAGTAIL_CONTENT_LANGUAGES=URDU):
        get_supported_content_language_variant.cache_clear()
        try:
            yield Locale.objects.create(language_code="ur")
        finally:
            get_supported_content_language_variant.cache_clear()
