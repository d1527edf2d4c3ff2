"""What an entry must say before it goes live (published, or sent for approval). Drafts may be incomplete.

One place for the rules, so that the admin's form, an importer and the tests all ask the same question. Each
rule names the field its message belongs on, so the editor sees it beside the field and on its tab."""

import re

from django.utils.translation import gettext as _

from .choices import DecisionMaking

# Web and email addresses: what is left once they are taken out of the offline way to challenge must say something.
ONLINE_ONLY = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+)", re.IGNORECASE)


def going_live_problems(entry, kinds_of_data, assessment_count, published_note=None):
    """What stops ``entry`` going live, as {field name: message}; empty when nothing does.

    ``kinds_of_data`` are the DataCategory terms the entry lists (from the form, which may not be saved yet);
    ``assessment_count`` is how many impact assessments it lists; ``published_note`` is the change note of the
    version now live (None if the entry has never been published: the first publication needs no note)."""
    problems = {}
    if not entry.lawful_basis:
        problems["lawful_basis"] = _("Choose the lawful basis: nobody has chosen one yet.")
    special = [kind for kind in kinds_of_data if kind is not None and kind.is_special_category]
    if special and not entry.special_category_condition:
        problems["special_category_condition"] = _(
            "Choose an Article 9 condition: this entry uses special category data (%(kinds)s)."
        ) % {"kinds": ", ".join(str(kind) for kind in special)}
    if entry.leaves_uk and not (entry.international_transfers or "").strip():
        problems["international_transfers"] = _(
            "Say which countries the data goes to and the legal safeguard that protects it, because you ticked "
            "that data leaves the UK."
        )
    automated = entry.decision_making == DecisionMaking.AUTOMATED or entry.profiling
    if automated and not (entry.algorithm_description or "").strip():
        problems["algorithm_description"] = _(
            "Say what the computer does and decides: this entry uses automated decisions or profiling."
        )
    if automated and not (entry.human_review or "").strip():
        problems["human_review"] = _(
            "Say how a person checks the computer's results: this entry uses automated decisions or profiling."
        )
    if not entry.decision_making:
        problems["decision_making"] = _(
            "Choose whether a computer makes or helps make decisions about people, even if the answer is no."
        )
    if (special or automated) and not assessment_count and not (entry.no_assessment_reason or "").strip():
        problems["no_assessment_reason"] = _(
            "Add the impact assessment on this tab, or say why none was done: entries with special category data, "
            "automated decisions or profiling need one or the other before they go live."
        )
    offline = ONLINE_ONLY.sub("", entry.challenge_offline or "")
    if not any(character.isalnum() for character in offline):
        problems["challenge_offline"] = _(
            "Give a way to challenge that does not need the internet: a phone number, a postal address or a "
            "place to visit."
        )
    if entry.last_reviewed and entry.next_review_due and entry.next_review_due <= entry.last_reviewed:
        problems["next_review_due"] = _("The next review must be after the last review.")
    if published_note is not None and (entry.change_note or "").strip() in ("", published_note.strip()):
        problems["change_note"] = _(
            "Say what changed in this version, for the public, for example 'Added the sharing with the NHS trust'."
        )
    return problems
