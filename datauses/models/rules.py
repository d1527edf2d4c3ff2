"""What an entry must say before it goes live (published, or sent for approval). Drafts may be incomplete.

One place for the rules, so that the admin's form, an importer and the tests all ask the same question. Each
rule names the field its message belongs on, so the editor sees it beside the field and on its tab."""

from django.utils.translation import gettext as _

from .choices import DecisionMaking


def going_live_problems(entry, kinds_of_data, assessment_count):
    """What stops ``entry`` going live, as {field name: message}; empty when nothing does.

    ``kinds_of_data`` are the DataCategory terms the entry lists (from the form, which may not be saved yet);
    ``assessment_count`` is how many impact assessments it lists."""
    problems = {}
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
    if (special or automated) and not assessment_count:
        problems["lawful_basis"] = _(
            "Add the impact assessment on this tab: entries with special category data, automated decisions or "
            "profiling need one before they go live."
        )
    return problems
