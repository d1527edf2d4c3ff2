"""Measure the public pages: response time, SQL queries and page weight, with a register of N entries.

    .venv/bin/python bench/register_pages.py --entries 1000

Uses a throwaway SQLite database (or DATABASE_URL if you set it: the data is left there), loads
the demo register, adds synthetic entries, then requests each page many times in-process.
Prints figures; it passes or fails nothing.
"""

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500, help="synthetic entries to add (default 500)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="register-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Locale

    from datauses.models import DataCategory, DataUsePage, RegisterPage, ServiceArea, SharingPartner
    from demo.loader import DemoLoader

    call_command("migrate", verbosity=0)
    DemoLoader().run()
    register = RegisterPage.objects.get(slug="bristol", locale=Locale.get_default())
    template = DataUsePage.objects.child_of(register).first()
    areas = list(ServiceArea.objects.all())
    categories = list(DataCategory.objects.all())
    partners = list(SharingPartner.objects.all())
    existing = DataUsePage.objects.count()
    started = time.perf_counter()
    for n in range(max(0, args.entries - existing)):
        page = DataUsePage(
            title=f"Synthetic entry {n:05d}",
            slug=f"synthetic-{n:05d}",
            summary="A made-up entry for measuring speed.",
            organisation=register.organisation,
            service_area=areas[n % len(areas)],
            purpose=template.purpose,
            benefits=template.benefits,
            data_sources=template.data_sources,
            storage_location=template.storage_location,
            retention=template.retention,
            opt_out=template.opt_out,
            challenge_route=template.challenge_route,
            challenge_offline=template.challenge_offline,
            last_reviewed=template.last_reviewed,
            next_review_due=template.next_review_due,
            uses_algorithm=n % 3 == 0,
        )
        register.add_child(instance=page)
        page.data_categories.create(category=categories[n % len(categories)], reason="Needed.", locale=page.locale)
        page.sharing.create(partner=partners[n % len(partners)], purpose="Shared.", locale=page.locale)
    total = DataUsePage.objects.live().count()
    print(f"Register has {total} live entries (setup took {time.perf_counter() - started:.1f}s)\n")

    entry = DataUsePage.objects.live().filter(slug__startswith="synthetic").first() or template
    pages = {
        "home": "/",
        "combined register": "/register/",
        "combined register, filtered": "/register/?council=bristol&automated=yes&sharing=yes&sort=updated",
        "combined register, page 5": "/register/?page=5",
        "council register": "/bristol/",
        "entry": entry.url,
        "search": "/search/?q=cameras",
        "you said, we did (partnership)": "/you-said-we-did/",
        "you said, we did (Bristol)": "/you-said-we-did/bristol/",
        "recently changed (partnership)": "/recently-changed/",
        "recently changed (Bristol)": "/recently-changed/bristol/",
    }
    client = Client()
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'HTML KB':>8} {'gzip KB':>8}")
    for name, url in pages.items():
        client.get(url)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        body = response.content
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(
            f"{name:32} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries.captured_queries):8d} "
            f"{len(body) / 1024:8.1f} {len(gzip.compress(body)) / 1024:8.1f}"
        )

    print("\nFront-end assets (built into static_build/):")
    for asset in ("css/main.css", "js/govuk-frontend.js", "js/init.js"):
        path = ROOT / "static_build" / asset
        if path.exists():
            data = path.read_bytes()
            print(f"  {asset:24} {len(data) / 1024:7.1f} KB, {len(gzip.compress(data)) / 1024:6.1f} KB gzipped")


if __name__ == "__main__":
    main()
