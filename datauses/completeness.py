"""How complete an entry is: the optional but expected parts it lacks, and a score the editor sees.

Does not import datauses.models (the entry's edit handler imports this module): it reads the entry it is given
and its related managers, so it works on a saved entry, on a draft revision and on an entry whose rows were
prefetched (the coverage report).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

# The tab headings of the entry editor (datauses/models/entries.py), so the editor knows where to look.
CONTENT_TAB = _("Content")
DATA_TAB = _("Data")
LAW_TAB = _("Law, decisions and risks")
RIGHTS_TAB = _("Rights")


def _written(field):
    return lambda entry: bool((getattr(entry, field) or "").strip())


def _given(field):
    return lambda entry: getattr(entry, field) is not None


def _listed(relation):
    # .all() rather than .exists(), so prefetched rows and a draft's unsaved rows are counted without a query.
    return lambda entry: len(getattr(entry, relation).all()) > 0


def _assessed(entry):
    return _listed("impact_assessments")(entry) or _written("no_assessment_reason")(entry)


@dataclass(frozen=True)
class ExpectedPart:
    """Something an entry may go live without, but that readers expect (the going-live rules cover the rest)."""

    key: str
    label: str
    tab: str
    is_present: object  # entry -> bool


# What counts, in the order of the editor's tabs. Left out on purpose: sharing (an entry that shares with nobody
# lists nobody, which looks the same as one not filled in) and "anything else" (optional by nature).
EXPECTED_PARTS = (
    ExpectedPart("owner_team", _("The team that runs the service"), CONTENT_TAB, _given("owner_team_id")),
    ExpectedPart("start_date", _("When the service started, or will start"), CONTENT_TAB, _given("start_date")),
    ExpectedPart("not_used_for", _("What the data is not used for"), CONTENT_TAB, _written("not_used_for")),
    ExpectedPart(
        "alternatives_considered",
        _("What we considered instead"),
        CONTENT_TAB,
        _written("alternatives_considered"),
    ),
    ExpectedPart("data_categories", _("The kinds of data used, and why"), DATA_TAB, _listed("data_categories")),
    ExpectedPart("data_sources", _("Where the data comes from"), DATA_TAB, _written("data_sources")),
    ExpectedPart("lawful_basis_detail", _("The law or duty behind it"), LAW_TAB, _written("lawful_basis_detail")),
    ExpectedPart("risks", _("At least one risk and what we do about it"), LAW_TAB, _listed("risks")),
    ExpectedPart("impact_assessments", _("An impact assessment, or why none was done"), LAW_TAB, _assessed),
    ExpectedPart("challenge_url", _("A link to challenge a decision online"), RIGHTS_TAB, _written("challenge_url")),
)


@dataclass(frozen=True)
class Completeness:
    score: int  # 0 to 100
    missing: tuple  # the ExpectedParts the entry lacks, in the order of EXPECTED_PARTS

    @property
    def is_complete(self):
        return not self.missing


def completeness(entry):
    """The share of EXPECTED_PARTS the entry has, as a whole percentage, and the parts it lacks.

    Rounded down, so 100% means nothing is missing and 0% means nothing is there."""
    missing = tuple(part for part in EXPECTED_PARTS if not part.is_present(entry))
    present = len(EXPECTED_PARTS) - len(missing)
    return Completeness(score=present * 100 // len(EXPECTED_PARTS), missing=missing)


class CompletenessPanel(Panel):
    """The entry's completeness score and what is missing, with the broken links the last link check found."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "datauses/admin/completeness_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            entry = self.instance
            context["is_saved"] = entry.pk is not None
            if entry.pk is None:
                return context
            context["completeness"] = completeness(entry)
            # Checked by `manage.py check_entry_links` (datauses/link_checks.py), never while the editor waits.
            checks = list(entry.link_checks.all())
            context["broken_links"] = [check for check in checks if check.is_broken]
            context["links_checked_at"] = max((check.checked_at for check in checks), default=None)
            return context


def not_stated_labels(names):
    """Field names an import listed as not stated (datauses/register_import.py), as the editor's labels."""
    from_parts = {part.key: part.label for part in EXPECTED_PARTS}
    return [str(NOT_STATED_LABELS.get(name) or from_parts.get(name) or name.replace("_", " ")) for name in names]


NOT_STATED_LABELS = {
    "summary": _("Summary"),
    "service_area": _("Service area"),
    "status": _("Status"),
    "purpose": _("What the data is used for"),
    "benefits": _("How it helps people"),
    "data_sources": _("Where the data comes from"),
    "storage_location": _("Where the data is kept"),
    "leaves_uk": _("Whether the data leaves the UK"),
    "retention": _("How long the data is kept"),
    "lawful_basis": _("Lawful basis"),
    "decision_making": _("Automated decision-making"),
    "profiling": _("Profiling"),
    "uses_algorithm": _("Uses an algorithm or AI"),
    "opt_out": _("How to opt out or object"),
    "challenge_route": _("How to challenge a decision"),
    "challenge_offline": _("How to challenge without the internet"),
    "last_reviewed": _("Last reviewed"),
    "next_review_due": _("Next review due"),
    "data_categories": _("The kinds of data used"),
    "data_categories.reason": _("Why each kind of data is needed"),
    "sharing.purpose": _("Why the data is shared"),
    "risks.safeguard": _("What is done about each risk"),
    "tool_suppliers.role": _("What each supplier does"),
}


class NotStatedPanel(Panel):
    """What the file an entry was imported from did not state: shown until the editor has checked it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "datauses/admin/not_stated_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["not_stated"] = not_stated_labels(self.instance.not_stated or [])
            return context

        def is_shown(self):
            return bool(self.instance.not_stated)
