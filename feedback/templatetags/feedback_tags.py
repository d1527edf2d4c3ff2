"""Puts the feedback forms at the end of an entry page, with a fresh signed start time."""

from django import template

from base import memo
from feedback.forms import FeedbackForm, FollowForm, ProblemReportForm
from feedback.guards import start_token
from feedback.reviews import open_review
from feedback.summary import summarise

register = template.Library()

# How long an entry page's counts of responses may be remembered (base.memo).
COUNTS_SECONDS = 60


@register.inclusion_tag("feedback/includes/forms.html", takes_context=True)
def feedback_forms(context, entry):
    return {
        "entry": entry,
        "form": FeedbackForm(questions=entry.organisation.about_you_questions),
        "problem_form": ProblemReportForm(),
        "start_token": start_token(entry.pk),
        "request": context.get("request"),
    }


@register.inclusion_tag("feedback/includes/summary.html", takes_context=True)
def feedback_summary(context, entry):
    # Translations share the original entry's feedback and answers.
    # A preview of a new entry, before its first save, has no feedback yet.
    if not entry.pk:
        return {"entry": entry, "summary": {"total": 0, "answers": [], "shown_comments": set()}}
    # Published answers start a new content generation; new responses and approved comments show within
    # COUNTS_SECONDS (as long as a page cache or CDN may keep the whole page anyway).
    summary = memo.remember(
        context.get("request"), ("summary", entry.pk), lambda: summarise(entry.original_entry), COUNTS_SECONDS
    )
    return {"entry": entry, "summary": summary}


@register.inclusion_tag("feedback/includes/review_notice.html", takes_context=True)
def review_notice(context, entry):
    """'Under review because of residents' feedback', while a review of the entry is open."""
    if not entry.pk:
        return {"entry": entry, "review": None}
    review = memo.remember(context.get("request"), ("review", entry.pk), lambda: open_review(entry.original_entry))
    return {"entry": entry, "review": review}


@register.inclusion_tag("feedback/includes/follow_form.html")
def follow_form(entry):
    """'Get emails when this entry changes': an address only, and no CSRF token or cookie, so the entry page
    stays cacheable (the follow view checks a signed start time instead, like the feedback forms)."""
    return {"entry": entry, "form": FollowForm(), "start_token": start_token(entry.pk)}
