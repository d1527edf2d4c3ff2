"""Issue 15, defect 5: new entries started in the add form and left blank do not pile up in the editors' lists."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from datauses.drafts import delete_abandoned_drafts
from datauses.models import DataUsePage
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 9, 0))


def draft(register, days_ago, **fields):
    """A never-published draft last changed days_ago, with fields as autosave left them (blank ones allowed)."""
    page = DataUsePageFactory(parent=register, live=False, first_published_at=None)
    page.save_revision()
    DataUsePage.objects.filter(pk=page.pk).update(
        latest_revision_created_at=NOW - datetime.timedelta(days=days_ago), **fields
    )
    return page


def test_blank_drafts_untouched_for_a_week_are_deleted_and_logged(bristol_register):
    blank = draft(bristol_register, days_ago=8, summary="", purpose="")
    assert delete_abandoned_drafts(now=NOW) == 1
    assert not DataUsePage.objects.filter(pk=blank.pk).exists()
    assert PageLogEntry.objects.filter(page_id=blank.pk, action="wagtail.delete").exists()


def test_work_in_progress_is_kept(bristol_register):
    recent_blank = draft(bristol_register, days_ago=2, summary="")
    started = draft(bristol_register, days_ago=30, summary="Cameras in parks.", purpose="We watch the parks.")
    published = DataUsePageFactory(parent=bristol_register)
    DataUsePage.objects.filter(pk=published.pk).update(summary="")
    assert delete_abandoned_drafts(now=NOW) == 0
    assert DataUsePage.objects.filter(pk__in=[recent_blank.pk, started.pk, published.pk]).count() == 3


def test_the_daily_command_says_how_many_it_deleted(bristol_register, capsys):
    draft(bristol_register, days_ago=400, purpose="")
    call_command("delete_abandoned_drafts")
    assert "Deleted 1 abandoned draft entries." in capsys.readouterr().out
