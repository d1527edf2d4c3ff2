"""What residents accept: the feedback on single entries added up by the kind of use (kind of data, service area,
sharing, automated decisions, lawful basis), for each council and for the partnership, with honest numbers.

- Figures are counted in the database from the sentiment tallies (feedback.tallies), grouped, never a loop over
  responses, and kept in PublishedInsight: the worker works them out again when feedback arrives (at most every
  REFRESH_MINUTES) and `python manage.py refresh_insight` on a schedule, so a page reads one row.
- Only entries with at least MIN_RESPONSES responses whose page shows what people said are counted (their
  figures are public already, so no group can be used to work out what an entry's page does not show).
- A group with fewer than MIN_RESPONSES responses is withheld. So that a withheld group can never be worked out
  by subtraction (a council's total less its other groups, the partnership's figure less the other councils'),
  every set of figures that adds up to another has either no withheld figure, or several that together make at
  least MIN_RESPONSES: where that is not so, the next smallest is withheld too. The pages and downloads say
  only that a figure is withheld, not why (that it protects another would say it is at least 10).
- Who answered the optional 'about you' questions moves on only once at least MIN_RESPONSES more responses have
  come, so that figures compared before and after one response never tell what that person said.
- Proportions carry a 95% Wilson interval; groups are listed in a fixed order, never ranked by their figures, and
  one is called more or less comfortable than all responses only when the two intervals do not overlap.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datauses.models import (
    AboutYouQuestion,
    AgeBand,
    DataCategory,
    DataSharing,
    DataUseCategory,
    DataUsePage,
    DecisionMaking,
    LawfulBasis,
    Organisation,
    ServiceArea,
    SharingPartner,
    UsesService,
)

from .models import (
    COMFORTABLE,
    COMFORTS,
    UNCOMFORTABLE,
    Condition,
    EntrySentiment,
    FeedbackSubmission,
    MonthTally,
    PublishedInsight,
    State,
    Trust,
)

MIN_RESPONSES = 10
REFRESH_MINUTES = 10
Z_95 = 1.959964
ALL = "all"  # the partnership, as a scope
TRUSTS = [choice.value for choice in Trust]
CONDITIONS = [choice.value for choice in Condition]
NUMBERS = ["responses", *COMFORTS, *(f"trust_{t}" for t in TRUSTS), *(f"condition_{c}" for c in CONDITIONS)]


@dataclass(frozen=True)
class Topic:
    """A way of grouping entries: ``single`` when each entry is in exactly one group (so the groups add up to
    the total), else an entry may be in several (kinds of data, sharing partners)."""

    code: str
    label: str
    single: bool
    question: str = ""


TOPICS = [
    Topic("data_category", _("Kind of data"), False, _("How comfortable people are, by the kind of data used")),
    Topic(
        "special_category",
        _("Special category data"),
        True,
        _("Entries that use special category data (such as health or ethnicity) and entries that do not"),
    ),
    Topic("service_area", _("Service area"), True, _("How comfortable people are, by the part of the council's work")),
    Topic("sharing", _("Sharing"), False, _("Whether the data is shared, and with what kind of organisation")),
    Topic("decision_making", _("Automated decisions"), True, _("Whether a computer makes or helps make decisions")),
    Topic("uses_algorithm", _("Algorithms and AI"), True, _("Whether an algorithm or AI tool is used")),
    Topic("lawful_basis", _("Lawful basis"), True, _("The lawful basis the council uses (UK GDPR Article 6)")),
]
TOPIC_CODES = [topic.code for topic in TOPICS]
TOPICS_BY_CODE = {topic.code: topic for topic in TOPICS}
MONTH = "month"  # the change over time, a single-valued grouping too
TOTAL = "total"  # the whole scope, group ALL
# Who answered: a topic for each optional 'about you' question, only for the councils that ask it.
ABOUT = "about_"
ABOUT_TOPICS = [ABOUT + code for code in AboutYouQuestion.values]
ABOUT_TOTAL = ABOUT + "total"  # the responses who-answered figures count, group ALL


def wilson(successes, n, z=Z_95):
    """The 95% Wilson score interval of a proportion, as (low, high) fractions; None when n is 0."""
    if not n:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


# An entry's tally that is counted: at least MIN_RESPONSES, on an entry whose page shows what people said (see
# the module's docstring).
COUNTED = Q(total__gte=MIN_RESPONSES, entry__show_feedback_summary=True)


def _aggregates():
    """The sums of the counted entries' tallies, and (``small``) how many responses the rest had."""
    sums = {"responses": Coalesce(Sum("total", filter=COUNTED), 0)}
    for comfort in COMFORTS:
        sums[comfort] = Coalesce(Sum(comfort, filter=COUNTED), 0)
    for trust in TRUSTS:
        sums[f"trust_{trust}"] = Coalesce(Sum(Cast(KT(f"trust__{trust}"), IntegerField()), filter=COUNTED), 0)
    for condition in CONDITIONS:
        sums[f"condition_{condition}"] = Coalesce(
            Sum(Cast(KT(f"conditions__{condition}"), IntegerField()), filter=COUNTED), 0
        )
    sums["small"] = Coalesce(Sum("total", filter=~COUNTED), 0)
    return sums


def _group_code(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    return value or ""


def _sentiments(counted_only=True):
    """The tallies of live, public entries (in every language) with at least MIN_RESPONSES responses (or all of
    them, for counting the responses left out too)."""
    tallies = EntrySentiment.objects.filter(entry__in=DataUsePage.objects.live().public().values("pk")).order_by()
    return tallies.filter(COUNTED) if counted_only else tallies


def counted_entries():
    """The entries the figures count (their ids, as a subquery)."""
    return _sentiments().values("entry_id")


def _single(queryset, group, aggregates):
    rows = queryset.values(group=group, council=F("entry__organisation__slug")).annotate(**aggregates)
    return [(_group_code(row.pop("group")), row.pop("council"), row) for row in rows]


def _each(queryset, groups, aggregates):
    """One grouped query per group of a topic whose entries may be in several (no entry counted twice)."""
    found = []
    for code, condition in groups:
        for row in queryset.filter(condition).values(council=F("entry__organisation__slug")).annotate(**aggregates):
            found.append((code, row.pop("council"), row))
    return found


def count_everything():
    """Every topic's figures per (topic, group, council), unsuppressed, straight from the database:
    {(topic, group, council): {number: n, ...}}."""
    sentiments = _sentiments(counted_only=False)
    sums = _aggregates()
    special = DataUseCategory.objects.filter(page_id=OuterRef("entry_id"), category__is_special_category=True)
    rows = {
        TOTAL: _single(sentiments, Value(ALL), sums),
        "special_category": _single(sentiments.annotate(special=Exists(special)), F("special"), sums),
        "service_area": _single(sentiments, F("entry__service_area__slug"), sums),
        "decision_making": _single(sentiments, F("entry__decision_making"), sums),
        "uses_algorithm": _single(sentiments, F("entry__uses_algorithm"), sums),
        "lawful_basis": _single(sentiments, F("entry__lawful_basis"), sums),
    }
    categories = DataUseCategory.objects.filter(page__in=DataUsePage.objects.live().public().values("pk"))
    slugs = sorted(set(categories.values_list("category__slug", flat=True)))
    rows["data_category"] = _each(
        sentiments,
        [
            (slug, Exists(DataUseCategory.objects.filter(page_id=OuterRef("entry_id"), category__slug=slug)))
            for slug in slugs
        ],
        sums,
    )
    shared = DataSharing.objects.filter(page_id=OuterRef("entry_id"))
    rows["sharing"] = _each(
        sentiments,
        [("none", ~Exists(shared))]
        + [(kind.value, Exists(shared.filter(partner__kind=kind.value))) for kind in SharingPartner.Kind],
        sums,
    )
    counted_entries = sentiments.filter(COUNTED).values("entry_id")
    months = MonthTally.objects.filter(entry__in=counted_entries).order_by()
    month_sums = {comfort: Coalesce(Sum(comfort), 0) for comfort in COMFORTS}
    rows[MONTH] = [
        (code, council, {**counts, "responses": sum(counts[c] for c in COMFORTS), "small": 0})
        for code, council, counts in _single(months, F("month"), month_sums)
    ]
    cells = {}
    for topic, found in rows.items():
        for group, council, counts in found:
            cell = cells.setdefault((topic, group, council), dict.fromkeys([*NUMBERS, "small"], 0))
            for name, n in counts.items():
                cell[name] += n or 0
    # The decision-making answer "" (not given) is the same as "none": no automated decisions were declared.
    for (topic, group, council), cell in list(cells.items()):
        if topic == "decision_making" and group == "":
            target = cells.setdefault((topic, DecisionMaking.NONE.value, council), dict.fromkeys(cell, 0))
            for name, n in cell.items():
                target[name] += n
            del cells[topic, group, council]
    return cells


OTHER_DISTRICTS = "*"  # postcode districts with fewer than MIN_RESPONSES answers, together


def count_about_you(sentiments=None):
    """Who answered, for each council that asks an 'about you' question: {(about_<question>, answer, council):
    numbers}, answer "" for the people who did not answer it, and (ABOUT_TOTAL, ALL, council) for all the
    responses counted, which each question's groups add up to. Only the responses the other figures count (the
    tallied ones, on the same entries). Postcode districts with fewer than MIN_RESPONSES answers are put together
    as OTHER_DISTRICTS, so that no district's name says that somebody from there answered."""
    sentiments = _sentiments() if sentiments is None else sentiments
    by_comfort = {comfort: Count("pk", filter=Q(comfort=comfort)) for comfort in COMFORTS}
    cells = {}
    # One row a council (its copies in other languages share its slug and questions).
    asked = dict(Organisation.objects.order_by("slug", "pk").values_list("slug", "about_you_questions"))
    for slug, questions in asked.items():
        for question in [code for code in AboutYouQuestion.values if code in (questions or [])]:
            answers = (
                FeedbackSubmission.objects.filter(
                    entry__in=sentiments.values("entry_id"), organisation__slug=slug, tallied=True
                )
                .exclude(state=State.SPAM)
                .order_by()
                .values(answer=Coalesce(f"about_you__{question}", Value("")))
                .annotate(**by_comfort)
            )
            total = dict.fromkeys([*NUMBERS, "small"], 0)
            for row in answers:
                cell = dict.fromkeys([*NUMBERS, "small"], 0)
                cell.update({comfort: row[comfort] for comfort in COMFORTS})
                cell["responses"] = sum(row[comfort] for comfort in COMFORTS)
                if not cell["responses"]:
                    continue
                total = _add(total, cell)
                answer = row["answer"]
                if question == AboutYouQuestion.POSTCODE_DISTRICT and answer and cell["responses"] < MIN_RESPONSES:
                    answer = OTHER_DISTRICTS
                key = (ABOUT + question, answer, slug)
                cells[key] = _add(cells.get(key), cell)
            if total["responses"]:
                cells[ABOUT_TOTAL, ALL, slug] = total
    return cells


def _add(cell, more):
    if cell is None:
        return dict(more)
    return {name: cell[name] + more[name] for name in cell}


def with_partnership(cells):
    """Add the partnership's figures (scope ALL): each topic's group summed over the councils (not who answered:
    the councils ask different questions)."""
    summed = dict(cells)
    for (topic, group, _council), cell in cells.items():
        if topic.startswith(ABOUT):
            continue
        total = summed.setdefault((topic, group, ALL), dict.fromkeys(cell, 0))
        for name, n in cell.items():
            total[name] += n
    return summed


@dataclass
class Suppression:
    """Which cells are withheld, and why: "few" (under MIN_RESPONSES) or "protect" (so that a withheld one
    cannot be worked out by subtraction)."""

    why: dict = field(default_factory=dict)

    def __contains__(self, key):
        return key in self.why


def lines(cells, councils):
    """Every set of cells that adds up to a shown total: (total, [members])."""
    groups, scopes = {}, {}
    for topic, group, scope in cells:
        groups.setdefault(topic, set()).add(group)
        scopes.setdefault(topic, set()).add(scope)
    found = []
    for topic, topic_groups in groups.items():
        about = topic.startswith(ABOUT)
        if not about:
            for group in topic_groups:
                # The partnership's figure is the sum of the councils'.
                found.append(((topic, group, ALL), [(topic, group, council) for council in councils]))
        if topic == TOTAL:
            continue
        if topic == ABOUT_TOTAL:
            continue
        if about or topic == MONTH or TOPICS_BY_CODE[topic].single:
            # A single-valued topic's groups add up to the scope's total (who answered: to the responses counted).
            total = ABOUT_TOTAL if about else TOTAL
            for scope in sorted(scopes[topic]) if about else [*councils, ALL]:
                found.append(((total, ALL, scope), [(topic, group, scope) for group in sorted(topic_groups)]))
    return found


def suppress(cells, councils):
    """Work out which cells to withhold (see the module's docstring): in every line, no withheld figure alone, and
    the withheld members together none or at least MIN_RESPONSES. Where another cell must be withheld, the
    smallest one is taken that does not equal a total on its own (withholding that would only move the problem);
    failing that, the total of the line unless it is a council's or the partnership's whole total (which would
    take every other figure with it)."""
    withheld = Suppression()
    for key, cell in cells.items():
        if 0 < cell["responses"] < MIN_RESPONSES:
            withheld.why[key] = "few"
    equations = lines(cells, councils)

    def responses(key):
        return cells.get(key, {}).get("responses", 0)

    def unknown(key):
        return key in withheld and responses(key) > 0  # a group nobody answered about is known to be empty

    pinned = set()  # the only member with responses of some line: it equals that line's total
    for _total, members in equations:
        answered = [key for key in members if responses(key)]
        if len(answered) == 1:
            pinned.add(answered[0])

    def exposed(total, members):
        """Whether the line gives a withheld figure away: one alone, or members whose sum (the total less the
        members shown) is a small group."""
        hidden = [key for key in [total, *members] if unknown(key)]
        if len(hidden) == 1:
            return True
        return total not in hidden and 0 < sum(responses(key) for key in hidden) < MIN_RESPONSES

    changed = True
    while changed:
        changed = False
        for total, members in equations:
            if not exposed(total, members):
                continue
            shown = sorted(
                (key for key in members if responses(key) and not unknown(key)), key=lambda k: (responses(k), k)
            )
            free = [key for key in shown if key not in pinned]
            if free:
                extra = free[0]
            elif not unknown(total) and total[0] not in (TOTAL, ABOUT_TOTAL):
                extra = total
            elif shown:
                extra = shown[0]
            elif not unknown(total):
                extra = total
            else:
                continue  # every member with responses and the total are withheld already
            withheld.why[extra] = "protect"
            changed = True
    return withheld


def publishable(cells=None, previous=None, now=None):
    """The figures as they may be published: {"cells": {"topic|group|scope": numbers, or {"withheld": "yes"} (or
    "uncounted": only entries under MIN_RESPONSES had answers)}, "councils": [...], "groups": {topic: [group]},
    "about_counted": {council: responses}, "about_counted_at": {council: date}}.

    Who answered (the 'about you' figures) moves on only once at least MIN_RESPONSES more responses have come
    since ``previous`` worked them out: otherwise the previous ones are kept, so that comparing the figures
    before and after one response can never tell what that one person said about themselves."""
    now = now or timezone.now()
    if cells is None:
        cells = count_everything()
        cells.update(count_about_you())
    kept_about, about_counted, about_counted_at = {}, {}, {}
    for slug in sorted({scope for (topic, _group, scope) in cells if topic == ABOUT_TOTAL}):
        counted = cells[ABOUT_TOTAL, ALL, slug]["responses"]
        before = (previous or {}).get("about_counted", {}).get(slug)
        if before is not None and 0 <= counted - before < MIN_RESPONSES:
            about_counted[slug], about_counted_at[slug] = before, previous["about_counted_at"][slug]
            kept_about.update(
                {
                    key: cell
                    for key, cell in previous["cells"].items()
                    if key.startswith(ABOUT) and key.endswith(f"|{slug}")
                }
            )
            cells = {key: cell for key, cell in cells.items() if not (key[0].startswith(ABOUT) and key[2] == slug)}
        else:
            about_counted[slug], about_counted_at[slug] = counted, now.date().isoformat()
    cells = with_partnership(cells)
    councils = sorted({scope for (_topic, _group, scope) in cells if scope != ALL})
    withheld = suppress(cells, councils)
    published = {}
    for key, cell in cells.items():
        if key in withheld:
            # Not why: that a figure was withheld only to protect another would say it is at least 10.
            published["|".join(key)] = {"withheld": "yes"}
        elif cell["responses"]:
            published["|".join(key)] = {name: cell[name] for name in NUMBERS}
        elif cell.get("small"):
            # Only responses on entries with fewer than MIN_RESPONSES each, which no figure counts: say that
            # there were some, rather than leave the group out as if nobody had answered.
            published["|".join(key)] = {"withheld": "uncounted"}
    published.update(kept_about)
    groups = {}
    for key in published:
        topic, group, _scope = key.split("|")
        groups.setdefault(topic, set()).add(group)
    return {
        "councils": councils,
        "groups": {topic: sorted(found) for topic, found in groups.items()},
        "cells": published,
        "about_counted": about_counted,
        "about_counted_at": about_counted_at,
    }


def refresh(now=None):
    """Work the figures out again and keep them. Pages already kept by the page cache show the old ones until
    they expire (PAGE_CACHE_SECONDS, minutes): not worth forgetting every page of the site for."""
    now = now or timezone.now()
    with transaction.atomic():
        kept = PublishedInsight.objects.select_for_update().filter(pk=1).first()
        figures = publishable(previous=kept.figures if kept else None, now=now)
        if kept is None:
            try:
                with transaction.atomic():
                    PublishedInsight.objects.create(pk=1, figures=figures, computed_at=now)
            except IntegrityError:  # two first requests at once: the other one kept its figures
                PublishedInsight.objects.filter(pk=1).update(figures=figures, computed_at=now)
        else:
            kept.figures, kept.computed_at = figures, now
            kept.save(update_fields=["figures", "computed_at"])
    return figures


def refresh_if_due(now=None):
    """From the worker when feedback arrives: work the figures out again unless they are under REFRESH_MINUTES old."""
    now = now or timezone.now()
    kept = PublishedInsight.objects.filter(pk=1).values_list("computed_at", flat=True).first()
    if kept is not None and now - kept < datetime.timedelta(minutes=REFRESH_MINUTES):
        return False
    refresh(now=now)
    return True


def current():
    """The published figures and when they were worked out (worked out now if they never were)."""
    kept = PublishedInsight.objects.filter(pk=1).first()
    if kept is None:
        return refresh(), timezone.now()
    return kept.figures, kept.computed_at


# Reading the published figures ------------------------------------------------------------------------------


@dataclass
class Figure:
    """One group's published figures, ready to show."""

    topic: str
    group: str
    scope: str
    label: str = ""
    withheld: str = ""  # "few" or "protect" when not shown
    responses: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def shown(self):
        return not self.withheld and self.responses > 0

    @property
    def withheld_text(self):
        """Why the group is not shown, in words: the same on the page, in the charts and in the downloads."""
        if self.withheld == "uncounted":
            return _("Not shown: only entries with fewer than %(n)s responses each, which no figure counts") % {
                "n": MIN_RESPONSES
            }
        return _("Not shown: too few responses, or it would let a smaller group be worked out")

    @property
    def comfortable(self):
        return sum(self.counts.get(c, 0) for c in COMFORTABLE)

    @property
    def uncomfortable(self):
        return sum(self.counts.get(c, 0) for c in UNCOMFORTABLE)

    def percent(self, n):
        return round(100 * n / self.responses) if self.responses else 0

    @property
    def comfortable_percent(self):
        return self.percent(self.comfortable)

    @property
    def uncomfortable_percent(self):
        return self.percent(self.uncomfortable)

    @property
    def not_sure_percent(self):
        return self.percent(self.counts.get("not_sure", 0))

    @property
    def interval(self):
        """The comfortable share's 95% interval in whole per cent: (low, high)."""
        found = wilson(self.comfortable, self.responses)
        return (round(100 * found[0]), round(100 * found[1])) if found else None

    @property
    def trust_answers(self):
        return sum(self.counts.get(f"trust_{t}", 0) for t in TRUSTS)

    @property
    def trust_enough(self):
        return self.trust_answers >= MIN_RESPONSES

    @property
    def trust_percent(self):
        """The share of those who answered the trust question who said yes."""
        answers = self.trust_answers
        return round(100 * self.counts.get("trust_yes", 0) / answers) if answers else 0

    @property
    def trust_interval(self):
        found = wilson(self.counts.get("trust_yes", 0), self.trust_answers)
        return (round(100 * found[0]), round(100 * found[1])) if found else None

    def condition_count(self, condition):
        return self.counts.get(f"condition_{condition}", 0)

    def compared_with(self, overall):
        """ "higher", "lower" or "same": whether this group's interval lies wholly above or below ``overall``'s."""
        mine, theirs = wilson(self.comfortable, self.responses), wilson(overall.comfortable, overall.responses)
        if not (mine and theirs and self.shown and overall.shown):
            return ""
        if mine[0] > theirs[1]:
            return "higher"
        if mine[1] < theirs[0]:
            return "lower"
        return "same"


def figure(figures, topic, group, scope, label=""):
    found = figures["cells"].get(f"{topic}|{group}|{scope}")
    if found is None:
        return Figure(topic, group, scope, label)
    if "withheld" in found:
        return Figure(topic, group, scope, label, withheld=found["withheld"])
    return Figure(topic, group, scope, label, responses=found["responses"], counts=found)


def sharing_labels():
    return {"none": _("Not shared"), **{kind.value: kind.label for kind in SharingPartner.Kind}}


def fixed_labels():
    """Labels of the groups that do not come from the council's own lists (which labels() looks up)."""
    yes_no = {
        "special_category": {"yes": _("Uses special category data"), "no": _("No special category data")},
        "uses_algorithm": {"yes": _("Uses an algorithm or AI"), "no": _("No algorithm or AI")},
    }
    not_answered = {"": _("Did not answer")}
    return {
        **yes_no,
        ABOUT + AboutYouQuestion.AGE_BAND: {**dict(AgeBand.choices), **not_answered},
        ABOUT + AboutYouQuestion.USES_SERVICE: {
            UsesService.YES: _("Use the service"),
            UsesService.NO: _("Do not use the service"),
            **not_answered,
        },
        ABOUT + AboutYouQuestion.POSTCODE_DISTRICT: {OTHER_DISTRICTS: _("Other districts"), **not_answered},
        "sharing": sharing_labels(),
        "decision_making": dict(DecisionMaking.choices),
        "lawful_basis": {**dict(LawfulBasis.choices), "": _("Not given")},
    }


def group_order(topic, groups):
    """Groups in a fixed order that does not depend on their figures: the order of the choices, else by name."""
    if topic == "sharing":
        order = list(sharing_labels())
        return sorted(groups, key=lambda g: order.index(g) if g in order else len(order))
    if topic == "decision_making":
        order = [choice.value for choice in DecisionMaking]
        return sorted(groups, key=lambda g: order.index(g) if g in order else len(order))
    if topic in {"special_category", "uses_algorithm"}:
        return sorted(groups, key=lambda g: g != "yes")
    if topic.startswith(ABOUT):
        order = {
            ABOUT + AboutYouQuestion.AGE_BAND: AgeBand.values,
            ABOUT + AboutYouQuestion.USES_SERVICE: UsesService.values,
        }
        known = order.get(topic, [])
        # The answers in their own order (postcode districts alphabetically), then other districts, then "did not
        # answer".
        return sorted(
            groups, key=lambda g: (g == "", g == OTHER_DISTRICTS, known.index(g) if g in known else len(known), g)
        )
    return list(groups)


def labels(locale):
    """Every group's label in ``locale``: {topic: {group: label}}."""
    return {
        **fixed_labels(),
        "data_category": names_by_slug(DataCategory, locale),
        "service_area": {**names_by_slug(ServiceArea, locale), "": _("Not given")},
    }


def names_by_slug(model, locale):
    """{slug: name} of a translatable model, in ``locale`` where it has that version."""
    names = {}
    for slug, name, locale_id in model.objects.values_list("slug", "name", "locale_id"):
        if locale_id == locale.pk or slug not in names:
            names[slug] = name
    return names


def weighted_comfort(figures, scope, profile):
    """The comfortable share weighted to the population by age band (post-stratification on one variable): each
    age band's own comfortable share, weighted by its share of residents (``profile``, {band: percent}) instead
    of its share of answers. Only bands shown on the page are used (so it is worked out from published figures),
    and their residents' shares are scaled to add up to 100%. Returns None when no band can be used, else the
    percent, a 95% interval (a normal approximation), and the share of residents the bands used cover."""
    used = []
    for band, share in profile.items():
        found = figure(figures, ABOUT + AboutYouQuestion.AGE_BAND, band, scope)
        if found.shown and share > 0:
            used.append((share, found))
    if not used:
        return None
    covered = sum(share for share, _found in used)
    estimate = sum(share * found.comfortable / found.responses for share, found in used) / covered
    # Each band's share adjusted as Agresti and Coull do (two more comfortable and two fewer, near enough), so that
    # a band where everybody answered alike still counts as uncertain rather than exact.
    adjusted = [
        (share, (found.comfortable + Z_95**2 / 2) / (found.responses + Z_95**2), found.responses + Z_95**2)
        for share, found in used
    ]
    variance = sum((share / covered) ** 2 * p * (1 - p) / n for share, p, n in adjusted)
    half = Z_95 * math.sqrt(variance)
    return {
        "percent": round(100 * estimate),
        "low": round(100 * max(0.0, estimate - half)),
        "high": round(100 * min(1.0, estimate + half)),
        "covered": round(covered),
        "bands": len(used),
    }
