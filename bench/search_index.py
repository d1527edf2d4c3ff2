"""Measure search on a large register: build N entries, rebuild the index, time searches.

    .venv/bin/python bench/search_index.py                      # 10,000 entries on SQLite
    .venv/bin/python bench/search_index.py --postgres           # the same on a throwaway PostgreSQL database

Uses a throwaway SQLite database, or with --postgres creates and drops the database `bench_search` on
127.0.0.1:5432 (--keep reuses and keeps it, to profile). Loads the demo register, adds synthetic
entries with the search index's automatic updates switched off, then times `update_index`, runs
ANALYZE and requests each search URL in-process. Prints figures; it passes or fails nothing.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVICES = [
    ("CCTV cameras", "Cameras watch streets and car parks so staff can call the police."),
    ("Parking permits", "We check your address and vehicle before issuing a residents' parking permit."),
    ("School admissions", "We use your child's address and school preferences to offer a school place."),
    ("Council tax discounts", "We match records to check council tax discounts are still right."),
    ("Housing repairs", "Tenants report repairs online and we book a visit to the home."),
    ("Free school meals", "We check benefits records so children get free school meals automatically."),
    ("Bus lane cameras", "A camera reads number plates of cars that drive in bus lanes."),
    ("Library loans", "We keep a record of what you borrow so books come back."),
    ("Adult social care", "Care workers record what support a person needs at home."),
    ("Air quality sensors", "Sensors measure pollution near schools and busy roads."),
]
EXTRA = ["weekly", "online", "pilot", "county", "neighbourhood", "digital", "mobile", "emergency", "daily", "annual"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries in the register (default 10,000)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per URL (default 20)")
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL database")
    parser.add_argument(
        "--keep", action="store_true", help="with --postgres: reuse bench_search if it exists, and keep it afterwards"
    )
    args = parser.parse_args()

    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_search'").fetchone()
            if not (args.keep and exists):
                admin.execute("DROP DATABASE IF EXISTS bench_search")
                admin.execute("CREATE DATABASE bench_search")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bench_search"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='search-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    try:
        run(args)
    finally:
        if args.postgres and not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
                admin.execute("DROP DATABASE IF EXISTS bench_search")


def run(args):
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # so responses carry their context (the result counts)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from datauses.models import DataCategory, DataUsePage, RegisterPage, ServiceArea, SharingPartner, Status
    from demo.loader import DemoLoader

    call_command("migrate", verbosity=0)
    DemoLoader().run()
    # Index once at the end, as a site importing a large register would.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    registers = list(RegisterPage.objects.filter(organisation__isnull=False, locale_id=1))
    templates = {r.pk: DataUsePage.objects.child_of(r).first() for r in registers}
    areas = list(ServiceArea.objects.filter(locale_id=1))
    categories = list(DataCategory.objects.filter(locale_id=1))
    partners = list(SharingPartner.objects.filter(locale_id=1))
    rng = random.Random(2026)  # noqa: S311 - repeatable test data, not a secret
    started = time.perf_counter()
    existing = DataUsePage.objects.filter(slug__startswith="synthetic-").count()  # from an earlier --keep run
    for n in range(existing, existing + max(0, args.entries - DataUsePage.objects.count())):
        register = registers[n % len(registers)]
        template = templates[register.pk]
        title, summary = SERVICES[n % len(SERVICES)]
        word = rng.choice(EXTRA)
        page = DataUsePage(
            title=f"{title} ({word} {n:05d})",
            slug=f"synthetic-{n:05d}",
            summary=summary,
            organisation=register.organisation,
            service_area=areas[n % len(areas)],
            status=[Status.IN_USE, Status.PILOT, Status.PLANNED][n % 3],
            purpose=f"{summary} This {word} service is number {n}.",
            benefits=template.benefits,
            data_sources=template.data_sources,
            storage_location=template.storage_location,
            retention=template.retention,
            opt_out=template.opt_out,
            challenge_route=template.challenge_route,
            challenge_offline=template.challenge_offline,
            last_reviewed=template.last_reviewed,
            next_review_due=template.next_review_due,
            uses_algorithm=n % 4 == 0,
        )
        register.add_child(instance=page)
        page.data_categories.create(category=categories[n % len(categories)], reason="Needed.", locale=page.locale)
        if n % 2:
            page.sharing.create(partner=partners[n % len(partners)], purpose="Shared.", locale=page.locale)
    generated = time.perf_counter() - started
    total = DataUsePage.objects.live().count()
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = True

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    indexed = time.perf_counter() - started
    # Fresh planner statistics, as PostgreSQL's autovacuum (or `ANALYZE` after a bulk import) gives a live
    # site: without them PostgreSQL plans for an empty table and a filtered search takes seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Database: {connection.vendor}. {total} live entries, generated in {generated:.0f} s.")
    print(f"update_index: {indexed:.1f} s for every indexed object ({total / indexed:.0f} entries/s).\n")

    urls = {
        "common word": "/search/?q=cameras",
        "rare word": "/search/?q=00042",
        "two words": "/search/?q=school+meals",
        "misspelt": "/search/?q=parkng",
        "no match": "/search/?q=xylophone",
        "empty": "/search/?q=",
        "query + filters": "/search/?q=cameras&council=bristol&automated=yes",
        "register + query": "/register/?q=housing+repairs&sharing=yes",
        "council register + query": "/leeds/?q=library",
        "register, no query": "/register/",
        "suggestions": "/search/suggest/?q=cam",
    }
    client = Client()
    print("| URL | what | status | results | median ms | p95 ms | queries |")
    print("|---|---|---|---|---|---|---|")
    for name, url in urls.items():
        response = client.get(url)  # warm: spelling vocabulary, site cache
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        search = response.context.get("search") if response.context is not None else None
        results = search.count if search is not None else "-"
        p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"| `{url}` | {name} | {response.status_code} | {results} | {statistics.median(timings):.0f} | "
            f"{p95:.0f} | {len(queries.captured_queries)} |"
        )


if __name__ == "__main__":
    main()
