"""Puts the feedback forms at the end of an entry page, with a fresh signed start time."""

from django import template

from feedback.forms import FeedbackForm, FollowForm, ProblemReportForm
from feedback.guards import start_token
from feedback.reviews import open_review
from feedback.summary import summarise

register = template.Library()


@register.inclusion_tag("feedback/includes/forms.html", takes_context=True)
def feedback_forms(context, entry):
    return {
        "entry": entry,
        "form": FeedbackForm(),
        "problem_form": ProblemReportForm(),
        "start_token": start_token(entry.pk),
        "request": context.get("request"),
    }


@register.inclusion_tag("feedback/includes/summary.html")
def feedback_summary(entry):
    # Translations share the original entry's feedback and answers.
    # A preview of a new entry, before its first save, has no feedback yet.
    summary = summarise(entry.original_entry) if entry.pk else {"total": 0, "answers": [], "shown_comments": set()}
    return {"entry": entry, "summary": summary}


@register.inclusion_tag("feedback/includes/review_notice.html")
def review_notice(entry):
    """'Under review because of residents' feedback', while a review of the entry is open."""
    return {"entry": entry, "review": open_review(entry.original_entry) if entry.pk else None}


@register.inclusion_tag("feedback/includes/follow_form.html")
def follow_form(entry):
    """'Get emails when this entry changes': an address only, and no CSRF token or cookie, so the entry page
    stays cacheable (the follow view checks a signed start time instead, like the feedback forms)."""
    return {"entry": entry, "form": FollowForm(), "start_token": start_token(entry.pk)}
