"""The public "What residents told us" pages, for the partnership and for each council, and their figures as
open data (CSV and JSON), all read from the published insight (feedback.insight): nothing here counts, and
nothing withheld there can appear here."""

import datetime

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from base import charts
from base.spreadsheets import safe_cell
from datauses.councils import council_for, live_register
from datauses.models import AboutYouQuestion, Organisation
from datauses.open_data import LICENCE, csv_text, json_text, open_file

from . import insight, monthly_report
from .models import Comfort, Condition, Trust

# The kinds of use whose conditions are compared ("a way to opt out" for sharing with the police, say).
CONDITION_TOPICS = ["sharing", "decision_making", "special_category"]
# The kinds of use shown side by side for each council on the partnership's page.
COMPARED_TOPICS = ["service_area", "data_category"]


def _month_label(code):
    year, month = code.split("-")
    return f"{MONTHS[int(month)]} {year}"


def _label(labels, topic, group):
    if topic == insight.MONTH:
        return _month_label(group)
    return str(labels.get(topic, {}).get(group, group))


def _bar_text(figure):
    if not figure.shown:
        return figure.withheld_text
    low, high = figure.interval
    return _("%(percent)s%% (%(low)s%% to %(high)s%%), %(n)s responses") % {
        "percent": figure.comfortable_percent,
        "low": low,
        "high": high,
        "n": figure.responses,
    }


def _chart(figures):
    return charts.bars(
        [
            (
                figure.label,
                figure.comfortable_percent if figure.shown else None,
                figure.interval[0] if figure.shown else None,
                figure.interval[1] if figure.shown else None,
                _bar_text(figure),
            )
            for figure in figures
        ]
    )


def _section(figures, topic, scope, labels, overall):
    groups = [
        group
        for group in insight.group_order(topic, figures["groups"].get(topic, []))
        if f"{topic}|{group}|{scope}" in figures["cells"]
    ]
    found = [insight.figure(figures, topic, group, scope, _label(labels, topic, group)) for group in groups]
    if topic not in {"sharing", "decision_making", "special_category", "uses_algorithm", insight.MONTH}:
        found.sort(key=lambda figure: figure.label.lower())
    for figure in found:
        figure.comparison = figure.compared_with(overall)
    return {"figures": found, "chart": _chart(found), "any_withheld": any(f.withheld for f in found)}


def _conditions(section):
    shown = [figure for figure in section["figures"] if figure.shown]
    return [
        {
            "figure": figure,
            "cells": [
                {"count": figure.condition_count(c), "percent": figure.percent(figure.condition_count(c))}
                for c in insight.CONDITIONS
            ],
        }
        for figure in shown
    ]


def _comparison(figures, topic, councils, labels):
    """The same kind of use in each council, side by side: rows of groups, a figure per council."""
    rows = []
    for group in figures["groups"].get(topic, []):
        cells = [insight.figure(figures, topic, group, council.slug) for council in councils]
        if not any(cell.responses or cell.withheld for cell in cells):
            continue
        rows.append({"label": _label(labels, topic, group), "cells": cells})
    rows.sort(key=lambda row: row["label"].lower())
    return rows


def _hearing_from(figures, organisation, labels):
    """Who answered each of the council's 'about you' questions, beside its population profile if it gave one."""
    sections = []
    for question in [code for code in AboutYouQuestion.values if code in (organisation.about_you_questions or [])]:
        topic = insight.ABOUT + question
        groups = [
            group
            for group in insight.group_order(topic, figures["groups"].get(topic, []))
            if f"{topic}|{group}|{organisation.slug}" in figures["cells"]
        ]
        found = [insight.figure(figures, topic, g, organisation.slug, _label(labels, topic, g)) for g in groups]
        counted = insight.figure(figures, insight.ABOUT_TOTAL, insight.ALL, organisation.slug)
        not_answered = next((f for f in found if f.group == ""), None)
        answered = counted.responses - (not_answered.responses if not_answered else 0)
        known = counted.shown and not (not_answered and not_answered.withheld) and answered > 0
        profile = organisation.profile(question)
        gaps = []
        for figure in found:
            figure.comparison = figure.compared_with(counted)
            figure.answer_share = round(100 * figure.responses / answered) if known and figure.shown else None
            figure.resident_share = profile.get(figure.group)
            compared = figure.group and figure.answer_share is not None and figure.resident_share is not None
            if compared and abs(figure.answer_share - figure.resident_share) >= 5:
                gaps.append(figure)
        sections.append(
            {
                "question": question,
                "label": AboutYouQuestion(question).label,
                "figures": found,
                "answered": answered if known else None,
                "has_profile": bool(profile),
                "gaps": gaps,
                "topic_code": topic,
                "counted": counted,
                "counted_at": figures.get("about_counted_at", {}).get(organisation.slug),
            }
        )
    return sections


def insight_councils(figures, locale):
    """The councils with figures, by name, each in ``locale`` where it has that version (else as it is)."""
    found = {}
    for council in Organisation.objects.filter(slug__in=figures["councils"]).order_by("pk"):
        if council.slug not in found or council.locale_id == locale.pk:
            found[council.slug] = council
    return sorted(found.values(), key=lambda council: council.name)


# How long a rendered page body is kept: it is keyed by the figures' time, so new figures never wait for it.
BODY_SECONDS = 60 * 60


def _body(request, figures, scope, organisation, overall, councils, has_hearing_from):
    """The charts and tables of a page, rendered once for each set of figures, council and language and kept in
    the cache: most of a page's work, and the same for every reader until the figures are worked out again."""
    labels = insight.labels(Locale.get_active())
    topics = []
    for topic in insight.TOPICS:
        section = _section(figures, topic.code, scope, labels, overall)
        if section["figures"]:
            topics.append({"topic": topic, **section})
    by_council = None
    if organisation is None:
        found = [
            insight.figure(figures, insight.TOTAL, insight.ALL, council.slug, council.name) for council in councils
        ]
        for figure in found:
            figure.comparison = figure.compared_with(overall)
        by_council = {"figures": found, "chart": _chart(found), "any_withheld": any(f.withheld for f in found)}
    conditions = []
    for section in topics:
        rows = _conditions(section) if section["topic"].code in CONDITION_TOPICS else []
        if rows:
            conditions.append({"topic": section["topic"], "rows": rows})
    context = {
        "topics": topics,
        "by_council": by_council,
        "months": _section(figures, insight.MONTH, scope, labels, overall),
        "conditions": conditions,
        "condition_labels": [label for _value, label in Condition.choices],
        "compared": []
        if organisation
        else [
            {"topic": insight.TOPICS_BY_CODE[code], "rows": _comparison(figures, code, councils, labels)}
            for code in COMPARED_TOPICS
        ],
        "councils": councils,
        "hearing_from": has_hearing_from,
        "heading_council": organisation,
        "min_responses": insight.MIN_RESPONSES,
    }
    return render_to_string("feedback/includes/insight_body.html", context, request=request)


def _render(request, organisation=None, register=None):
    figures, computed_at = insight.current()
    locale = Locale.get_active()
    scope = organisation.slug if organisation else insight.ALL
    overall = insight.figure(figures, insight.TOTAL, insight.ALL, scope)
    councils = insight_councils(figures, locale)
    hearing_from, weighted = [], None
    if organisation is not None and overall.shown:
        labels = insight.labels(locale)
        hearing_from = _hearing_from(figures, organisation, labels)
        if organisation.weight_to_population:
            weighted = insight.weighted_comfort(figures, scope, organisation.profile(AboutYouQuestion.AGE_BAND))
    body = ""
    if overall.shown:
        key = f"insight-body:{scope}:{get_language()}:{computed_at.isoformat()}:{int(bool(hearing_from))}"
        body = cache.get(key)
        if body is None:
            body = _body(request, figures, scope, organisation, overall, councils, bool(hearing_from))
            cache.set(key, body, BODY_SECONDS)
    context = {
        "body": mark_safe(body),  # noqa: S308 - rendered by our own template just above (or kept from it)
        "hearing_from": hearing_from,
        "weighted": weighted,
        "overall": overall,
        "councils": councils,
        "computed_at": computed_at,
        "min_responses": insight.MIN_RESPONSES,
        "last_month": monthly_report.previous_month(monthly_report.month_start(timezone.localdate())),
        "heading_council": organisation,
        # The council's branding and its register as the place in the header (see home's site_menu).
        "council": organisation if register else None,
        "council_home": register,
    }
    return render(request, "feedback/insight.html", context)


def _report_month(text):
    """The first day of the month a report address names (2026-11), or 404 for one not yet over or not a month."""
    try:
        month = datetime.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise Http404("That is not a month") from error
    if month >= monthly_report.month_start(timezone.localdate()) or month.year < 2000:
        raise Http404("There is no report for that month yet")
    return month


def _report(request, month, organisation=None):
    locale = Locale.get_active()
    figures, computed_at = insight.current()
    report = monthly_report.build(
        _report_month(month),
        organisation,
        labels=insight.labels(locale),
        councils=insight_councils(figures, locale),
        published=(figures, computed_at),
    )
    return render(request, "feedback/insight_report.html", report)


@require_safe
def report(request, month):
    return _report(request, month)


@require_safe
def council_report(request, slug, month):
    return _report(request, month, council_for(slug))


@require_safe
def partnership(request):
    return _render(request)


@require_safe
def council(request, slug):
    organisation = council_for(slug)
    return _render(request, organisation, live_register(organisation))


COLUMNS = [
    "council_code",
    "topic",
    "group_code",
    "group",
    "shown",
    "responses",
    *insight.COMFORTS,
    "comfortable_percent",
    "comfortable_low_percent",
    "comfortable_high_percent",
    *(f"trust_{value}" for value, _label in Trust.choices),
    *(f"would_be_more_comfortable_with_{value}" for value, _label in Condition.choices),
    "note",
]


def rows(figures, labels, council=None, topic=None):
    """The download's rows: every group of every topic, in every scope, with the same figures as the pages."""
    scopes = [council] if council else [insight.ALL, *figures["councils"]]
    topics = [topic] if topic else [insight.TOTAL, *insight.TOPIC_CODES, insight.MONTH, *insight.ABOUT_TOPICS]
    found = []
    for scope in scopes:
        for code in topics:
            for group in figures["groups"].get(code, []):
                key = f"{code}|{group}|{scope}"
                if key not in figures["cells"]:
                    continue
                figure = insight.figure(figures, code, group, scope)
                row = dict.fromkeys(COLUMNS)
                row.update(
                    council_code=scope,
                    topic=code,
                    group_code=group,
                    group=_label(labels, code, group) if code != insight.TOTAL else _("All responses"),
                    shown=figure.shown,
                )
                if figure.shown:
                    low, high = figure.interval
                    row.update(
                        responses=figure.responses,
                        comfortable_percent=figure.comfortable_percent,
                        comfortable_low_percent=low,
                        comfortable_high_percent=high,
                        **{comfort: figure.counts.get(comfort, 0) for comfort in insight.COMFORTS},
                    )
                    if code != insight.MONTH and not code.startswith(insight.ABOUT):
                        row.update({f"trust_{t}": figure.counts.get(f"trust_{t}", 0) for t in insight.TRUSTS})
                        row.update(
                            {
                                f"would_be_more_comfortable_with_{c}": figure.condition_count(c)
                                for c in insight.CONDITIONS
                            }
                        )
                else:
                    row["note"] = figure.withheld_text
                found.append(row)
    return found


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_cell(value)


@require_safe
def download(request, file_format):
    """GET /what-residents-told-us/data.csv or .json, optionally ?council=<code>&topic=<topic>."""
    figures, computed_at = insight.current()
    council, topic = request.GET.get("council") or None, request.GET.get("topic") or None
    if council not in (None, insight.ALL, *figures["councils"]):
        raise Http404("No council has that code")
    if topic not in (None, insight.TOTAL, insight.MONTH, *insight.TOPIC_CODES, *insight.ABOUT_TOPICS):
        raise Http404("There is no such topic")
    labels = insight.labels(Locale.get_active())
    found = rows(figures, labels, council, topic)
    if file_format == "csv":
        text = csv_text(
            COLUMNS,
            ([_cell(row[column]) for column in COLUMNS] for row in found),
        )
    else:
        text = json_text(
            {
                "licence": LICENCE,
                "worked_out_at": computed_at.replace(microsecond=0) if computed_at else timezone.now(),
                "fewest_responses_shown": insight.MIN_RESPONSES,
                "comfort_answers": [value for value, _label in Comfort.choices],
                "note": _(
                    "Figures come from people who chose to give feedback: they are not a random sample of "
                    "residents. Groups with fewer than 10 responses, and groups that would let one be worked out, "
                    "are not shown. Intervals are 95% Wilson score intervals of the comfortable share."
                ),
                "groups": found,
            }
        )
    return open_file(text, file_format, "what-residents-told-us")
