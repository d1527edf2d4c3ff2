"""Every published version of an entry: kept when published, compared on the entry's public versions page and
downloadable with the register ("with history"). One module: the demo loads once."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Locale, PageViewRestriction

from datauses.history import HISTORY_NAMES
from datauses.models import DataUsePage, PublishedVersion

pytestmark = pytest.mark.django_db


def an_entry(slug="bristol"):
    return (
        DataUsePage.objects.live()
        .public()
        .filter(locale=Locale.get_default(), organisation__slug=slug, alias_of__isnull=True)
        .order_by("pk")
        .first()
    )


def publish(entry, **changes):
    page = DataUsePage.objects.get(pk=entry.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return DataUsePage.objects.get(pk=entry.pk)


def versions_url(entry):
    return f"/entries/{entry.reference}/versions/"


def test_every_publish_keeps_a_version_and_the_page_shows_what_changed(client, demo):
    entry = an_entry()
    before = client.get(versions_url(entry))
    assert before.status_code == 200
    kept = PublishedVersion.objects.filter(entry=entry).count()
    assert kept >= 1
    old_summary = entry.summary

    publish(
        entry,
        summary="We now also use the data to plan bin rounds.",
        status="retired",
        change_note="We added bin rounds and stopped the service.",
    )
    assert PublishedVersion.objects.filter(entry=entry).count() == kept + 1
    # A draft nobody published is never a version, nor shown.
    draft = DataUsePage.objects.get(pk=entry.pk)
    draft.summary = "Draft words the council has not published"
    draft.save_revision()
    assert PublishedVersion.objects.filter(entry=entry).count() == kept + 1

    html = client.get(versions_url(entry)).content.decode()
    assert f"What changed from version {kept} to version {kept + 1}" in html
    assert "We added bin rounds and stopped the service." in html
    assert old_summary in html and "We now also use the data to plan bin rounds." in html
    assert "No longer used" in html  # the status in words, not its code
    assert "Draft words" not in html
    # Every version is listed, newest first, each linked to what changed in it.
    assert html.index(f'id="version-{kept + 1}"') < html.index('id="version-1"')
    assert f"?from={kept}&amp;to={kept + 1}#comparison" in html


def test_any_two_versions_can_be_compared_and_bad_choices_are_ignored_politely(client, demo):
    entry = an_entry()
    publish(entry, title="Renamed once", change_note="Renamed it.")
    publish(entry, title="Renamed twice", change_note="Renamed it again.")
    newest = PublishedVersion.objects.filter(entry=entry).order_by("-number").first().number

    html = client.get(versions_url(entry), {"from": 1, "to": newest}).content.decode()
    assert f"What changed from version 1 to version {newest}" in html and "Renamed twice" in html
    # Either way round reads oldest to newest.
    assert (
        f"What changed from version 1 to version {newest}"
        in client.get(versions_url(entry), {"from": newest, "to": 1}).content.decode()
    )
    same = client.get(versions_url(entry), {"from": 2, "to": 2}).content.decode()
    assert 'id="no-changes"' in same and "same version twice" in same
    for nonsense in ({"from": "x", "to": "999"}, {"to": "-1"}, {"page": "abc"}):
        response = client.get(versions_url(entry), nonsense)
        assert response.status_code == 200, nonsense
        assert f"What changed from version {newest - 1} to version {newest}" in response.content.decode()


def test_only_published_public_entries_have_a_versions_page(client, demo):
    assert client.get("/entries/NOPE-0001/versions/").status_code == 404
    private = an_entry("leeds")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(versions_url(private)).status_code == 404
    gone = an_entry("cardiff")
    DataUsePage.objects.get(pk=gone.pk).unpublish()
    assert client.get(versions_url(gone)).status_code == 404


def test_the_entry_page_links_to_its_versions_and_welsh_readers_get_welsh(client, demo):
    entry = an_entry("cardiff")
    html = client.get(entry.url).content.decode()
    assert f'href="/entries/{entry.reference}/versions/"' in html
    welsh = client.get(f"/cy/entries/{entry.reference}/versions/")
    assert welsh.status_code == 200
    assert '<html lang="cy"' in welsh.content.decode()


def test_the_download_with_history_has_a_row_for_every_version(client, demo):
    entry = an_entry("leeds")
    publish(entry, purpose="A new purpose for the download.", change_note="New purpose.")
    versions = list(PublishedVersion.objects.filter(entry=entry).order_by("number"))
    assert len(versions) >= 2

    response = client.get("/open-data/register-history.csv", {"council": "leeds"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="data-use-register-history-leeds.csv"'
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")))
    assert reader.fieldnames == HISTORY_NAMES
    table = list(reader)
    assert {row["council_code"] for row in table} == {"leeds"}
    mine = [row for row in table if row["reference"] == entry.reference]
    assert [int(row["version"]) for row in mine] == [version.number for version in versions]
    assert mine[-1]["purpose"] == "A new purpose for the download." and mine[-1]["change_note"] == "New purpose."
    assert mine[0]["purpose"] != mine[-1]["purpose"]

    data = json.loads(client.get("/open-data/register-history.json", {"council": "leeds"}).content)
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["count"] == len(table) == len(data["versions"])
    last = [row for row in data["versions"] if row["reference"] == entry.reference][-1]
    assert last["version"] == versions[-1].number and last["risks"] == versions[-1].content["risks"]


def test_versions_published_before_they_were_kept_are_rebuilt_once(client, demo):
    # Every live entry has its published version.
    assert not DataUsePage.objects.live().filter(alias_of__isnull=True, published_versions__isnull=True).exists()
    entry = an_entry("leeds")
    publish(entry, title="First title we logged", change_note="Renamed.")
    publish(entry, title="Second title we logged", change_note="Renamed again.")
    kept = {v.number: v for v in PublishedVersion.objects.filter(entry=entry)}
    newest = max(kept)
    # As on a site upgraded to this release: its versions were never kept.
    PublishedVersion.objects.all().delete()

    out = io.StringIO()
    call_command("record_versions", stdout=out)
    assert "Kept 0 " not in out.getvalue()
    rebuilt = list(PublishedVersion.objects.filter(entry=entry).order_by("number"))
    assert [v.content["title"] for v in rebuilt[-2:]] == ["First title we logged", "Second title we logged"]
    assert rebuilt[-1].change_note == "Renamed again."
    assert rebuilt[-1].content == kept[newest].content  # what the public saw, column for column
    assert [v.number for v in rebuilt] == list(range(1, len(rebuilt) + 1))
    assert not DataUsePage.objects.live().filter(alias_of__isnull=True, published_versions__isnull=True).exists()

    total = PublishedVersion.objects.count()
    call_command("record_versions", stdout=out)
    assert "Kept 0 published versions" in out.getvalue()
    assert PublishedVersion.objects.count() == total


def test_the_versions_page_asks_the_same_number_of_queries_however_many_versions(
    client, demo, django_assert_max_num_queries
):
    entry = an_entry("bristol")
    client.get(versions_url(entry))
    with django_assert_max_num_queries(13) as few:
        client.get(versions_url(entry))
    for number in range(3):
        publish(entry, title=f"Title {number}", change_note=f"Change {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(versions_url(entry))
