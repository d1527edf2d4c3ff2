"""Council history: who did what, and when, on a council's register, entries and feedback, read from Wagtail's audit
log. For the council's data protection officers (its council admins), and for superusers across every council.

Wagtail's own "Site history" report lists feedback only for holders of model permissions, which nobody in a council
has, and cannot tell one council's rows from another's; this report narrows both log tables to one council's pages
(its registers in every language, and everything under them) and its feedback, answers, replies and review rules.
"""

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q, TextChoices, Value
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, MultipleUserFilter, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import GroupPagePermission, ModelLogEntry, Page, PageLogEntry
from wagtail.permissions import page_permission_policy
from wagtail.users.utils import get_deleted_user_display_name

from base.spreadsheets import plain_cell
from datauses.models import DataUsePage, Organisation, RegisterPage

from ..models import FeedbackSubmission, OwnerAnswer, PageProblemReport, PrivateReply, ReviewRule
from ..permissions import answer_policy, feedback_policy, problem_policy, visible, visible_to
from .review_rules import teams_user_may_set


class Kind(TextChoices):
    """What a row is about: the filter's choices and the report's "Kind" column for feedback objects."""

    PAGE = "page", gettext_lazy("Register or entry")
    FEEDBACK = "feedback", gettext_lazy("Feedback")
    PROBLEM = "problem", gettext_lazy("Page problem")
    ANSWER = "answer", gettext_lazy("Public answer")
    REPLY = "reply", gettext_lazy("Private reply")
    RULE = "rule", gettext_lazy("Review rule")


# The feedback objects logged in ModelLogEntry, each loaded with what its description needs.
MODELS = {
    Kind.FEEDBACK: (FeedbackSubmission, ["entry"]),
    Kind.PROBLEM: (PageProblemReport, ["entry"]),
    Kind.ANSWER: (OwnerAnswer, ["entry"]),
    Kind.REPLY: (PrivateReply, ["submission__entry"]),
    Kind.RULE: (ReviewRule, ["team"]),
}
FEEDBACK_KINDS = list(MODELS)

# The two log tables, in the order the union below numbers them.
PAGES, OBJECTS = 0, 1


def signed_off_registers(user):
    """(path, organisation id) of every council register, in any language, this person signs off: the registers
    their groups may publish under (data protection officers, the council admins; editors send entries to them).
    Every council's registers for a superuser."""
    if not (user.is_authenticated and user.is_active):
        return []
    registers = RegisterPage.objects.filter(organisation__isnull=False).values_list("path", "organisation_id")
    if user.is_superuser:
        return list(registers)
    paths = list(
        GroupPagePermission.objects.filter(
            group__in=user.groups.all(), permission__codename="publish_page"
        ).values_list("page__path", flat=True)
    )
    if not paths:
        return []
    # A permission on a register, or on a page above it, covers that council.
    return [(found, organisation) for found, organisation in registers if found.startswith(tuple(paths))]


def may_see_council_history(user):
    return bool(signed_off_registers(user))


class CouncilScope:
    """What belongs to some councils: their registers and everything under them in every language, and the feedback,
    page problems, public answers, private replies and review rules of their entries and teams."""

    def __init__(self, registers):
        organisation_ids = {organisation for _path, organisation in registers}
        # The council in every language: a Welsh register or team may point at the Welsh copy of the council.
        keys = Organisation.objects.filter(pk__in=organisation_ids).values("translation_key")
        self.organisations = list(Organisation.objects.filter(translation_key__in=keys).select_related("locale"))
        ids = [organisation.pk for organisation in self.organisations]
        self.registers = list(RegisterPage.objects.filter(organisation__in=ids).values_list("path", "organisation_id"))
        self.organisation_ids = ids

    def councils(self):
        """Each council once, in the site's main language where it has one, by name."""
        by_key = {}
        for organisation in self.organisations:
            if (
                organisation.translation_key not in by_key
                or organisation.locale.language_code == settings.LANGUAGE_CODE
            ):
                by_key[organisation.translation_key] = organisation
        return sorted(by_key.values(), key=lambda organisation: organisation.name)

    def council_names(self):
        """The name of the council (in the site's main language) for the id of any of its copies."""
        names = {council.translation_key: council.name for council in self.councils()}
        return {organisation.pk: names[organisation.translation_key] for organisation in self.organisations}

    def narrowed_to(self, council):
        """The same scope for one of its councils only."""
        keys = {council.translation_key}
        ids = {organisation.pk for organisation in self.organisations if organisation.translation_key in keys}
        return CouncilScope([(found, organisation) for found, organisation in self.registers if organisation in ids])

    def pages(self):
        if not self.registers:
            return Page.objects.none()
        return Page.objects.filter(reduce(operator.or_, (Q(path__startswith=found) for found, _org in self.registers)))

    def objects(self, kind):
        """The councils' objects of one kind of feedback."""
        organisations = self.organisation_ids
        return {
            Kind.FEEDBACK: lambda: FeedbackSubmission.objects.filter(organisation__in=organisations),
            Kind.PROBLEM: lambda: PageProblemReport.objects.filter(organisation__in=organisations),
            Kind.ANSWER: lambda: OwnerAnswer.objects.filter(entry__in=self.pages().values("pk")),
            Kind.REPLY: lambda: PrivateReply.objects.filter(submission__organisation__in=organisations),
            Kind.RULE: lambda: ReviewRule.objects.filter(team__organisation__in=organisations),
        }[kind]()

    def page_log(self, queryset):
        return queryset.filter(page_id__in=self.pages().values("pk"))

    def object_log(self, queryset, kinds=FEEDBACK_KINDS):
        # ModelLogEntry keeps the object's key as text; a log row counts only while its object still exists.
        rule = Q(pk__in=[])
        for kind in kinds:
            model, _related = MODELS[kind]
            keys = self.objects(kind).annotate(key=Cast("pk", CharField())).values("key")
            rule |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
        return queryset.filter(rule)

    def log(self, queryset):
        """Narrow a queryset of either log table to these councils."""
        return self.page_log(queryset) if queryset.model is PageLogEntry else self.object_log(queryset)


class CouncilHistoryFilterSet(WagtailFilterSet):
    timestamp = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date"), widget=DateRangePickerWidget)
    user = MultipleUserFilter(label=gettext_lazy("Who"), widget=CheckboxSelectMultiple)
    action = django_filters.MultipleChoiceFilter(label=gettext_lazy("Action"), widget=CheckboxSelectMultiple)
    kind = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Kind"), choices=Kind.choices, widget=CheckboxSelectMultiple, method="filter_kind"
    )
    council = django_filters.ChoiceFilter(
        label=gettext_lazy("Council"), widget=RadioSelect, empty_label=gettext_lazy("All"), method="filter_council"
    )

    class Meta:
        model = PageLogEntry  # filters both log tables alike; see CouncilHistoryView.get_filtered_queryset
        fields = []

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        logs = [scope.page_log(PageLogEntry.objects.all()), scope.object_log(ModelLogEntry.objects.all())]
        # Only the actions and people found in these councils' rows; one query each.
        used = set(logs[0].order_by().values_list("action").union(logs[1].order_by().values_list("action")))
        actions = [(action, label) for action, label in log_action_registry.get_choices() if (action,) in used]
        if actions:
            self.filters["action"].extra["choices"] = actions
        else:
            del self.filters["action"]
        user_ids = logs[0].order_by().values("user_id").union(logs[1].order_by().values("user_id"))
        User = get_user_model()
        users = User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)
        if users.exists():
            self.filters["user"].extra["queryset"] = users
        else:
            del self.filters["user"]
        self.councils = {str(council.pk): council for council in scope.councils()}
        if len(self.councils) > 1:
            self.filters["council"].extra["choices"] = [(pk, council.name) for pk, council in self.councils.items()]
        else:
            del self.filters["council"]

    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        if queryset.model is PageLogEntry:
            return queryset if Kind.PAGE in value else queryset.none()
        kinds = [kind for kind in FEEDBACK_KINDS if kind in value]
        return self.scope.object_log(queryset, kinds) if kinds else queryset.none()

    def filter_council(self, queryset, name, value):
        council = self.councils.get(value)
        return self.scope.narrowed_to(council).log(queryset) if council else queryset


@dataclass
class HistoryRow:
    """One row of the report, in words."""

    timestamp: datetime.datetime
    user_name: str
    action_label: str
    kind_label: str
    what: str
    url: str
    council: str
    log_entry_id: int

    @property
    def when(self):
        return date_format(timezone.localtime(self.timestamp), "j M Y, H:i")


def entry_label(entry):
    """The entry by title and reference number: "Cameras (BRS-0003)"."""
    return f"{entry.title} ({entry.reference})" if entry.reference else entry.title


def user_name(log_entry):
    if not log_entry.user_id:
        return _("System")
    if log_entry.user is None:  # the person's account has since been deleted
        return str(get_deleted_user_display_name(log_entry.user_id))
    return log_entry.user.get_full_name().strip() or log_entry.user.get_username()


def action_label(log_entry):
    formatter = log_action_registry.get_formatter(log_entry)
    return str(formatter.label) if formatter else log_entry.action


def describe(kind, instance):
    """What a feedback object is, with the entry it is about."""
    if kind == Kind.ANSWER:
        return f"{entry_label(instance.entry)}: {instance}"
    if kind == Kind.REPLY:
        return _("Reply to %(feedback)s") % {"feedback": instance.submission}
    if kind == Kind.RULE:
        return instance.team.name
    return str(instance)


def council_of(kind, instance):
    """The id of the (copy of the) council a feedback object belongs to."""
    if kind == Kind.ANSWER:
        return instance.entry.organisation_id
    if kind == Kind.REPLY:
        return instance.submission.organisation_id
    if kind == Kind.RULE:
        return instance.team.organisation_id
    return instance.organisation_id


def object_urls(user, kind, instances):
    """Links to the feedback objects this person may open, by the object's key; one query or none for each kind."""
    keys = [instance.pk for instance in instances]
    if kind in (Kind.FEEDBACK, Kind.REPLY):
        if not feedback_policy.user_has_permission(user, "view"):
            return {}
        by_feedback = {instance.pk: getattr(instance, "submission_id", instance.pk) for instance in instances}
        open_ = set(
            visible_to(user, FeedbackSubmission.objects.filter(pk__in=by_feedback.values())).values_list(
                "pk", flat=True
            )
        )
        return {
            key: reverse("feedback_inbox:edit", args=[feedback])
            for key, feedback in by_feedback.items()
            if feedback in open_
        }
    if kind == Kind.PROBLEM:
        if not problem_policy.user_has_permission(user, "view"):
            return {}
        found = visible_to(user, PageProblemReport.objects.filter(pk__in=keys)).values_list("pk", flat=True)
        return {key: reverse("page_problems:edit", args=[key]) for key in found}
    if kind == Kind.ANSWER:
        if not answer_policy.user_has_permission(user, "change"):
            return {}
        found = visible(user, OwnerAnswer.objects.filter(pk__in=keys)).values_list("pk", flat=True)
        return {key: reverse("wagtailsnippets_feedback_owneranswer:edit", args=[key]) for key in found}
    teams = {instance.pk: instance.team_id for instance in instances}
    open_ = set(teams_user_may_set(user).filter(pk__in=teams.values()).values_list("pk", flat=True))
    return {key: reverse("review_rules:edit", args=[team]) for key, team in teams.items() if team in open_}


class CouncilHistoryView(ReportView):
    """Both log tables, narrowed to the person's councils, filtered alike, joined newest first (as Wagtail's
    LogEntriesView does), then each page of rows put into words with a constant number of queries."""

    page_title = gettext_lazy("Council history")
    header_icon = "history"
    index_url_name = "council_history:index"
    index_results_url_name = "council_history:results"
    filterset_class = CouncilHistoryFilterSet
    list_export = ["timestamp", "user_name", "action_label", "kind_label", "what", "council"]
    export_headings = {
        "timestamp": gettext_lazy("When"),
        "user_name": gettext_lazy("Who"),
        "action_label": gettext_lazy("Action"),
        "kind_label": gettext_lazy("Kind"),
        "what": gettext_lazy("What"),
        "council": gettext_lazy("Council"),
    }

    def dispatch(self, request, *args, **kwargs):
        registers = signed_off_registers(request.user)
        if not registers and not request.user.is_superuser:
            # A real 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard), with a way on.
            return TemplateResponse(
                request,
                "feedback/admin/council_history_denied.html",
                {"page_title": _("Council history"), "header_title": _("Council history"), "header_icon": "history"},
                status=403,
            )
        self.scope = CouncilScope(registers)
        # A CSV is streamed after the view returns: keep the request's language and time zone for it.
        self.export_language = translation.get_language()
        self.export_timezone = timezone.get_current_timezone()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": _("Reports")},  # a menu of its own, with no page
            {"url": "", "label": self.get_page_title()},
        ]

    def get_filename(self):
        return f"council-history-{timezone.localdate():%Y-%m-%d}"

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @cached_property
    def columns(self):
        columns = [
            Column("when", label=_("When")),
            Column("user_name", label=_("Who")),
            Column("action_label", label=_("Action")),
            Column("kind_label", label=_("Kind")),
            TitleColumn("what", label=_("What"), get_url=lambda row: row.url),
        ]
        if len(self.scope.councils()) > 1:
            columns.append(Column("council", label=_("Council")))
        return columns

    def get_filtered_queryset(self):
        parts = []
        for number, log in ((PAGES, PageLogEntry.objects.all()), (OBJECTS, ModelLogEntry.objects.all())):
            rows = (
                self.scope.log(log).values("pk", "timestamp").annotate(log=Value(number, output_field=IntegerField()))
            )
            parts.append(self.filter_queryset(rows).order_by())
        # Rows of the two tables never clash (log differs), so no de-duplication is needed.
        return parts[0].union(parts[1], all=True).order_by("-timestamp", "-log", "-pk")

    def get(self, request, *args, **kwargs):
        self.object_list = self.get_filtered_queryset()
        if self.is_export:
            return self.as_spreadsheet(self.decorate_paginated_queryset(self.object_list), request.GET.get("export"))
        return self.render_to_response(self.get_context_data())

    def paginate_queryset(self, queryset, page_size):
        # In words before the table is made of them.
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = self.decorate_paginated_queryset(rows)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        keys = defaultdict(list)
        order = [(row["log"], row["pk"]) for row in object_list]
        for log, key in order:
            keys[log].append(key)
        found = {}
        if keys[PAGES]:
            found.update(((PAGES, row.log_entry_id), row) for row in self.page_rows(keys[PAGES]))
        if keys[OBJECTS]:
            found.update(((OBJECTS, row.log_entry_id), row) for row in self.object_rows(keys[OBJECTS]))
        return [found[key] for key in order if key in found]

    def page_rows(self, keys):
        entries = list(PageLogEntry.objects.filter(pk__in=keys).select_related("user"))
        page_ids = {entry.page_id for entry in entries}
        pages = {
            pk: (title, found, language)
            for pk, title, found, language in Page.objects.filter(pk__in=page_ids).values_list(
                "pk", "title", "path", "locale__language_code"
            )
        }
        references = dict(DataUsePage.objects.filter(pk__in=page_ids).values_list("pk", "reference"))
        editable = set(
            page_permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(pk__in=page_ids)
            .values_list("pk", flat=True)
        )
        languages = dict(settings.LANGUAGES)
        councils = self.scope.council_names()
        for entry in entries:
            title, found, language = pages.get(entry.page_id, (entry.label, "", ""))
            what = f"{title} ({references[entry.page_id]})" if references.get(entry.page_id) else title
            if language and language != settings.LANGUAGE_CODE:
                what = f"{what}, {languages.get(language, language)}"
            model = entry.content_type_id and ContentType.objects.get_for_id(entry.content_type_id).model_class()
            yield self.row(
                entry,
                kind_label=capfirst(model._meta.verbose_name) if model else Kind.PAGE.label,
                what=what,
                url=reverse("wagtailadmin_pages:edit", args=[entry.page_id]) if entry.page_id in editable else "",
                council=next((councils[org] for prefix, org in self.scope.registers if found.startswith(prefix)), ""),
            )

    def object_rows(self, keys):
        entries = list(ModelLogEntry.objects.filter(pk__in=keys).select_related("user"))
        kinds = {ContentType.objects.get_for_model(model).pk: kind for kind, (model, _related) in MODELS.items()}
        wanted = defaultdict(set)
        for entry in entries:
            wanted[kinds.get(entry.content_type_id)].add(entry.object_id)
        instances, urls = {}, {}
        for kind, object_ids in wanted.items():
            if kind is None:
                continue
            model, related = MODELS[kind]
            loaded = list(model.objects.filter(pk__in=object_ids).select_related(*related))
            instances.update(((kind, str(instance.pk)), instance) for instance in loaded)
            urls.update(((kind, str(key)), url) for key, url in object_urls(self.request.user, kind, loaded).items())
        councils = self.scope.council_names()
        for entry in entries:
            kind = kinds.get(entry.content_type_id)
            instance = instances.get((kind, entry.object_id))
            yield self.row(
                entry,
                kind_label=Kind(kind).label if kind else "",
                what=describe(kind, instance) if instance else entry.label,
                url=urls.get((kind, entry.object_id), ""),
                council=councils.get(council_of(kind, instance), "") if instance else "",
            )

    def row(self, entry, kind_label, **words):
        return HistoryRow(
            timestamp=entry.timestamp,
            user_name=user_name(entry),
            action_label=action_label(entry),
            kind_label=str(kind_label),
            log_entry_id=entry.pk,
            **words,
        )

    def preprocess_field_value(self, field, value, export_format):
        # Titles and names are typed by people: keep the export openable and free of formulas.
        return plain_cell(value)

    def stream_csv(self, queryset):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            yield from super().stream_csv(queryset)

    def write_xlsx(self, queryset, output):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            return super().write_xlsx(queryset, output)


class CouncilHistoryMenuItem(MenuItem):
    """Under Reports, for council admins and superusers only."""

    def is_shown(self, request):
        return request.user.is_superuser or may_see_council_history(request.user)


def menu_item():
    """Registered by feedback/wagtail_hooks.py under Reports."""
    return CouncilHistoryMenuItem(
        _("Council history"), reverse("council_history:index"), name="council-history", icon_name="history", order=1050
    )


def urlpatterns():
    """Registered by feedback/wagtail_hooks.py under /admin/reports/council-history/."""
    urls = [
        path("", CouncilHistoryView.as_view(), name="index"),
        path("results/", CouncilHistoryView.as_view(results_only=True), name="results"),
    ]
    return [path("reports/council-history/", include((urls, "council_history"), namespace="council_history"))]
