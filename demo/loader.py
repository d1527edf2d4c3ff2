"""Builds the demo register from the JSON files beside this module. Creates only what is missing."""

import datetime
import json
import math
import random
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from datauses.councils import set_up_council, use_public_address
from datauses.models import (
    ChangeNote,
    DataCategory,
    DataSharing,
    DataUseCategory,
    DataUsePage,
    DecisionMaking,
    GlossaryTerm,
    ImpactAssessment,
    LawfulBasis,
    Organisation,
    PublishedVersion,
    RegisterPage,
    RelatedEntry,
    Risk,
    ServiceArea,
    ServiceOwnerTeam,
    SharingPartner,
    ToolDataset,
    ToolModel,
    ToolSupplier,
    WordToAvoid,
)
from feedback import reviews, tallies
from feedback.models import UNCOMFORTABLE, Comfort, Condition, FeedbackSubmission, OwnerAnswer, State, Trust
from home.models import BrandingSettings, ContentPage, HomePage

from .content import accessibility_statement, cookies, privacy
from .welsh import TRANSLATED_COUNCIL, load_welsh

DEMO_DIR = Path(__file__).resolve().parent
COUNCIL_FILES = ["bristol.json", "leeds.json", "cardiff.json"]

HOME_INTRO = (
    "Councils use information about people to run services. This register tells you, in plain "
    "English, what each council uses, why, who sees it and how to have your say.\n\n"
    "Each entry also says who to contact, and how to object or challenge a decision."
)

DEMO_FEEDBACK_DAYS = 180  # the demo's feedback is spread over about the last six months

DEMO_COMMENTS = [
    "I did not know the council did this. Thank you for explaining it.",
    "Who checks that the computer gets it right?",
    "I am fine with this if the data is deleted quickly.",
    "Please let people say no to this.",
    "It makes sense, but I would like to know who else sees it.",
    "This sounds helpful for families who struggle.",
    "I worry about mistakes being hard to put right.",
]

# Made-up feedback on every other demo entry (ensure_insight_feedback), so the public "What residents told us" page
# has real differences to show. Each entry gets a lean: above 0 residents are more comfortable with it, below less.
INSIGHT_RESPONSES = (15, 40)  # responses on each entry, at least and at most
INSIGHT_PLAIN_SERVICES = {"customer-services", "environment", "waste-and-recycling", "council-tax-and-benefits"}
INSIGHT_LEANS = {
    "plain_service": 1.5,
    "consent": 0.5,  # people chose to take part
    "special_category": -1.2,  # health, ethnicity, religion, biometrics
    "criminal_offences": -0.5,
    "police": -2.5,
    "nhs": 0.8,  # people mostly trust the NHS with it
    "supplier": -0.6,  # a private company sees it
    "automated": -1.5,
    "algorithm": -0.7,  # an algorithm or AI helps, short of deciding alone
    "profiling": -0.5,
}
# How each council's residents differ on the same kind of use: the cameras in Cardiff's city centre sit better than
# Leeds', for instance, so comparing councils shows something.
INSIGHT_LOCAL_LEANS = {
    ("bristol", "community-safety"): 0.3,
    ("leeds", "community-safety"): -0.8,
    ("cardiff", "community-safety"): 2.0,
    ("bristol", "environment"): 0.8,
    ("leeds", "adult-social-care"): 0.9,
    ("cardiff", "adult-social-care"): -0.6,
    ("leeds", "housing"): -0.5,
    ("cardiff", "education-and-schools"): 0.6,
}
# One service area kept small across the whole partnership: its two entries (Bristol's bin sensors, Leeds' garden
# waste) get 3 responses each, 6 in all, under the 10 that figures need before they are shown.
INSIGHT_SMALL_SERVICE_AREA = "waste-and-recycling"
INSIGHT_SMALL_RESPONSES = 3
# Trust answers ("yes", "partly", "no", "not sure", none) by how comfortable the person was, most comfortable first.
INSIGHT_TRUST = [
    [6, 2, 0.3, 1, 1],
    [4, 3, 0.5, 1, 1],
    [1, 3, 1, 3, 1],
    [0.5, 3, 3, 1.5, 1],
    [0.2, 1, 6, 1, 1],
]

# The councils' public answers, by the position of the entry among the first three (each council's first entries
# are alike: finding families, cameras, council tax). None answers a theme; "comment" answers the entry's first
# published comment.
DEMO_ANSWERS = {
    0: [
        (
            None,
            "Several of you asked who checks that the computer gets it right.",
            "A social worker reads every match before anyone is contacted, and nobody is told they have been matched "
            "unless a person agrees it is right. We now say so at the top of this entry.",
            OwnerAnswer.Outcome.CHANGED,
        ),
    ],
    1: [
        (
            "comment",
            "You asked who else sees the pictures the cameras take.",
            "Only the council's enforcement officers, and the DVLA to find the vehicle's keeper. We have added the "
            "DVLA to the list of who we share the data with on this page.",
            OwnerAnswer.Outcome.CHANGED,
        ),
        (
            None,
            "Some of you asked for a way to opt out of the cameras.",
            "We cannot offer one: the law lets us enforce the bus lanes and the Clean Air Zone for everyone who drives "
            "in them. Pictures of vehicles that have done nothing wrong are deleted within 24 hours.",
            OwnerAnswer.Outcome.NO_CHANGE,
        ),
    ],
}
# The council whose third entry is shown under review because of a recent run of uncomfortable answers.
DEMO_REVIEW_COUNCIL = "bristol"
# Data terms explained where an entry first uses them (the editors add more under Snippets, Glossary).
DEMO_GLOSSARY = [
    (
        "personal data",
        "",
        "Information about a living person who can be identified from it, such as your name, address or photo.",
    ),
    ("profiling", "profile, profiles", "Using a computer to sort or score people to predict something about them."),
    (
        "automated",
        "automatically",
        "Done by a computer without a person deciding each case.",
    ),
    (
        "consent",
        "",
        "Your clear agreement to something. You can take it back at any time.",
    ),
    (
        "data protection",
        "",
        "The law that says how organisations must look after information about people: the UK GDPR and the "
        "Data Protection Act 2018.",
    ),
    ("AI", "artificial intelligence", "Computer programs that learn patterns from data to produce answers or text."),
]
# Each council's words to avoid, shown to its editors beside the text they write.
DEMO_WORDS_TO_AVOID = [
    ("utilise", "use"),
    ("facilitate", "help"),
    ("in order to", "to"),
    ("data subject", "person, or you"),
    ("commence", "start"),
]
# Public change notes on the first two entries of each council but Cardiff: a second version, this many days ago.
DEMO_CHANGES = [
    (40, "Added how long we keep the records and who can see them."),
    (12, "Explained how to challenge a decision by phone or by post, not only online."),
]
# In Bristol, a change a comms officer has sent to the data protection officers, waiting for sign-off.
DEMO_SIGN_OFF_COUNCIL = "bristol"
DEMO_SIGN_OFF_NOTE = "We now keep the records for one year after the case closes, not two, then delete them."
DEMO_SIGN_OFF_RETENTION = "One year after the case closes. Then we delete them."

# The site's own information pages, in the order they are added (and shown in the footer). Each is a default for
# the partnership to edit: see demo/content/. A page that already exists is left alone (ensure_content_pages).
CONTENT_PAGES = [accessibility_statement.PAGE, privacy.PAGE, cookies.PAGE]


def _load(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _publish(page):
    page.save_revision(log_action=False).publish(log_action=False)


@contextmanager
def search_index_paused():
    """Stop modelsearch indexing each object as it is saved; update_index does it once after."""
    models = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.created = 0
        self.locale = Locale.get_default()

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def run(self):
        # Wagtail updates its reference index (the admin's "usage" counts) on every save: over a thousand
        # times for the demo. Index each object once at the end instead.
        # The search index likewise: each page is saved several times while it is made, published and
        # translated, and indexing it each time took a quarter of the load.
        with disable_reference_index_auto_update(), search_index_paused():
            self._load()
        if self.created:  # as the rebuild_references_index and update_index commands do
            for model in apps.get_models():
                if ReferenceIndex.is_indexed(model):
                    for instance in model.objects.all():
                        ReferenceIndex.create_or_update_for_object(instance)
            call_command("update_index", verbosity=0)
        return self.created

    def _load(self):
        home = self.ensure_home()
        taxonomy = _load("taxonomy.json")
        self.ensure_terms(ServiceArea, taxonomy["service_areas"])
        self.ensure_terms(DataCategory, taxonomy["data_categories"])
        self.ensure_terms(SharingPartner, taxonomy["partners"])
        combined = self.ensure_register(
            home,
            slug="register",
            title="All councils' register",
            intro="Every entry from every council in the partnership.",
        )
        for name in COUNCIL_FILES:
            if (DEMO_DIR / name).exists():
                self.load_council(home, _load(name))
        self.ensure_glossary()
        self.ensure_content_pages(home)
        combined.refresh_from_db()
        self.created += load_welsh(say=self.say)
        # The owners' views and the public insight page read the sentiment tallies: count the demo's feedback in
        # now, as the worker would have after each response.
        tallies.catch_up(wait=True)

    # ---- the top of the tree ---------------------------------------------------------------
    def ensure_home(self):
        site = Site.objects.filter(is_default_site=True).first()
        if site and isinstance(site.root_page.specific, HomePage):
            home = site.root_page.specific
        else:
            home = HomePage.objects.filter(locale=self.locale, depth=2).first()
            if home is None:
                root = Page.get_first_root_node()
                home = root.add_child(
                    instance=HomePage(
                        title="Data Use Register",
                        slug="data-use-register",
                        intro=HOME_INTRO,
                        locale=self.locale,
                    )
                )
                _publish(home)
                self.created += 1
            if site is None:
                site = Site.objects.create(
                    hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Data Use Register"
                )
            else:
                old_root = site.root_page
                site.root_page = home
                site.save()
                if type(old_root.specific) is Page and old_root.depth == 2 and not old_root.get_children().exists():
                    old_root.delete()  # Wagtail's "Welcome" placeholder
        use_public_address(site)  # links in emails point at PUBLIC_BASE_URL, not localhost
        branding = BrandingSettings.for_site(site)
        if not branding.partnership_name:
            branding.partnership_name = "the Bristol, Leeds and Cardiff data partnership"
            branding.partnership_name_translations = {"cy": "Partneriaeth data Bryste, Leeds a Chaerdydd"}
            branding.save()
        return home

    def ensure_terms(self, model, rows):
        for row in rows:
            fields = {k: v for k, v in row.items() if k != "slug"}
            term, created = model.objects.get_or_create(slug=row["slug"], locale=self.locale, defaults=fields)
            self.created += created
            if model is SharingPartner and term.kind == SharingPartner.Kind.PUBLIC_BODY and row["kind"] != term.kind:
                # A demo loaded before partners could be the NHS, the police or another council (datauses
                # migration 0011) has them all as public bodies. The kind is the same in every language.
                self.created += SharingPartner.objects.filter(translation_key=term.translation_key).update(
                    kind=row["kind"]
                )

    def ensure_register(self, home, slug, title, intro=""):
        """The combined register; each council's comes from datauses.councils.set_up_council."""
        register = RegisterPage.objects.child_of(home).filter(slug=slug).first()
        if register is None:
            register = home.add_child(
                instance=RegisterPage(
                    title=title,
                    slug=slug,
                    intro=intro,
                    show_in_menus=True,
                    locale=self.locale,
                )
            )
            _publish(register)
            self.created += 1
        return register

    def ensure_content_pages(self, home):
        for slug, title, intro, body in CONTENT_PAGES:
            if ContentPage.objects.child_of(home).filter(slug=slug).exists():
                continue
            page = home.add_child(
                instance=ContentPage(
                    title=title,
                    slug=slug,
                    intro=intro,
                    show_in_menus=True,
                    locale=self.locale,
                    body=json.dumps([{"type": t, "value": v} for t, v in body]),
                )
            )
            _publish(page)
            self.created += 1

    # ---- one council -------------------------------------------------------------------------
    def load_council(self, home, data):
        org_data = data["organisation"]
        organisation, created = Organisation.objects.get_or_create(
            slug=org_data["slug"],
            locale=self.locale,
            defaults={k: v for k, v in org_data.items() if k != "slug"},
        )
        self.created += created
        self.ensure_terms(SharingPartner, data.get("partners", []))
        teams = {}
        for team in data["teams"]:
            teams[team["key"]], created = ServiceOwnerTeam.objects.get_or_create(
                organisation=organisation,
                name=team["name"],
                locale=self.locale,
                defaults={
                    "contact_email": team.get("contact_email", ""),
                    "contact_phone": team.get("contact_phone", ""),
                },
            )
            self.created += created
        for word, instead in DEMO_WORDS_TO_AVOID:
            self.created += WordToAvoid.objects.get_or_create(
                organisation=organisation, word=word, defaults={"instead": instead}
            )[1]
        council = set_up_council(organisation, parent=home)
        self.created += council.created
        register = council.register

        entries = {}
        for entry in data["entries"]:
            page = DataUsePage.objects.child_of(register).filter(slug=entry["slug"]).first()
            if page is None:
                page = self.create_entry(register, organisation, teams, entry)
            entries[entry["slug"]] = (page, entry)
        for page, entry in entries.values():
            if entry.get("related") and not page.related_entries.exists():
                for n, slug in enumerate(slug for slug in entry["related"] if slug in entries):
                    RelatedEntry.objects.create(page=page, entry=entries[slug][0], locale=self.locale, sort_order=n)
                _publish(page)
        in_order = sorted((page for page, _ in entries.values()), key=lambda p: p.pk)
        first_three = in_order[:3]
        if organisation.slug != TRANSLATED_COUNCIL:  # its Welsh translations are of the first version
            self.ensure_demo_changes(first_three[:2])
        if organisation.slug == DEMO_SIGN_OFF_COUNCIL and len(in_order) > 3:
            self.ensure_demo_sign_off(register, in_order[3])
        self.ensure_demo_feedback(first_three)
        self.ensure_demo_answers(first_three)
        if organisation.slug == DEMO_REVIEW_COUNCIL and len(first_three) == 3:
            self.ensure_demo_review(first_three[2])
        self.ensure_insight_feedback(in_order[3:])
        self.say(f"{organisation.name}: {len(entries)} entries")

    def ensure_glossary(self):
        for term, other_forms, explanation in DEMO_GLOSSARY:
            self.created += GlossaryTerm.objects.get_or_create(
                term=term, locale=self.locale, defaults={"other_forms": other_forms, "explanation": explanation}
            )[1]

    def ensure_demo_changes(self, pages):
        """A second published version of each page given, with a dated public change note."""
        for (days_ago, note), page in zip(DEMO_CHANGES, pages, strict=False):
            if ChangeNote.objects.filter(entry=page).exists():
                continue
            page = DataUsePage.objects.get(pk=page.pk)
            page.change_note = note
            revision = page.save_revision(log_action=True)
            revision.publish(log_action=True)
            published_at = timezone.now() - datetime.timedelta(days=days_ago)
            ChangeNote.objects.filter(entry=page).update(published_at=published_at)
            PublishedVersion.objects.filter(entry=page, revision=revision).update(published_at=published_at)
            DataUsePage.objects.filter(pk=page.pk).update(last_published_at=published_at)
            self.created += 1

    def ensure_demo_sign_off(self, register, page):
        """A change to a published entry, sent for sign-off: the demo data protection officer sees it waiting."""
        page = DataUsePage.objects.get(pk=page.pk)  # as published, not as first saved
        if page.workflow_in_progress or page.has_unpublished_changes:
            return
        page.retention = DEMO_SIGN_OFF_RETENTION
        page.change_note = DEMO_SIGN_OFF_NOTE
        page.save_revision(log_action=True)
        register.get_workflow().start(page, user=None)
        self.created += 1

    def ensure_demo_feedback(self, pages):
        """Made-up feedback on the entries given (each council's first three), so the summary, inbox and sentiment
        views have data.

        It is spread over the past months, oldest first, as real feedback would be: the trend by month has
        something to show, and no run of recent answers sets off the owners' 'several people are
        uncomfortable' alert when someone next answers."""
        rng = random.Random(2026)  # noqa: S311 - the same made-up demo every time, not a secret
        comforts = [c for c, _ in Comfort.choices]
        conditions = [c for c, _ in Condition.choices if c != Condition.NOTHING]
        now = timezone.now()
        for index, page in enumerate(pages):
            if FeedbackSubmission.objects.filter(entry=page).exists():
                continue
            lean = [3, 2, 2, 2, 1] if index % 2 else [1, 2, 2, 3, 3]  # some entries sit better than others
            count = 12 + 6 * index
            for n in range(count):
                given_at = now - datetime.timedelta(
                    days=DEMO_FEEDBACK_DAYS * (count - n) / count, hours=(n * 7 + index * 5) % 24
                )
                comment = DEMO_COMMENTS[(index * 7 + n) % len(DEMO_COMMENTS)] if n % 3 == 0 else ""
                submission = FeedbackSubmission.objects.create(
                    entry=page,
                    organisation=page.organisation,
                    revision_id=page.live_revision_id,
                    comfort=rng.choices(comforts, weights=lean)[0],
                    trust=rng.choice(["yes", "partly", "no", "not_sure", ""]),
                    conditions=sorted(rng.sample(conditions, rng.randint(0, 2))),
                    comment=comment,
                    publish_consent=bool(comment) and n % 2 == 0,
                    approved_for_publication=bool(comment) and n % 2 == 0,
                    dedupe_key=f"demo-{page.pk}-{n}",
                    owners_notified_at=given_at,  # made up: nobody is waiting for an email about it
                )
                # created_at is set on save (auto_now_add), so it is back-dated afterwards.
                FeedbackSubmission.objects.filter(pk=submission.pk).update(created_at=given_at)
                self.created += 1

    def ensure_insight_feedback(self, pages):
        """Made-up feedback on the entries given (each council's entries after its first three), leaning as the
        entry does (INSIGHT_LEANS), so the public insight page shows real differences between kinds of data,
        partners, service areas and councils, and one group too small to show.

        Each entry has its own fixed random numbers (seeded by the council and the entry), so its feedback is the
        same whichever other entries already have theirs. An entry with any feedback is left alone."""
        given = set(FeedbackSubmission.objects.filter(entry__in=pages).values_list("entry_id", flat=True))
        pages = (
            DataUsePage.objects.live()
            .filter(pk__in=[page.pk for page in pages])
            .exclude(pk__in=given)
            .select_related("organisation", "service_area")
            .prefetch_related("data_categories__category", "sharing__partner")
            .order_by("pk")
        )
        comforts = [c for c, _ in Comfort.choices]  # most comfortable first
        trusts = [*(t for t, _ in Trust.choices), ""]  # as INSIGHT_TRUST's columns
        now = timezone.now()
        responses = []
        for page in pages:
            rng = random.Random(f"demo-insight-{page.organisation.slug}-{page.slug}")  # noqa: S311 - not a secret
            lean, wanted = _insight_lean(page)
            # Where on the scale from very comfortable (0) to very uncomfortable (4) answers gather.
            middle = min(max(1.8 - 0.45 * (lean + rng.uniform(-0.3, 0.3)), 0.5), 3.5)
            weights = [math.exp(-((position - middle) ** 2) / 2) for position in range(len(comforts))]
            small = page.service_area.slug == INSIGHT_SMALL_SERVICE_AREA
            count = INSIGHT_SMALL_RESPONSES if small else rng.randint(*INSIGHT_RESPONSES)
            for n in range(count):
                given_at = now - datetime.timedelta(
                    days=DEMO_FEEDBACK_DAYS * (count - n) / count, hours=rng.randint(0, 11), minutes=rng.randint(0, 59)
                )
                position = rng.choices(range(len(comforts)), weights=weights)[0]
                responses.append(
                    (
                        FeedbackSubmission(
                            entry=page,
                            organisation=page.organisation,
                            revision_id=page.live_revision_id,
                            comfort=comforts[position],
                            trust=rng.choices(trusts, weights=INSIGHT_TRUST[position])[0],
                            conditions=_insight_conditions(rng, position, wanted),
                            state=State.REVIEWED if given_at < now - datetime.timedelta(days=30) else State.NEW,
                            dedupe_key=f"demo-insight-{page.pk}-{n}",
                            owners_notified_at=given_at,  # made up: nobody is waiting for an email about it
                            tallied=False,  # counted by tallies.catch_up at the end of the load
                        ),
                        given_at,
                    )
                )
        if not responses:
            return
        FeedbackSubmission.objects.bulk_create([response for response, _ in responses], batch_size=500)
        # created_at is set on insert (auto_now_add), so it is back-dated afterwards, in a few queries.
        for response, given_at in responses:
            response.created_at = given_at
        FeedbackSubmission.objects.bulk_update([response for response, _ in responses], ["created_at"], batch_size=500)
        self.created += len(responses)

    def ensure_demo_answers(self, pages):
        """Published "You said, we did" answers on the first two entries, one of them to a published comment."""
        for index, page in enumerate(pages):
            if OwnerAnswer.objects.filter(entry=page).exists():
                continue
            for answers, you_said, we_did, outcome in DEMO_ANSWERS.get(index, []):
                submission = None
                if answers == "comment":
                    submission = (
                        FeedbackSubmission.objects.filter(entry=page, approved_for_publication=True)
                        .order_by("-created_at")
                        .first()
                    )
                answer = OwnerAnswer.objects.create(
                    entry=page, submission=submission, you_said=you_said, we_did=we_did, outcome=outcome, live=False
                )
                answer.save_revision().publish()
                self.created += 1

    def ensure_demo_review(self, page):
        """A run of recent 'uncomfortable' answers on one entry, which opens a review the way real feedback would
        (feedback.reviews): the entry says it is under review, and the review is in its history."""
        if page.reviews.exists():
            return
        rule = reviews.rule_for(page)
        now = timezone.now()
        for n in range(rule.uncomfortable_count):
            given_at = now - datetime.timedelta(days=1 + n * (rule.window_days - 2) / rule.uncomfortable_count)
            submission = FeedbackSubmission.objects.create(
                entry=page,
                organisation=page.organisation,
                revision_id=page.live_revision_id,
                comfort=sorted(UNCOMFORTABLE)[n % 2],
                dedupe_key=f"demo-review-{page.pk}-{n}",
                owners_notified_at=given_at,
            )
            FeedbackSubmission.objects.filter(pk=submission.pk).update(created_at=given_at)
            self.created += 1
        if reviews.open_if_needed(page, now=now) is not None:
            self.created += 1

    def create_entry(self, register, organisation, teams, e):
        page = DataUsePage(
            title=e["title"],
            slug=e["slug"],
            summary=e["summary"],
            locale=self.locale,
            organisation=organisation,
            service_area=ServiceArea.objects.get(slug=e["service_area"], locale=self.locale),
            owner_team=teams.get(e.get("owner_team")),
            status=e["status"],
            start_date=_date(e.get("start_date")),
            end_date=_date(e.get("end_date")),
            purpose=e["purpose"],
            not_used_for=e.get("not_used_for", ""),
            benefits=e["benefits"],
            alternatives_considered=e.get("alternatives_considered", ""),
            data_sources=e["data_sources"],
            storage_location=e["storage_location"],
            leaves_uk=e.get("leaves_uk", False),
            international_transfers=e.get("international_transfers", ""),
            retention=e["retention"],
            lawful_basis=e["lawful_basis"],
            lawful_basis_detail=e.get("lawful_basis_detail", ""),
            special_category_condition=e.get("special_category_condition", ""),
            decision_making=e["decision_making"],
            profiling=e.get("profiling", False),
            uses_algorithm=e.get("uses_algorithm", False),
            algorithm_description=e.get("algorithm_description", ""),
            human_review=e.get("human_review", ""),
            opt_out=e["opt_out"],
            challenge_route=e["challenge_route"],
            challenge_url=e.get("challenge_url", ""),
            challenge_offline=e["challenge_offline"],
            last_reviewed=_date(e["last_reviewed"]),
            next_review_due=_date(e["next_review_due"]),
            body=json.dumps(e.get("body", [])),
        )
        page.data_categories = [
            DataUseCategory(
                category=DataCategory.objects.get(slug=c["category"], locale=self.locale),
                reason=c["reason"],
                locale=self.locale,
                sort_order=n,
            )
            for n, c in enumerate(e["data_categories"])
        ]
        page.sharing = [
            DataSharing(
                partner=SharingPartner.objects.get(slug=s["partner"], locale=self.locale),
                purpose=s["purpose"],
                is_processor=s.get("is_processor", False),
                locale=self.locale,
                sort_order=n,
            )
            for n, s in enumerate(e["sharing"])
        ]
        page.risks = [
            Risk(risk=r["risk"], safeguard=r["safeguard"], locale=self.locale, sort_order=n)
            for n, r in enumerate(e["risks"])
        ]
        page.impact_assessments = [
            ImpactAssessment(
                kind=a["kind"],
                completed_on=_date(a.get("completed_on")),
                url=a.get("url", ""),
                summary=a.get("summary", ""),
                locale=self.locale,
                sort_order=n,
            )
            for n, a in enumerate(e["impact_assessments"])
        ]
        self.add_tool(page, e.get("tool"))
        register.add_child(instance=page)
        _publish(page)
        self.created += 1
        return page

    def add_tool(self, page, tool):
        """An entry's algorithmic tool, as a complete ATRS record holds it (two demo entries have one)."""
        if not tool:
            return
        for name, value in tool.items():
            if name not in ("suppliers", "models", "datasets"):
                setattr(page, name, value)
        page.tool_suppliers = [
            ToolSupplier(locale=self.locale, sort_order=n, **row) for n, row in enumerate(tool.get("suppliers", []))
        ]
        page.tool_models = [
            ToolModel(locale=self.locale, sort_order=n, **row) for n, row in enumerate(tool.get("models", []))
        ]
        page.tool_datasets = [
            ToolDataset(locale=self.locale, sort_order=n, **row) for n, row in enumerate(tool.get("datasets", []))
        ]


def _insight_lean(page):
    """How comfortable residents lean about an entry (INSIGHT_LEANS), and the conditions its kind of use makes them
    ask for more often than others: {condition: extra weight}."""
    lean, wanted = 0.0, {}
    council, area = page.organisation.slug, page.service_area.slug
    categories = [use.category for use in page.data_categories.all()]
    kinds = {share.partner.kind for share in page.sharing.all()}
    lean += INSIGHT_LOCAL_LEANS.get((council, area), 0)
    if area in INSIGHT_PLAIN_SERVICES:
        lean += INSIGHT_LEANS["plain_service"]
    if page.lawful_basis == LawfulBasis.CONSENT:
        lean += INSIGHT_LEANS["consent"]
    if any(category.is_special_category for category in categories):
        lean += INSIGHT_LEANS["special_category"]
        wanted.update(fewer_people=1.5, shorter_retention=1)
    if any(category.slug == "criminal-offences" for category in categories):
        lean += INSIGHT_LEANS["criminal_offences"]
    if SharingPartner.Kind.POLICE in kinds:
        lean += INSIGHT_LEANS["police"]
        wanted.update(opt_out=3, oversight=3)
    if SharingPartner.Kind.NHS in kinds:
        lean += INSIGHT_LEANS["nhs"]
    if SharingPartner.Kind.SUPPLIER in kinds:
        lean += INSIGHT_LEANS["supplier"]
        wanted["fewer_people"] = wanted.get("fewer_people", 0) + 2
    automated = page.decision_making == DecisionMaking.AUTOMATED
    if automated:
        lean += INSIGHT_LEANS["automated"]
    elif page.uses_algorithm or page.decision_making == DecisionMaking.ASSISTED:
        lean += INSIGHT_LEANS["algorithm"]
    if automated or page.uses_algorithm:
        wanted["oversight"] = wanted.get("oversight", 0) + 3
        wanted["clearer_explanation"] = 1
    if page.profiling:
        lean += INSIGHT_LEANS["profiling"]
    return lean, wanted


def _insight_conditions(rng, position, wanted):
    """What would make one person more comfortable: fewer things the more comfortable they already are, and the
    conditions the entry's kind of use calls for (wanted) more often."""
    if position == len(Comfort.choices) - 1 and rng.random() < 0.15:
        return [Condition.NOTHING.value]
    pool = {c.value: 1 + wanted.get(c.value, 0) for c in Condition if c != Condition.NOTHING}
    if position < 2:  # comfortable
        how_many = rng.randint(0, 1)
    elif position == 2:  # not sure
        how_many = rng.randint(0, 2)
    else:
        how_many = rng.randint(1, 2)
    chosen = []
    for _ in range(how_many):
        condition = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(condition)
        del pool[condition]
    return sorted(chosen)
