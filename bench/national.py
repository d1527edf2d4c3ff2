"""A national-scale load test: 20 councils, 10,000 entries and 1,000,000 feedback responses on PostgreSQL,
served under gunicorn with production settings and measured with wrk against a stock Wagtail site.

    apt-get install -y wrk                                   # the load tool (the script stops without it)
    .venv/bin/python bench/national.py --quick               # small data, short runs: a few minutes
    .venv/bin/python bench/national.py --json /tmp/national.json   # full size; generates once (~10 min)

Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379. The data set is made once in
the database bench_national (bench_national_quick with --quick) and reused while it is big enough; the stock
site is made afresh in a temporary folder, with its own database bench_national_stock. Each page is measured
with the page cache off (PAGE_CACHE_SECONDS=0) and on (300), on separate gunicorn starts. Prints one table
and exits non-zero when a target is missed. Not part of `make test`.
"""

import argparse
import atexit
import contextlib
import datetime
import gzip
import hashlib
import hmac
import html
import json
import multiprocessing
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
WORK_DIR = Path(tempfile.gettempdir()) / "bench-national"
BENCH_USERNAME = "bench-national"
# Every request says it came through our TLS load balancer (trusted as TRUSTED_PROXIES) and accepts gzip, as
# a browser behind the balancer would; without X-Forwarded-Proto production redirects to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}

# The 17 councils added to the demo's Bristol, Leeds and Cardiff: name, short name, slug, prefix, Welsh?
COUNCILS = [
    ("Manchester City Council", "Manchester", "manchester", "MCR", False),
    ("Birmingham City Council", "Birmingham", "birmingham", "BHM", False),
    ("Sheffield City Council", "Sheffield", "sheffield", "SHF", False),
    ("Newcastle City Council", "Newcastle", "newcastle", "NCL", False),
    ("Nottingham City Council", "Nottingham", "nottingham", "NTM", False),
    ("Leicester City Council", "Leicester", "leicester", "LCR", False),
    ("Plymouth City Council", "Plymouth", "plymouth", "PLY", False),
    ("Liverpool City Council", "Liverpool", "liverpool", "LIV", False),
    ("City of York Council", "York", "york", "YRK", False),
    ("Brighton and Hove City Council", "Brighton and Hove", "brighton-and-hove", "BAH", False),
    ("Norfolk County Council", "Norfolk", "norfolk", "NFK", False),
    ("Kent County Council", "Kent", "kent", "KNT", False),
    ("Cornwall Council", "Cornwall", "cornwall", "CNW", False),
    ("Cumberland Council", "Cumberland", "cumberland", "CMB", False),
    ("Swansea Council", "Swansea", "swansea", "SWA", True),
    ("Gwynedd Council", "Gwynedd", "gwynedd", "GWY", True),
    ("Newport City Council", "Newport", "newport", "NPT", True),
]
WELSH_COUNCIL = "cardiff"  # the demo council whose pages are translated: its /cy/ register is the small one
# Title endings that tell one council's similar entries apart, as real registers do (by place or phase).
VARIANTS = [
    "city centre", "north", "south", "east", "west", "Riverside ward", "Hillside ward", "Northfield estate",
    "Market ward", "the harbour area", "town centres", "villages", "secondary schools", "primary schools",
    "council tenants", "older residents", "young people", "carers", "2024 pilot", "second phase",
    "weekend service", "phone service", "online service", "winter service", "summer scheme", "park and ride",
    "leisure centres", "community hubs", "care homes", "new estates",
]  # fmt: skip
EXTRA_PARAGRAPHS = [
    "We started this after residents told us the old way was slow and hard to follow.",
    "Staff were trained before it began, and we check each year that it still does what we say here.",
    "If you think we got something wrong about you, tell us. A person will look at it again.",
    "We looked at what other councils do and chose the simplest way that still keeps your data safe.",
    "Only the staff who need the information for this service can see it.",
    "We tell you before we use your information in a new way.",
    "The service is paid for by the council. No company may use your information for its own purposes.",
    "We review this work every year with our data protection officer.",
    "You can ask us for a copy of the information we hold about you. It is free.",
    "We publish figures each year on how many people used the service and how many complaints we had.",
    "This runs in a small area first. We will only use it more widely if it works and people are happy with it.",
    "Paper forms are still available at our offices and libraries for people who do not use the internet.",
]
COMMENTS = [
    "I did not know the council did this. Thank you for explaining it.",
    "Who checks that the computer gets it right?",
    "I am fine with this if the data is deleted quickly.",
    "Please let people say no to this.",
    "It makes sense, but I would like to know who else sees it.",
    "This sounds helpful for families who struggle.",
    "I worry about mistakes being hard to put right.",
    "Clear and easy to read. Thank you.",
    "Why do you need to keep it for so long?",
    "I would feel better if someone outside the council checked this.",
    "Good idea, as long as it is not sold to companies.",
    "My neighbour was wrongly fined. How do I complain?",
    "I did not know I could opt out. Please make this easier to find.",
    "The cameras make me feel safer in town at night.",
    "Too much watching of ordinary people.",
    "Can you say how many people this has helped?",
    "Does the police get this information?",
    "Happy with this. It saves time for everyone.",
    "Please explain what the computer actually does.",
    "I am not comfortable with a company abroad holding this.",
]
CONDITION_SETS = [
    "[]", '["opt_out"]', '["clearer_explanation"]', '["oversight"]', '["fewer_people"]', '["shorter_retention"]',
    '["clearer_explanation", "opt_out"]', '["fewer_people", "shorter_retention"]', '["opt_out", "oversight"]',
    '["nothing"]',
]  # fmt: skip
WRK_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status, errors))
end
"""

# "search, a new query each time": every request asks for two words from this list, picked at random, so few
# searches are repeated within a run and the memo (base/memo.py) rarely has the answer: what distinct
# searches by many residents cost.
SEARCH_WORDS = [
    "cameras", "parking", "school", "housing", "repairs", "council", "tax", "benefits", "care", "children",
    "waste", "bins", "library", "health", "police", "sharing", "fraud", "licence", "travel", "transport",
    "permits", "fines", "rent", "tenants", "noise", "planning", "roads", "lighting", "energy", "grants",
    "adult", "social", "support", "payments", "records", "visits", "safety", "traffic", "elections", "voters",
]  # fmt: skip
NEW_SEARCH = "/search/?q=(two words picked at random)"
# The monthly insight report measured: last month's, which the data set has answers in.
LAST_MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
WRK_NEW_SEARCH = (
    "local words = {"
    + ", ".join(f'"{word}"' for word in SEARCH_WORDS)
    + "}\n"
    + """
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
request = function()
  local path = "/search/?q=" .. words[math.random(#words)] .. "+" .. words[math.random(#words)]
  return wrk.format(nil, path)
end
"""
    + WRK_DONE
)


# ---- command line ----------------------------------------------------------------------------------------------
def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help=f"PostgreSQL URL (default {POSTGRES}/bench_national)")
    parser.add_argument("--entries", type=int, help="register entries in the data set (default 10,000)")
    parser.add_argument("--responses", type=int, help="feedback responses in the data set (default 1,000,000)")
    parser.add_argument("--duration", type=int, help="seconds of wrk per page, in three runs (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, feedback posters (default 16)")
    parser.add_argument("--posts", type=int, help="feedback posts to send (default 1,000)")
    parser.add_argument("--quick", action="store_true", help="300 entries, 30,000 responses, 3-second runs")
    parser.add_argument("--regenerate", action="store_true", help="drop the data set and make it again")
    parser.add_argument("--redis-db", type=int, default=11, help="Redis database number, emptied on each start")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    quick = args.quick
    args.database = args.database or f"{POSTGRES}/bench_national" + ("_quick" if quick else "")
    args.entries = args.entries or (300 if quick else 10_000)
    args.responses = args.responses or (30_000 if quick else 1_000_000)
    args.duration = args.duration or (3 if quick else 10)
    args.posts = args.posts or (200 if quick else 1000)
    return args


def require_wrk():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. Install it (Debian/Ubuntu: apt-get install -y wrk), then run this again.")


# ---- processes: started here, always stopped here ---------------------------------------------------------------
_servers = []


def stop_all_servers():
    for process in _servers:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in _servers:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    _servers.clear()


def exit_on_signal(signum, frame):
    sys.exit(128 + signum)  # runs atexit, which stops the servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app, cwd, env, log):
    """gunicorn as the Dockerfile runs it (gunicorn.conf.py: asyncio worker, access log), 2 workers, local port."""
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), app, "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", "2"]  # fmt: skip
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=out, start_new_session=True)
    _servers.append(process)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn for {app} stopped at start; see {log}")
        with contextlib.suppress(requests.RequestException):
            requests.get(f"{base}/healthz", headers=PROXY_HEADERS, timeout=2)
            return process, base
        time.sleep(0.3)
    sys.exit(f"gunicorn for {app} did not answer within 90 s; see {log}")


def stop_gunicorn(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    _servers.remove(process)


# ---- the site's environment -----------------------------------------------------------------------------------
def site_env(args, page_cache_seconds):
    """Production settings (portal/settings/production.py) for plain http on 127.0.0.1 behind a trusted proxy."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-national-not-secret-" + hashlib.sha256(args.database.encode()).hexdigest()[:32],
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": args.database,
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def ensure_database(url, drop=False):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        if drop:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def empty_redis(db):
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def manage(env, *arguments, cwd=ROOT, capture=False):
    result = subprocess.run([PYTHON, "manage.py", *arguments], cwd=cwd, env=env, capture_output=capture, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr if capture else ''}")
    return result.stdout


def _run_with_env(env, func, arguments):
    os.environ.update(env)
    import django

    django.setup()
    return func(*arguments)


def in_django(env, func, *arguments, processes=1):
    """Run func in a fresh process set up with env's settings (so this process never holds a connection).

    With processes=N, runs func(*arguments, part, N) in N processes at once and returns their results."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        if processes == 1:
            return pool.apply(_run_with_env, (env, func, arguments))
        return pool.starmap(_run_with_env, [(env, func, (*arguments, part, processes)) for part in range(processes)])


# ---- the data set (these run inside Django) ------------------------------------------------------------------
def data_size():
    from wagtail.models import Locale

    from datauses.models import DataUsePage
    from feedback.models import FeedbackSubmission

    entries = DataUsePage.objects.filter(locale=Locale.get_default()).count()
    return entries, FeedbackSubmission.objects.count()


def load_demo_and_councils():
    """The demo's three councils (with Cardiff's Welsh), then 17 more, each with the demo's team names."""
    from django.core.management import call_command
    from wagtail.models import Locale

    from datauses.councils import add_council
    from datauses.models import Organisation

    call_command("load_demo_register", verbosity=0)
    teams = sorted({team["name"] for name in ("bristol", "leeds", "cardiff") for team in _demo(name)["teams"]})
    for name, short_name, slug, prefix, welsh in COUNCILS:
        if Organisation.objects.filter(slug=slug, locale=Locale.get_default()).exists():
            continue
        add_council(
            slug,
            name,
            short_name=short_name,
            reference_prefix=prefix,
            languages=["cy"] if welsh else [],
            teams=teams,
            website=f"https://www.{slug}.gov.uk",
            intro=f"This list shows each {name} service that uses information about you, and how to have your say.",
            dpo_name="Data Protection Officer",
            dpo_email=f"dataprotection@{slug}.example.org",
        )


def _demo(name):
    return json.loads((ROOT / "demo" / f"{name}.json").read_text(encoding="utf-8"))


def entry_templates():
    """The demo's entries, with the name of the council they were written for, and their owner team's name."""
    templates = []
    for name in ("bristol", "leeds", "cardiff"):
        data = _demo(name)
        teams = {team["key"]: team["name"] for team in data["teams"]}
        for entry in data["entries"]:
            templates.append((data["organisation"], teams.get(entry.get("owner_team")), entry))
    return templates


def _localise(text, source, organisation):
    return text.replace(source["name"], organisation.name).replace(source["short_name"], organisation.short_name)


def build_entry(rng, n, organisation, template, terms):
    """One entry from a demo entry: the other council's words, a title of its own, dates over two years."""
    import datetime

    from django.utils.text import slugify

    from datauses.models import DataSharing, DataUseCategory, DataUsePage, Risk

    source, team_name, e = template
    variant = rng.choice(VARIANTS)
    title = f"{_localise(e['title'], source, organisation)}: {variant}"
    reviewed = datetime.date.today() - datetime.timedelta(days=rng.randint(0, 330))
    status = rng.choices(["in_use", "pilot", "planned", "retired"], weights=[70, 15, 10, 5])[0]
    page = DataUsePage(
        title=title,
        locale=terms["locale"],
        slug=f"{slugify(title)[:60].rstrip('-')}-{n}",
        summary=_localise(e["summary"], source, organisation),
        organisation=organisation,
        service_area=terms["areas"][e["service_area"]],
        owner_team=terms["teams"].get((organisation.pk, team_name)),
        status=status,
        start_date=datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 2200)),
        end_date=datetime.date.today() if status == "retired" else None,
        purpose=_localise(e["purpose"], source, organisation) + "\n\n" + rng.choice(EXTRA_PARAGRAPHS),
        not_used_for=_localise(e.get("not_used_for", ""), source, organisation),
        benefits=_localise(e["benefits"], source, organisation),
        alternatives_considered=_localise(e.get("alternatives_considered", ""), source, organisation),
        data_sources=_localise(e["data_sources"], source, organisation),
        storage_location=e["storage_location"],
        leaves_uk=e.get("leaves_uk", False),
        international_transfers=e.get("international_transfers", ""),
        retention=e["retention"],
        lawful_basis=e["lawful_basis"],
        lawful_basis_detail=e.get("lawful_basis_detail", ""),
        special_category_condition=e.get("special_category_condition", ""),
        decision_making=e["decision_making"],
        profiling=e.get("profiling", False),
        uses_algorithm=e.get("uses_algorithm", False),
        algorithm_description=e.get("algorithm_description", ""),
        human_review=e.get("human_review", ""),
        opt_out=_localise(e["opt_out"], source, organisation),
        challenge_route=_localise(e["challenge_route"], source, organisation),
        challenge_url=e.get("challenge_url", ""),
        challenge_offline=_localise(e["challenge_offline"], source, organisation),
        last_reviewed=reviewed,
        next_review_due=reviewed + datetime.timedelta(days=365),
        body=json.dumps(e.get("body", [])),
    )
    page.data_categories = [
        DataUseCategory(
            category=terms["categories"][c["category"]], reason=c["reason"], locale=terms["locale"], sort_order=i
        )
        for i, c in enumerate(e["data_categories"])
    ]
    page.sharing = [
        DataSharing(
            partner=terms["partners"][s["partner"]],
            purpose=s["purpose"],
            is_processor=s.get("is_processor", False),
            locale=terms["locale"],
            sort_order=i,
        )
        for i, s in enumerate(e["sharing"])
        if s["partner"] in terms["partners"]
    ]
    page.risks = [
        Risk(risk=r["risk"], safeguard=r["safeguard"], locale=terms["locale"], sort_order=i)
        for i, r in enumerate(e["risks"])
    ]
    return page


def _terms(locale):
    from datauses.models import DataCategory, ServiceArea, ServiceOwnerTeam, SharingPartner

    return {
        "locale": locale,
        "areas": {t.slug: t for t in ServiceArea.objects.filter(locale=locale)},
        "categories": {t.slug: t for t in DataCategory.objects.filter(locale=locale)},
        "partners": {t.slug: t for t in SharingPartner.objects.filter(locale=locale)},
        "teams": {(t.organisation_id, t.name): t for t in ServiceOwnerTeam.objects.filter(locale=locale)},
    }


def _next_references(registers):
    from datauses.models import DataUsePage

    numbers = {}
    for register in registers:
        prefix = register.organisation.reference_prefix
        refs = DataUsePage.objects.filter(reference__startswith=f"{prefix}-").values_list("reference", flat=True)
        numbers[register.pk] = max((int(r.rsplit("-", 1)[1]) for r in refs if r.rsplit("-", 1)[1].isdigit()), default=0)
    return numbers


def publish_in_bulk(pages, rng):
    """A published revision for each new page, written in bulk, dated over the last two years."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page, Revision

    from datauses.models import DataUsePage

    content_type = ContentType.objects.get_for_model(DataUsePage)
    base_type = ContentType.objects.get_for_model(Page)
    dates = [timezone.now() - datetime.timedelta(days=rng.uniform(0, 730)) for _ in pages]
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            object_str=page.title,
            content=page.serializable_data(),
            created_at=when,
        )
        for page, when in zip(pages, dates, strict=True)
    )
    rows = [Page(pk=page.pk) for page in pages]
    for row, revision, when in zip(rows, revisions, dates, strict=True):
        row.live_revision = row.latest_revision = revision
        row.first_published_at = row.last_published_at = row.latest_revision_created_at = when
    Page.objects.bulk_update(
        rows,
        ["live_revision", "latest_revision", "first_published_at", "last_published_at", "latest_revision_created_at"],
    )


def add_entries(target, part=0, parts=1):
    """Top the English register up to target entries, spread evenly over the councils, in batches.

    With parts > 1 each process fills its own councils' registers (registers[part::parts]), so they never wait
    for each other."""
    from django.db import transaction
    from wagtail.models import Locale
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from datauses.models import DataUsePage, RegisterPage
    from demo.loader import search_index_paused

    english = Locale.get_default()
    missing = max(0, target - DataUsePage.objects.filter(locale=english).count())
    missing = missing // parts + (1 if part < missing % parts else 0)
    if not missing:
        return 0
    registers = list(
        RegisterPage.objects.filter(organisation__isnull=False, locale=english)
        .select_related("organisation")
        .order_by("organisation__slug")
    )[part::parts]
    terms = _terms(english)
    templates = entry_templates()
    numbers = _next_references(registers)
    start = DataUsePage.objects.count()
    rng = random.Random(start * parts + part)  # noqa: S311 - made-up data, not a secret
    started = time.monotonic()
    with disable_reference_index_auto_update(), search_index_paused():
        for batch_start in range(0, missing, 250):
            with transaction.atomic():
                pages = []
                for i in range(batch_start, min(missing, batch_start + 250)):
                    register = registers[i % len(registers)]
                    page = build_entry(
                        rng, start + i * parts + part, register.organisation, rng.choice(templates), terms
                    )
                    numbers[register.pk] += 1
                    page.reference = f"{register.organisation.reference_prefix}-{numbers[register.pk]:04d}"
                    register.add_child(instance=page)
                    pages.append(page)
                publish_in_bulk(pages, rng)
            done = min(missing, batch_start + 250)
            print(
                f"  entries, part {part + 1}/{parts}: {done}/{missing} ({time.monotonic() - started:.0f} s)", flush=True
            )
    return missing


FEEDBACK_SQL = """
INSERT INTO feedback_feedbacksubmission (entry_id, organisation_id, revision_id, comfort, trust, conditions,
    comment, publish_consent, language, approved_for_publication, state, state_reason, flagged_personal_data,
    flagged_abuse, dedupe_key, created_at, owners_notified_at /*EXTRA COLUMNS*/)
SELECT e.entry_id, e.organisation_id, e.revision_id, a.comfort,
    CASE WHEN a.comfort IN ('very_comfortable', 'fairly_comfortable')
         THEN (ARRAY['yes', 'yes', 'yes', 'partly', 'partly', 'not_sure', ''])[1 + floor(s.r3 * 7)::int]
         ELSE (ARRAY['no', 'no', 'partly', 'partly', 'not_sure', 'yes', ''])[1 + floor(s.r3 * 7)::int] END,
    CASE WHEN a.comfort IN ('very_comfortable', 'fairly_comfortable') AND s.r4 < 0.7 THEN '[]'::jsonb
         ELSE (%(conditions)s::text[])[1 + floor(s.r4 * %(n_conditions)s)::int]::jsonb END,
    CASE WHEN s.r5 < 0.07 THEN (%(comments)s::text[])[1 + floor(s.r5 / 0.07 * %(n_comments)s)::int] ELSE '' END,
    s.r5 < 0.035,
    CASE WHEN e.welsh AND s.r3 < 0.3 THEN 'cy' ELSE 'en-gb' END,
    s.r5 < 0.012,
    CASE WHEN s.created_at > now() - interval '30 days' THEN 'new'
         ELSE (ARRAY['reviewed', 'reviewed', 'reviewed', 'new', 'answered', 'not_actionable'])[1 + floor(s.r2 * 6)::int]
    END,
    '', false, false, 'national-' || s.g, s.created_at, s.created_at /*EXTRA VALUES*/
FROM (
    SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
        now() - interval '730 days' * power(random(), 1.4) AS created_at
    FROM generate_series(%(first)s, %(last)s) AS g
) AS s
JOIN bench_entries AS e ON e.idx = floor(power(s.r1, 2.5) * %(n_entries)s)::int
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN s.r2 < (ARRAY[0.30, 0.15, 0.08, 0.30])[e.lean + 1] THEN 'very_comfortable'
        WHEN s.r2 < (ARRAY[0.65, 0.40, 0.20, 0.40])[e.lean + 1] THEN 'fairly_comfortable'
        WHEN s.r2 < (ARRAY[0.80, 0.65, 0.40, 0.50])[e.lean + 1] THEN 'not_sure'
        WHEN s.r2 < (ARRAY[0.92, 0.85, 0.70, 0.65])[e.lean + 1] THEN 'fairly_uncomfortable'
        ELSE 'very_uncomfortable' END AS comfort
) AS a
"""


def _other_feedback_columns():
    """Columns FEEDBACK_SQL does not name (added to the model since), each with its default: (names, values)."""
    from django.db import connection

    from feedback.models import FeedbackSubmission

    named = set(
        re.search(r"\((entry_id.*?)\)", FEEDBACK_SQL, re.S).group(1).replace("/*EXTRA COLUMNS*/", "").split(",")
    )
    named = {name.strip() for name in named}
    columns, values = [], []
    for field in FeedbackSubmission._meta.concrete_fields:
        if field.primary_key or field.column in named:
            continue
        if not (field.has_default() or field.null):
            sys.exit(f"FeedbackSubmission.{field.name} has no default: bench/national.py needs to fill it in.")
        columns.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(field.get_default() if field.has_default() else None, connection))
    return columns, values


def add_feedback(target):
    """Top feedback up to target rows in SQL: a few entries get most answers, each entry leans its own way."""
    from django.db import connection, transaction
    from wagtail.models import Locale

    from feedback.models import FeedbackSubmission

    missing = target - FeedbackSubmission.objects.count()
    if missing <= 0:
        return 0
    first = FeedbackSubmission.objects.filter(dedupe_key__startswith="national-").count()
    welsh = [WELSH_COUNCIL] + [slug for _n, _s, slug, _p, is_welsh in COUNCILS if is_welsh]
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_entries")
        # The order (by a hash of the id) decides which entries are answered most: spread over the councils.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_entries AS
            SELECT (row_number() OVER (ORDER BY md5(p.id::text)) - 1)::int AS idx, d.page_ptr_id AS entry_id,
                d.organisation_id, p.live_revision_id AS revision_id, abs(hashtext(p.id::text)) %% 4 AS lean,
                o.slug = ANY(%s) AS welsh
            FROM datauses_datausepage AS d
            JOIN wagtailcore_page AS p ON p.id = d.page_ptr_id
            JOIN datauses_organisation AS o ON o.id = d.organisation_id
            WHERE p.locale_id = %s AND p.live
            """,
            [welsh, Locale.get_default().pk],
        )
        cursor.execute("CREATE INDEX ON bench_entries (idx)")
        cursor.execute("SELECT count(*) FROM bench_entries")
        n_entries = cursor.fetchone()[0]
        columns, values = _other_feedback_columns()
        sql = FEEDBACK_SQL.replace("/*EXTRA COLUMNS*/", "".join(f", {c}" for c in columns))
        sql = sql.replace("/*EXTRA VALUES*/", "".join(f", %(extra_{i})s" for i in range(len(values))))
        for chunk in range(first, first + missing, 200_000):
            last = min(first + missing, chunk + 200_000) - 1
            params = {
                "first": chunk,
                "last": last,
                "n_entries": n_entries,
                "conditions": CONDITION_SETS,
                "n_conditions": len(CONDITION_SETS),
                "comments": COMMENTS,
                "n_comments": len(COMMENTS),
                **{f"extra_{i}": value for i, value in enumerate(values)},
            }
            with transaction.atomic():
                cursor.execute(sql, params)
            print(f"  feedback: {last + 1 - first}/{missing} rows ({time.monotonic() - started:.0f} s)", flush=True)
        cursor.execute("DROP TABLE bench_entries")
    return missing


def analyse():
    """VACUUM ANALYZE, as autovacuum would soon after: update_index rewrites every index row once, and the
    dead rows and the GIN indexes' pending list it leaves make PostgreSQL read several times the pages a search
    needs (a two-word search: 11 ms before, 4 ms after)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def prepare_bench_user(password):
    """A superuser for the admin pages, with an authenticator app (a TOTP device) whose key we know."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_USERNAME, defaults={"email": "bench@example.org", "is_staff": True, "is_superuser": True}
    )
    user.set_password(password)
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device.key


def pick_pages():
    """The addresses to measure: a typical entry, the most-answered one, a big council's register."""
    from django.db.models import Count
    from wagtail.models import Locale

    from datauses.models import DataUsePage, RegisterPage
    from feedback.models import FeedbackSubmission

    english = Locale.get_default()
    answered = FeedbackSubmission.objects.values("entry").annotate(n=Count("pk")).order_by("-n", "entry")
    ordered = [(row["entry"], row["n"]) for row in answered]
    most_id, most_answers = ordered[0]
    typical_id, typical_answers = ordered[len(ordered) // 2]
    registers = RegisterPage.objects.live().filter(organisation__isnull=False, locale=english)
    biggest = max(registers, key=lambda r: r.get_children().count())
    welsh = RegisterPage.objects.live().get(organisation__slug=WELSH_COUNCIL, locale__language_code="cy")
    return {
        "entry": DataUsePage.objects.get(pk=typical_id).url,
        "entry_answers": typical_answers,
        "busy_entry": DataUsePage.objects.get(pk=most_id).url,
        "busy_entry_id": most_id,
        "busy_answers": most_answers,
        "register": biggest.url,
        "welsh_register": welsh.url,
        "council": biggest.specific.organisation.slug,
    }


def count_queries(paths, session_cookie=None):
    """SQL queries for each path, in-process against the same database: the second request of two."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in paths.items():
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        if session_cookie and path.startswith("/admin/"):
            client.cookies["sessionid"] = session_cookie
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path, secure=True).status_code
        counts[name] = {"queries": len(queries.captured_queries), "status": status}
    return counts


def stored_feedback():
    from feedback.models import FeedbackSubmission

    return FeedbackSubmission.objects.count()


# ---- the stock Wagtail site -------------------------------------------------------------------------------------
STOCK_LOCAL_SETTINGS = """
import dj_database_url
import os

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
"""
STOCK_ASGI = """
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocksite.settings.production")
application = get_asgi_application()
"""


def make_stock_site(args):
    """`wagtail start` in a temporary folder, on PostgreSQL, DEBUG off; returns its folder and environment."""
    folder = Path(tempfile.mkdtemp(prefix="stock-", dir=WORK_DIR))
    subprocess.run([str(VENV_BIN / "wagtail"), "start", "stocksite", str(folder)], check=True, capture_output=True)
    (folder / "stocksite" / "settings" / "local.py").write_text(STOCK_LOCAL_SETTINGS)
    (folder / "stocksite" / "asgi.py").write_text(STOCK_ASGI)
    database = f"{POSTGRES}/bench_national_stock"
    ensure_database(database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stocksite.settings.production",
        "SECRET_KEY": "bench-stock-not-secret-" + secrets.token_hex(16),
        "DATABASE_URL": database,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # gunicorn.conf.py names our access logger (base.request_log); the stock site gets that one module, not our apps.
    shim = WORK_DIR / "gunicorn-shim"
    shim.mkdir(exist_ok=True)
    if not (shim / "base").exists():
        (shim / "base").symlink_to(ROOT / "base")
    env["PYTHONPATH"] = str(shim)
    manage(env, "migrate", "--noinput", "-v0", cwd=folder)
    manage(env, "collectstatic", "--noinput", "-v0", cwd=folder)
    return folder, env


# ---- measuring over HTTP ------------------------------------------------------------------------------------------
def wrk(url, duration, connections, headers=None, script=WRK_DONE):
    """req/s and latency percentiles (ms) from wrk -t2 -c<connections> -d<duration>s --latency."""
    lua = WORK_DIR / f"wrk-{os.getpid()}-{time.monotonic_ns()}.lua"
    lua.write_text(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "--latency", "-s", str(lua)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    lua.unlink()
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests_done, micros, p50, p95, p99, bad_status, socket_errors = (int(x) for x in line.split()[1:8])
    return {
        "rps": requests_done / (micros / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "requests": requests_done,
        "bad_status": bad_status,
        "socket_errors": socket_errors,
        "output": output,
    }


def http_get(url, headers, **kwargs):
    return requests.get(url, headers=headers, timeout=60, **kwargs)


def probe(base, path, cookies=None):
    """Status and the X-Page-Cache header of two requests in a row (a miss then a hit, when the cache is on)."""
    seen = []
    for _ in range(2):
        response = http_get(base + path, headers={**PROXY_HEADERS, **(cookies or {})}, allow_redirects=False)
        seen.append(response.headers.get("X-Page-Cache", "-"))
    return response.status_code, "/".join(seen)


def page_weight(base, path, cookies=None):
    """HTML bytes raw, gzipped as served, brotli (if the module is here), and with its CSS/JS as served gzipped."""
    headers = {"X-Forwarded-Proto": "https", **(cookies or {})}
    raw = http_get(base + path, headers={**headers, "Accept-Encoding": "identity"}).content
    served = http_get(base + path, headers={**headers, "Accept-Encoding": "gzip"}, stream=True)
    gzipped = len(served.raw.read()) if served.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(raw))
    try:
        import brotli

        brotli_size = len(brotli.compress(raw))
    except ImportError:
        brotli_size = None
    assets = 0
    if raw.lstrip()[:1] == b"<":
        links = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', raw)
        for link in dict.fromkeys(links):
            asset = http_get(base + link.decode(), headers={**PROXY_HEADERS}, stream=True)
            assets += len(asset.raw.read())
    return {"html": len(raw), "gzip": gzipped, "brotli": brotli_size, "total_gzip": gzipped + assets}


def totp(hex_key, at=None):
    """The six-digit code an authenticator app shows now (RFC 6238, as django-otp's TOTPDevice checks it)."""
    counter = int((at or time.time()) // 30)
    mac = hmac.new(bytes.fromhex(hex_key), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(int.from_bytes(mac[offset : offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def _form_value(html, name):
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


def sign_in(base, username, password, key):
    """Sign in at /admin/login/ and give the code at /admin/two-factor/, as a person does; the session cookie.

    The cookies are Secure (production), so they are carried by hand over the plain-http connection."""
    jar = {}
    origin = "https://" + urlsplit(base).netloc
    session = requests.Session()

    def call(method, path, **data):
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        headers = {**PROXY_HEADERS, "Cookie": cookie, "Origin": origin, "Referer": origin + path}
        response = session.request(
            method, base + path, headers=headers, data=data or None, allow_redirects=False, timeout=60
        )
        session.cookies.clear()
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie_name, _, rest = header.partition("=")
            jar[cookie_name.strip()] = rest.split(";", 1)[0]
        return response

    page = call("GET", "/admin/login/")
    token = _form_value(page.text, "csrfmiddlewaretoken")
    call("POST", "/admin/login/", csrfmiddlewaretoken=token, username=username, password=password, next="/admin/")
    page = call("GET", "/admin/two-factor/?next=/admin/")
    token = _form_value(page.text, "csrfmiddlewaretoken")
    answer = call("POST", "/admin/two-factor/", csrfmiddlewaretoken=token, code=totp(key), next="/admin/")
    check = call("GET", "/admin/feedback/sentiment/")
    if check.status_code != 200 or "sessionid" not in jar:
        sys.exit(
            f"Could not sign in as {username} (two-factor answered {answer.status_code}, admin {check.status_code})"
        )
    return jar["sessionid"]


def start_tokens(base, entry_ids):
    """The signed start time from each entry's feedback form, shown now and sent once it is old enough."""
    tokens = []
    for entry_id in entry_ids:
        page = http_get(f"{base}/feedback/{entry_id}/", headers=PROXY_HEADERS).text
        tokens.append((entry_id, html.unescape(_form_value(page, "started"))))
    return tokens


def post_feedback(args, env, base, entry_ids):
    """--posts distinct answers, each from its own visitor (X-Forwarded-For from the trusted proxy), --connections
    at a time; then the rows stored must be exactly the posts accepted."""
    tokens = start_tokens(base, entry_ids)
    time.sleep(4)  # FEEDBACK_MIN_SECONDS_TO_FILL is 3
    before = in_django(env, stored_feedback)
    run = secrets.token_hex(4)
    comforts = ["very_comfortable", "fairly_comfortable", "not_sure", "fairly_uncomfortable", "very_uncomfortable"]
    local = threading.local()

    def send(n):
        entry_id, token = tokens[n % len(tokens)]
        answers = {"started": token, "comfort": comforts[n % 5], "trust": ["yes", "partly", "no"][n % 3],
                   "comment": f"bench {run} post {n}"}  # fmt: skip
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
        local.session = getattr(local, "session", None) or requests.Session()
        begin = time.perf_counter()
        response = local.session.post(
            f"{base}/feedback/{entry_id}/", data=answers, headers=headers, allow_redirects=False, timeout=60
        )
        return response.status_code, (time.perf_counter() - begin) * 1000

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.connections) as pool:
        results = list(pool.map(send, range(args.posts)))
    elapsed = time.perf_counter() - begin
    after = in_django(env, stored_feedback)
    statuses = Counter(status for status, _ in results)
    timings = sorted(ms for _, ms in results)
    accepted = statuses.get(302, 0)  # the redirect to "Thank you"
    return {
        "rps": accepted / elapsed,
        "p50_ms": timings[len(timings) // 2],
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "requests": len(results),
        "accepted": accepted,
        "refused": len(results) - accepted,
        "statuses": dict(statuses),
        "stored": after - before,
        "bad_status": len(results) - accepted,
        "socket_errors": 0,
    }


# ---- the run ------------------------------------------------------------------------------------------------------
def generate(args):
    """Make (or top up) the data set, then index it and precompute what the project precomputes."""
    env = site_env(args, 0)
    ensure_database(args.database, drop=args.regenerate)
    print(f"Database {args.database}: migrating", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    entries, responses = in_django(env, data_size)
    timings = {}
    if entries >= args.entries and responses >= args.responses:
        print(f"  reusing {entries} entries and {responses} responses", flush=True)
    else:
        started = time.monotonic()
        in_django(env, load_demo_and_councils)
        added = sum(in_django(env, add_entries, args.entries, processes=2))
        timings["entries_s"] = time.monotonic() - started
        started = time.monotonic()
        in_django(env, add_feedback, args.responses)
        timings["feedback_s"] = time.monotonic() - started
        if added:
            started = time.monotonic()
            manage(env, "update_index", "-v0")
            timings["update_index_s"] = time.monotonic() - started
            print(f"  update_index: {timings['update_index_s']:.0f} s", flush=True)
        entries, responses = in_django(env, data_size)
    timings.update(aggregates_command(env))
    # Last, after everything that writes: update_index's dead rows and its GIN pending list (which every
    # search reads in full until a vacuum merges it) would otherwise slow searches for a while.
    in_django(env, analyse)
    print(f"  data set: {entries} entries, {responses} responses", flush=True)
    return {"entries": entries, "responses": responses, **timings}


def aggregates_command(env):
    """Run the project's commands that precompute feedback figures, if it has them by now: the sentiment tallies,
    then the insight pages' figures worked out from them (each timed)."""
    commands = manage(env, "help", "--commands", capture=True).split()
    found = [c for c in commands if re.search(r"sentiment|aggregate", c)]
    timings = {"aggregates_command": None}
    for command in found[:1]:
        print(f"  running manage.py {command}", flush=True)
        started = time.monotonic()
        manage(env, command)
        timings.update(aggregates_command=command, aggregates_s=time.monotonic() - started)
    if not found:
        print("  no command for precomputing feedback figures (looked for *sentiment* / *aggregate*)", flush=True)
    if "refresh_insight" in commands:
        print("  running manage.py refresh_insight", flush=True)
        started = time.monotonic()
        manage(env, "refresh_insight")
        timings["refresh_insight_s"] = time.monotonic() - started
    return timings


def check_insight():
    """The insight pages' partnership total against the responses counted straight from the table: the same
    responses (of entries with at least 10), the same number comfortable."""
    from django.db.models import Count, Q

    from feedback import insight
    from feedback.models import COMFORTABLE, FeedbackSubmission, State

    figures, _computed_at = insight.current()
    published = insight.figure(figures, insight.TOTAL, insight.ALL, insight.ALL)
    counted = (
        FeedbackSubmission.objects.filter(entry_id__in=insight.counted_entries(), tallied=True)
        .exclude(state=State.SPAM)
        .aggregate(n=Count("pk"), comfortable=Count("pk", filter=Q(comfort__in=COMFORTABLE)))
    )
    return {
        "published": [published.responses, published.comfortable],
        "counted": [counted["n"], counted["comfortable"]],
        "same": [published.responses, published.comfortable] == [counted["n"], counted["comfortable"]],
    }


def collect_static(env):
    manage(env, "collectstatic", "--noinput", "-v0")


def public_pages(chosen):
    register = chosen["register"]
    return {
        "home": "/",
        "entry": chosen["entry"],
        "entry, most answered": chosen["busy_entry"],
        "register": register,
        "register, 2 filters": f"{register}?status=in_use&automated=yes",
        "register in Welsh": chosen["welsh_register"],
        "search 'cameras'": "/search/?q=cameras",
        "search 3 words": "/search/?q=council+tax+discount",
        "search, a new query each time": NEW_SEARCH,
        "title suggestions": "/search/suggest/?q=cam",
        "insight, all councils": "/what-residents-told-us/",
        "insight, one council": f"/what-residents-told-us/{chosen['council']}/",
        "insight report, one council": f"/what-residents-told-us/{chosen['council']}/report/{LAST_MONTH}/",
    }


def admin_pages(chosen):
    return {
        "sentiment overview": "/admin/feedback/sentiment/",
        "sentiment, one entry": f"/admin/feedback/sentiment/entry/{chosen['busy_entry_id']}/",
    }


RUNS = 3


def measure_pages(args, base, pages, cookie=None, weights=True):
    results = {}
    cookies = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    for name, path in pages.items():
        script = WRK_DONE
        if path == NEW_SEARCH:
            path, script = "/search/?q=cameras+parking", WRK_NEW_SEARCH  # probed and weighed as a typical one
        status, cache = probe(base, path, cookies)
        # gunicorn's asyncio workers take connections as they wake: wrk's 16 connections, opened while one
        # worker is still finishing the last run's requests, all land on the other (half the machine). So each
        # run starts after a second's rest, and the median of three runs is reported.
        runs = []
        for _ in range(RUNS):
            time.sleep(1)
            runs.append(
                wrk(
                    base + path,
                    max(2, args.duration // RUNS),
                    args.connections,
                    headers={**PROXY_HEADERS, **cookies},
                    script=script,
                )
            )
        figures = sorted(runs, key=lambda run: run["rps"])[RUNS // 2]
        figures.update(path=path, status=status, page_cache=cache, runs_rps=[round(run["rps"], 1) for run in runs])
        if weights:
            figures["weight"] = page_weight(base, path, cookies)
        results[name] = figures
        print(f"  {name:24} {status} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  cache {cache}")
    return results


def measure_stock(args):
    folder, env = make_stock_site(args)
    process, base = start_gunicorn("stocksite.asgi:application", folder, env, WORK_DIR / "stock-gunicorn.log")
    try:
        print(f"Stock Wagtail site ({folder}) on {base}", flush=True)
        results = measure_pages(args, base, {"stock home page": "/"})
    finally:
        stop_gunicorn(process)
        shutil.rmtree(folder, ignore_errors=True)
    return results


def measure_site(args, chosen, page_cache_seconds, password, key):
    """One gunicorn start of our site: its public pages; uncached also the static file, admin and posts."""
    env = site_env(args, page_cache_seconds)
    empty_redis(args.redis_db)
    process, base = start_gunicorn("portal.asgi:application", ROOT, env, WORK_DIR / "site-gunicorn.log")
    label = "cached" if page_cache_seconds else "uncached"
    results, extra = {}, {}
    try:
        print(f"Our site, page cache {label} (PAGE_CACHE_SECONDS={page_cache_seconds}) on {base}", flush=True)
        home = http_get(base + "/", headers=PROXY_HEADERS).text
        css = re.search(r'href="(/static/css/main[^"]*\.css)"', home).group(1)
        if not page_cache_seconds:
            results.update(measure_pages(args, base, {"static CSS (whitenoise)": css}, weights=False))
        results.update(measure_pages(args, base, public_pages(chosen)))
        if not page_cache_seconds:
            cookie = sign_in(base, BENCH_USERNAME, password, key)
            extra["session"] = cookie
            results.update(measure_pages(args, base, admin_pages(chosen), cookie=cookie))
            entry_ids = [chosen["busy_entry_id"]]
            results["feedback POST"] = post_feedback(args, env, base, entry_ids)
            post = results["feedback POST"]
            print(
                f"  feedback POST: {post['rps']:.1f} posts/s, statuses {post['statuses']}, {post['stored']} rows stored"
            )
    finally:
        stop_gunicorn(process)
    return results, extra


def targets(results, stock_rps):
    """(ratio, target text, passed) for each row."""
    rows = []
    static_rps = results["uncached"]["static CSS (whitenoise)"]["rps"]
    entry_p50 = results["uncached"]["entry"]["p50_ms"]
    for label, pages in results.items():
        for name, figures in pages.items():
            skipped = "skip" in figures.get("page_cache", "")
            if name.startswith("static"):
                ratio, target, goal = figures["rps"] / stock_rps, "(baseline)", None
            elif name.startswith(("sentiment", "insight")) and label != "cached":
                ratio, target, goal = figures["p50_ms"] / entry_p50, "p50 <= 5x entry p50", ("max", 5)
            elif label == "cached" and not skipped:
                ratio, target, goal = figures["rps"] / static_rps, ">= 0.5x static", ("min", 0.5)
            elif name.startswith("search"):
                ratio, target, goal = figures["rps"] / stock_rps, ">= 0.33x stock", ("min", 0.33)
            else:
                ratio, target, goal = figures["rps"] / stock_rps, ">= 0.5x stock", ("min", 0.5)
            if goal is None:
                passed = None
            else:
                passed = ratio <= goal[1] if goal[0] == "max" else ratio >= goal[1]
                passed = passed and figures.get("bad_status", 0) == 0 and figures.get("socket_errors", 0) == 0
            if name == "feedback POST":
                passed = passed and figures["stored"] == figures["accepted"]
            figures.update(ratio=ratio, target=target, passed=passed)
            rows.append((label, name, figures))
    return rows


def _kb(n):
    return "-" if n is None else f"{n / 1024:.1f}"


def print_table(rows, stock):
    print()
    print(f"{'page':38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'HTML/gzip/total KB':>20} "
          f"{'ratio':>6}  {'target':22} result  cache")  # fmt: skip
    all_rows = [("stock", "stock home page", stock), *rows]
    for label, name, figures in all_rows:
        weight = figures.get("weight")
        weight_text = f"{_kb(weight['html'])}/{_kb(weight['gzip'])}/{_kb(weight['total_gzip'])}" if weight else "-"
        result = {True: "PASS", False: "MISS", None: "-"}[figures.get("passed")]
        if figures.get("bad_status") or figures.get("socket_errors"):
            result += f" ({figures.get('bad_status', 0)} bad, {figures.get('socket_errors', 0)} socket errors)"
        ratio = f"{figures['ratio']:.2f}" if "ratio" in figures else "-"
        print(
            f"{name + ' (' + label + ')':38} {figures['rps']:8.1f} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} "
            f"{figures.get('queries', '-'):>7} {weight_text:>20} {ratio:>6}  {figures.get('target', '-'):22} "
            f"{result:6}  {figures.get('page_cache', '-')}"
        )


def main():
    args = parse_args()
    require_wrk()
    WORK_DIR.mkdir(exist_ok=True)
    atexit.register(stop_all_servers)
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)
    began = time.monotonic()

    data = generate(args)
    env = site_env(args, 0)
    data["insight_check"] = in_django(env, check_insight)
    print(f"Insight figures against a direct count: {data['insight_check']}", flush=True)
    started = time.monotonic()
    collect_static(env)
    print(f"collectstatic: {time.monotonic() - started:.0f} s", flush=True)
    chosen = in_django(env, pick_pages)
    password = secrets.token_urlsafe(24)
    key = in_django(env, prepare_bench_user, password)

    stock = measure_stock(args)["stock home page"]
    results = {}
    results["uncached"], extra = measure_site(args, chosen, 0, password, key)
    results["cached"], _ = measure_site(args, chosen, 300, password, key)

    print("Counting SQL queries in-process", flush=True)
    all_paths = {**public_pages(chosen), **admin_pages(chosen)}
    counts = {
        "uncached": in_django(site_env(args, 0), count_queries, all_paths, extra["session"]),
        "cached": in_django(site_env(args, 300), count_queries, public_pages(chosen)),
    }
    for label, pages in results.items():
        for name, figures in pages.items():
            if name in counts[label]:
                figures["queries"] = counts[label][name]["queries"]

    rows = targets(results, stock["rps"])
    print_table(rows, stock)
    seen = {figures.get("page_cache", "") for figures in results["cached"].values()}
    if not any(word in "/".join(seen) for word in ("hit", "miss", "skip")):
        print("\nPage cache not present: no X-Page-Cache header with PAGE_CACHE_SECONDS=300.")
    missed = [f"{name} ({label})" for label, name, figures in rows if figures["passed"] is False]
    elapsed = time.monotonic() - began
    print(f"\nData: {data['entries']} entries, {data['responses']} responses; run took {elapsed / 60:.1f} min.")
    if not data["insight_check"]["same"]:
        missed.append("insight figures equal a direct count")
    print("Missed: " + ", ".join(missed) if missed else "Every target met.")
    if args.json:
        for pages in results.values():
            for figures in pages.values():
                figures.pop("output", None)
        stock.pop("output", None)
        report = {"data": data, "pages": chosen, "stock": stock, "results": results, "missed": missed}
        args.json.write_text(json.dumps(report, indent=2, default=str))
        print(f"Figures written to {args.json}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
