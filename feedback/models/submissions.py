"""What people tell a council about an entry: sentiment, comments, reply addresses and page problem reports."""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin


class Comfort(models.TextChoices):
    VERY_COMFORTABLE = "very_comfortable", _("Very comfortable")
    FAIRLY_COMFORTABLE = "fairly_comfortable", _("Fairly comfortable")
    NOT_SURE = "not_sure", _("Not sure")
    FAIRLY_UNCOMFORTABLE = "fairly_uncomfortable", _("Fairly uncomfortable")
    VERY_UNCOMFORTABLE = "very_uncomfortable", _("Very uncomfortable")


COMFORTABLE = {Comfort.VERY_COMFORTABLE, Comfort.FAIRLY_COMFORTABLE}
UNCOMFORTABLE = {Comfort.FAIRLY_UNCOMFORTABLE, Comfort.VERY_UNCOMFORTABLE}


class Trust(models.TextChoices):
    # Own context: Welsh answers "Do you trust…?" with "Ydw" / "Nac ydw", not the filters' "Ie" / "Na".
    YES = "yes", pgettext_lazy("answer to 'Do you trust the council…?'", "Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", pgettext_lazy("answer to 'Do you trust the council…?'", "No")
    NOT_SURE = "not_sure", _("Not sure")


class Condition(models.TextChoices):
    CLEARER_EXPLANATION = "clearer_explanation", _("A clearer explanation")
    FEWER_PEOPLE = "fewer_people", _("Fewer people with access to the data")
    OPT_OUT = "opt_out", _("A way to opt out")
    OVERSIGHT = "oversight", _("Independent oversight")
    SHORTER_RETENTION = "shorter_retention", _("Keeping the data for less time")
    NOTHING = "nothing", _("Nothing would")


class State(models.TextChoices):
    NEW = "new", _("New")
    FLAGGED = "flagged", _("Flagged")
    REVIEWED = "reviewed", _("Reviewed")
    ANSWERED = "answered", _("Answered")
    NOT_ACTIONABLE = "not_actionable", _("Not actionable")
    SPAM = "spam", _("Hidden as spam")


class FeedbackSubmission(models.Model):
    """One person's answers about one entry, given on one published version of it."""

    # What residents send is not content: it is not a "usage" of the entry, and indexing it would add work
    # to every feedback post.
    wagtail_reference_index_ignore = True

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="feedback")
    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The published version of the entry the person was reading."),
    )
    comfort = models.CharField(max_length=30, choices=Comfort.choices)
    trust = models.CharField(max_length=20, choices=Trust.choices, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True, help_text=_("Personal details are removed before it is saved."))
    publish_consent = models.BooleanField(default=False, verbose_name=_("may be published without a name"))
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=_("The language of the page the person gave feedback on, such as cy for Welsh."),
    )
    approved_for_publication = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    state_reason = models.TextField(blank=True)
    flagged_personal_data = models.BooleanField(default=False)
    flagged_abuse = models.BooleanField(default=False)
    # Identical answers within a short window count once; see feedback.guards.
    dedupe_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Empty until the owners have been emailed (or there was nobody to email): the worker may still be
    # trying, for example while the mail server is down. See feedback.tasks.notify_owners.
    owners_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Whether the sentiment tallies (feedback.tallies) count it yet. Set by the worker, or by the first owner's
    # view to get there first; the partial index keeps the few waiting ones quick to find.
    tallied = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["entry"], condition=models.Q(tallied=False), name="feedback_not_yet_tallied")]

    def __str__(self):
        # "Fairly uncomfortable on 'Cameras' (BRS-0003), 1 December 2026, 21:23"
        return gettext("%(answer)s on %(entry)s, %(when)s") % {
            "answer": self.get_comfort_display(),
            "entry": f"'{self.entry.title}'" + (f" ({self.entry.reference})" if self.entry.reference else ""),
            "when": dateformat.format(timezone.localtime(self.created_at), "j F Y, H:i") if self.created_at else "",
        }

    @admin.display(description=_("Entry"), ordering="entry__title")
    def entry_label(self):
        """The entry by title and reference number: "Cameras (BRS-0003)"."""
        return f"{self.entry.title} ({self.entry.reference})" if self.entry.reference else self.entry.title

    @admin.display(description=_("Would be more comfortable with"))
    def condition_labels(self):
        """The conditions the person chose, in words (in the active language)."""
        labels = dict(Condition.choices)
        return [str(labels.get(code, code)) for code in self.conditions or []]

    @admin.display(description=_("Asked for a reply"), boolean=True)
    def asked_for_reply(self):
        """Whether the person left an address for a reply (never the address itself)."""
        return hasattr(self, "reply_contact")

    def reply_address_for(self, user):
        """The reply address, for the entry's owners only (members of its owner team's group); else None."""
        team = self.entry.owner_team
        if not (self.asked_for_reply() and team and team.group_id):
            return None
        return self.reply_contact.email if user.groups.filter(pk=team.group_id).exists() else None

    @admin.display(description=_("Language"))
    def language_name(self):
        """The language the person read the entry in, by name ("Cymraeg")."""
        return dict(settings.LANGUAGES).get(self.language, self.language)


class ReplyContact(models.Model):
    """An address for a reply, kept apart from the comment and deleted with it."""

    wagtail_reference_index_ignore = True  # not content (see FeedbackSubmission)

    submission = models.OneToOneField(FeedbackSubmission, on_delete=models.CASCADE, related_name="reply_contact")
    email = models.EmailField()

    def __str__(self):
        return f"Reply address for feedback {self.submission_id}"


class AboutYou(models.Model):
    """The optional 'about you' answers a council may ask for (Organisation.about_you_questions): kept apart from
    the comment, only ever reported in groups (feedback.insight), never exported one by one, and deleted with
    the response."""

    wagtail_reference_index_ignore = True  # not content (see FeedbackSubmission)

    submission = models.OneToOneField(FeedbackSubmission, on_delete=models.CASCADE, related_name="about_you")
    age_band = models.CharField(max_length=10, blank=True)
    uses_service = models.CharField(max_length=10, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True, help_text=_("The first half of a postcode only."))

    class Meta:
        verbose_name = _("'about you' answers")
        verbose_name_plural = _("'about you' answers")

    def __str__(self):
        return f"About the person who gave feedback {self.submission_id}"


class PageProblemReport(models.Model):
    """'Something on this page is wrong or unclear': for comms officers, not counted as sentiment."""

    wagtail_reference_index_ignore = True  # not content (see FeedbackSubmission)

    class Kind(models.TextChoices):
        WRONG = "wrong", _("A fact is wrong")
        UNCLEAR = "unclear", _("It is hard to understand")
        MISSING = "missing", _("Something is missing")

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="problem_reports")
    organisation = models.ForeignKey("datauses.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField(blank=True)
    flagged_personal_data = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    dedupe_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # "A fact is wrong on 'Chatbot' (BRS-0002), 1 December 2026, 21:23"
        return gettext("%(answer)s on %(entry)s, %(when)s") % {
            "answer": self.get_kind_display(),
            "entry": f"'{self.entry.title}'" + (f" ({self.entry.reference})" if self.entry.reference else ""),
            "when": dateformat.format(timezone.localtime(self.created_at), "j F Y, H:i") if self.created_at else "",
        }

    @admin.display(description=_("Entry"), ordering="entry__title")
    def entry_label(self):
        """The entry by title and reference number: "Chatbot (BRS-0002)"."""
        return f"{self.entry.title} ({self.entry.reference})" if self.entry.reference else self.entry.title


class NotificationPreference(models.Model):
    """How a service owner wants to hear about new feedback on their entries."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each response")
        DAILY = "daily", _("A daily summary")
        WEEKLY = "weekly", _("A weekly summary")
        NEVER = "never", _("No emails (a sudden run of 'uncomfortable' answers is still sent at once)")

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="feedback_preference")
    frequency = models.CharField(
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
        verbose_name=_("emails about new feedback on your entries"),
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} gets {self.get_frequency_display()}"


class OwnerAnswer(DraftStateMixin, RevisionMixin, models.Model):
    """The council's public answer to a theme in the feedback, or to one comment: "You said, we did"."""

    class Outcome(models.TextChoices):
        CONSIDERING = "considering", _("We are considering this")
        CHANGED = "changed", _("We have made a change")
        NO_CHANGE = "no_change", _("We have not made a change, and this is why")

    entry = models.ForeignKey(
        "datauses.DataUsePage",
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("The register entry this answer is about."),
    )
    submission = models.ForeignKey(
        FeedbackSubmission,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text=_("Optional. The one comment this answers. Leave empty to answer a theme."),
    )
    you_said = models.TextField(
        verbose_name=_("you said"), help_text=_("Sum up what people told you, in their words where you can.")
    )
    we_did = models.TextField(verbose_name=_("we did"), help_text=_("What the council did or will do, and why."))
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.CONSIDERING)
    changed_version_url = models.URLField(
        blank=True,
        verbose_name=_("link to the change"),
        help_text=_("If you changed the entry or the service because of this, link to the changed entry or notice."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="owner_answer")

    panels = [
        FieldPanel("entry"),
        FieldPanel("submission"),
        # Needed even on a draft, so that choosing an entry never leaves a blank answer in the list.
        FieldPanel("you_said", required_on_save=True),
        FieldPanel("we_did", required_on_save=True),
        FieldPanel("outcome"),
        FieldPanel("changed_version_url"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("public answer")

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.you_said[:60]}"


class PrivateReply(models.Model):
    """An owner's email to the one person who left an address with their feedback. Kept with the feedback;
    the address itself stays in ReplyContact and is deleted with the comment."""

    wagtail_reference_index_ignore = True  # not content (see FeedbackSubmission)

    submission = models.ForeignKey(FeedbackSubmission, on_delete=models.CASCADE, related_name="private_replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(
        verbose_name=_("your reply"),
        help_text=_("Sent by email to this person only. It is not published. Write as you would to a resident."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Empty until the worker has sent it; see feedback.tasks.send_private_reply.
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why it could not be sent, in words, when it never will be (the address was deleted first).
    not_sent_reason = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("private reply")
        verbose_name_plural = _("private replies")

    def __str__(self):
        return f"Reply to feedback {self.submission_id}"


class ReviewRule(models.Model):
    """When a run of negative feedback opens a review of a team's entries. Set by the team's owners; a team
    without one uses the defaults."""

    team = models.OneToOneField("datauses.ServiceOwnerTeam", on_delete=models.CASCADE, related_name="review_rule")
    uncomfortable_count = models.PositiveSmallIntegerField(
        default=10,
        verbose_name=_("uncomfortable answers"),
        help_text=_("Open a review when this many people say they are uncomfortable within the days below."),
    )
    window_days = models.PositiveSmallIntegerField(
        default=30, verbose_name=_("within this many days"), help_text=_("For example 30.")
    )
    net_score_drop = models.PositiveSmallIntegerField(
        default=30,
        verbose_name=_("fall in net comfort score"),
        help_text=_(
            "Also open a review when the net comfort score (from -100 to 100) falls by this much between two "
            "published versions of an entry, each with at least 10 responses. 0 turns this off."
        ),
    )

    class Meta:
        verbose_name = _("review rule")

    def __str__(self):
        return f"Review rule for {self.team}"


class Review(models.Model):
    """A review of an entry opened by residents' feedback. It ends with a published answer or a new version."""

    class Reason(models.TextChoices):
        UNCOMFORTABLE_RUN = "uncomfortable_run", _("Many people said they were uncomfortable")
        SCORE_FELL = "score_fell", _("The net comfort score fell after a change")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("The council published an answer")
        NEW_VERSION = "new_version", _("The council published a new version of the entry")

    wagtail_reference_index_ignore = True

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="reviews")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    detail = models.TextField(blank=True, help_text=_("What opened it, in words."))
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    answer = models.ForeignKey(OwnerAnswer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("review")

    def __str__(self):
        return f"Review of {self.entry_id} opened {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.closed_at is None


class Follower(models.Model):
    """Someone who asked for emails: about one entry (``entry``), or an alert about new and changed entries of a
    council, a service area or a kind of data (``entry`` empty, ``topic`` set). No account: an address and a
    secret token for the confirm and unsubscribe links, the same for both (feedback.following). Kept apart from
    any feedback and used for nothing else."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as an entry is published")
        DAILY = "daily", _("Once a day, if anything was published")

    wagtail_reference_index_ignore = True

    entry = models.ForeignKey(
        "datauses.DataUsePage", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    # An alert's filters (any may be empty, not all): kept in the site's main language.
    council = models.ForeignKey(
        "datauses.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service_area = models.ForeignKey(
        "datauses.ServiceArea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data_category = models.ForeignKey(
        "datauses.DataCategory", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The alert's filters as one key, so an address asks for the same alert only once.
    topic = models.CharField(max_length=200, blank=True, default="")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField()
    language = models.CharField(max_length=10, blank=True, default="")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Confirming, or asking to follow again, counts as activity; see feedback.retention.
    last_active_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "email"], name="one_follow_per_address"),
            models.UniqueConstraint(
                fields=["topic", "email"], condition=~models.Q(topic=""), name="one_alert_per_address"
            ),
        ]

    def __str__(self):
        if self.entry_id:
            return f"Follower {self.pk} of entry {self.entry_id}"
        return f"Alert {self.pk} ({self.topic})"

    @property
    def is_alert(self):
        return self.entry_id is None
