"""Puts the feedback forms at the end of an entry page, with a fresh signed start time."""

from django import template

from feedback.forms import FeedbackForm, ProblemReportForm
from feedback.guards import start_token
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
    return {"entry": entry, "summary": summarise(entry.original_entry)}
