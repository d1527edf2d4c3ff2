#!/usr/bin/env python
"""Restore drill: proves that a backup of the register can be restored and works (README "Backups and restore").

It dumps the live database with pg_dump (and archives MEDIA_ROOT if given), restores the dump into a new scratch
database with pg_restore, then checks the copy: the same number of rows in every table as the dump's snapshot,
no unapplied migrations, Django's system checks, and the home page (and one entry) answering 200. It prints a
plain report with timings and exits 0 only when everything matched.

    DATABASE_URL=postgres://register:…@db:5432/register python ops/restore_drill.py --media-root /app/media

Exit status: 0 the copy matched, 1 a check found a difference, 2 the drill could not run (a tool is missing, a
server did not answer, the scratch database already exists). The source database is only ever read: row counts
are taken in a read-only transaction whose snapshot pg_dump shares, so they are exactly what the dump holds even
while the site takes feedback. Run it from a checkout or image of the same release as the live site.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

PROJECT = Path(__file__).resolve().parent.parent

# The tables whose counts the report names (every table is compared). Their names come from the models:
# wagtail.models.Page, datauses.DataUsePage, feedback.FeedbackSubmission and django.contrib.auth's User
# (tests/operations/test_restore_drill.py checks that they still match).
KEY_TABLES = {
    "wagtailcore_page": "pages",
    "datauses_datausepage": "register entries",
    "feedback_feedbacksubmission": "feedback responses",
    "auth_user": "staff accounts",
}

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}

TABLES_QUERY = """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
    ORDER BY 1, 2
"""


class DrillError(Exception):
    """The drill could not run (as opposed to running and finding a difference)."""


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database named by a DATABASE_URL. The password is handed to libpq in the environment, never
    on a command line, where anyone on the machine could read it."""

    url: str

    def __post_init__(self):
        parts = urlsplit(self.url)
        if parts.scheme not in POSTGRES_SCHEMES or not parts.path.strip("/"):
            raise DrillError(f"Not a PostgreSQL database URL with a database name: {self.safe}")

    @property
    def name(self):
        return unquote(urlsplit(self.url).path.strip("/"))

    @property
    def server(self):
        parts = urlsplit(self.url)
        return (parts.hostname or "", parts.port or 5432)

    @property
    def password(self):
        password = urlsplit(self.url).password
        return unquote(password) if password else None

    @property
    def conninfo(self):
        """The URL without its password, in the form libpq reads."""
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if ":" in netloc:  # an IPv6 address
            netloc = f"[{netloc}]"
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        if parts.username:
            netloc = f"{parts.username}@{netloc}"
        return urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))

    @property
    def safe(self):
        """For the report: the URL with its password hidden."""
        parts = urlsplit(self.url)
        if parts.password:
            return self.url.replace(f":{parts.password}@", ":***@", 1)
        return self.url

    def renamed(self, name):
        parts = urlsplit(self.url)
        return Database(urlunsplit((parts.scheme, parts.netloc, "/" + quote(name), parts.query, "")))

    def connect(self, **kwargs):
        try:
            return psycopg.connect(self.conninfo, password=self.password, connect_timeout=10, **kwargs)
        except psycopg.OperationalError as error:
            raise DrillError(f"Cannot connect to {self.safe}: {str(error).strip()}") from error

    def tool_env(self):
        env = dict(os.environ)
        env.pop("PGPASSWORD", None)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


class Report:
    """Prints as the drill goes, so a long dump shows progress; collects the differences for the verdict."""

    def __init__(self):
        self.problems = []

    def line(self, label, text=""):
        print(f"{label:<18}{text}".rstrip(), flush=True)

    def problem(self, text):
        self.problems.append(text)
        print(f"  DIFFERENCE: {text}", flush=True)


def run(command, env=None, what=""):
    """Runs one of the PostgreSQL tools or Django (a fixed argument list, never a shell)."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise DrillError(f"{what or command[0]} failed (exit {result.returncode}):\n{result.stderr.strip()[-3000:]}")
    return result


def megabytes(size):
    if size < 1000:
        return f"{size} bytes"
    return f"{size / 1_000_000:,.1f} MB" if size >= 1_000_000 else f"{size / 1000:,.1f} kB"


def files(count):
    return f"{count} file" if count == 1 else f"{count} files"


def pg_tool(name, server_major, pg_bin):
    """The pg_dump or pg_restore for the server's major version: --pg-bin, then Debian's per-version folder, then
    the PATH. An older pg_dump refuses a newer server, so say so plainly before it does."""
    candidates = [Path(pg_bin) / name] if pg_bin else []
    candidates += [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            version = run([str(candidate), "--version"]).stdout.strip()
            match = re.search(r"\)\s*(\d+)", version)  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
            major = int(match.group(1)) if match else 0
            if major < server_major:
                raise DrillError(
                    f"{candidate} is {version}, older than the server (PostgreSQL {server_major}). Install the "
                    f"PostgreSQL {server_major} client tools (Debian: postgresql-client-{server_major}) or give "
                    "--pg-bin."
                )
            return str(candidate), version
    raise DrillError(
        f"{name} is not installed. Install the PostgreSQL {server_major} client tools "
        f"(Debian: postgresql-client-{server_major}) or give --pg-bin."
    )


def count_rows(connection):
    """{"schema.table" or "table" (for public): rows} for every table, in the connection's current snapshot."""
    counts = {}
    with connection.cursor() as cursor:
        for schema, table in cursor.execute(TABLES_QUERY).fetchall():
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
            counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def compare_counts(report, source_counts, copy_counts):
    report.line("rows", f"{'table':<34}{'source':>12}{'restored':>12}")
    for table, label in KEY_TABLES.items():
        source, copy = source_counts.get(table), copy_counts.get(table)
        verdict = "ok" if source == copy and source is not None else "DIFFERENT"
        report.line(
            "",
            f"{table:<34}{source if source is not None else '-':>12}{copy if copy is not None else '-':>12}"
            f"  {verdict} ({label})",
        )
    for table in KEY_TABLES:
        if table not in source_counts:
            report.problem(f"the source has no table {table}: is this the register's database?")
    for table in sorted(source_counts.keys() | copy_counts.keys()):
        source, copy = source_counts.get(table), copy_counts.get(table)
        if source is None:
            report.problem(f"table {table} is in the restored copy but not in the source")
        elif copy is None:
            report.problem(f"table {table} is missing from the restored copy")
        elif source != copy:
            report.problem(f"table {table} has {source} rows in the source but {copy} in the restored copy")
    same = sum(1 for t in source_counts if source_counts[t] == copy_counts.get(t))
    report.line(
        "",
        f"{f'all {len(source_counts)} tables':<34}{sum(source_counts.values()):>12}{sum(copy_counts.values()):>12}"
        f"  {same} of {len(source_counts)} match",
    )


def archive_media(media_root, backup_dir, stamp, report):
    """MEDIA_ROOT as a plain tar (images and PDFs are already compressed), then read back into a scratch folder
    that the smoke request uses as its MEDIA_ROOT. Returns that folder."""
    media_root = Path(media_root)
    if not media_root.is_dir():
        raise DrillError(f"MEDIA_ROOT {media_root} is not a directory")
    archive = backup_dir / f"register-{stamp}-media.tar"
    started = time.monotonic()
    count, size = 0, 0
    with tarfile.open(archive, "w") as tar:
        for path in sorted(media_root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                count += 1
                size += path.stat().st_size
    archived = time.monotonic() - started
    report.line("media archive", f"{archive}  {files(count)}, {megabytes(archive.stat().st_size)} in {archived:.1f} s")
    restored = Path(tempfile.mkdtemp(prefix="restore-drill-media-"))
    started = time.monotonic()
    with tarfile.open(archive) as tar:
        tar.extractall(restored, filter="data")
    back = [p for p in restored.rglob("*") if p.is_file()]
    back_size = sum(p.stat().st_size for p in back)
    report.line("media restore", f"{files(len(back))}, {megabytes(back_size)} in {time.monotonic() - started:.1f} s")
    if (len(back), back_size) != (count, size):
        report.problem(f"media: archived {files(count)} ({size} bytes) but read back {len(back)} ({back_size} bytes)")
    return restored


def check_django(copy, settings, media_root, report):
    """migrate --check, check and a smoke request, run by Django against the copy in a process of its own."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=copy.url,
        DJANGO_SETTINGS_MODULE=settings,
        MEDIA_ROOT=str(media_root),
        # The copy must not reach the live site's cache, search cluster, CDN, queue or mail server.
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    for name in ("REDIS_URL", "SEARCH_URL", "PAGE_CACHE_SECONDS", "FRONTEND_CACHE_PURGE_URL", "CLOUDFLARE_ZONE_ID"):
        env.pop(name, None)
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--django-checks"],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        report.problem(f"Django could not start against the restored copy:\n{result.stderr.strip()[-3000:]}")
        return
    if found["unapplied"]:
        report.line("migrate --check", "FAILED")
        report.problem("unapplied migrations in the restored copy: " + ", ".join(found["unapplied"]))
    else:
        report.line("migrate --check", "ok (no unapplied migrations)")
    if found["check"]:
        report.line("check", "FAILED")
        report.problem("manage.py check: " + found["check"])
    else:
        report.line("check", "ok")
    for path, status in found["requests"]:
        report.line("smoke request", f"GET {path} {status}" + (" ok" if status == 200 else ""))
        if isinstance(status, str):
            report.problem(f"GET {path} from the restored copy failed with {status}")
        elif status != 200:
            report.problem(f"GET {path} answered {status} from the restored copy, not 200")
    report.line("", f"(Django checks took {time.monotonic() - started:.1f} s)")


def django_checks():
    """Runs inside the child process (--django-checks): prints one line of JSON for check_django."""
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from wagtail.models import Site

    from datauses.models import DataUsePage

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    unapplied = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    try:
        call_command("check", databases=["default"], stdout=sys.stderr)
        check = ""
    except SystemCheckError as error:
        check = str(error)

    # The smoke request: Django's test client, in this process, against the copy. HTTPS as the load balancer
    # says it (production redirects plain HTTP), and the host of the Site each page belongs to. Static files are
    # in the image, not the backup, so their addresses are not looked up in a collected manifest. Whatever
    # showing a page writes (a site's settings made on first use, an image rendition) is rolled back, so the
    # copy stays as restored and --verify-only can be run on it again.
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    requests = []

    def get(path, host):
        try:
            requests.append((path, client.get(path, secure=True, headers={"host": host}).status_code))
        except Exception as error:  # noqa: BLE001 (whatever broke the page goes in the report)
            requests.append((path, f"{error.__class__.__name__}: {error}"))

    with override_settings(STORAGES=plain_static), transaction.atomic():
        site = Site.objects.filter(is_default_site=True).first()
        get("/", site.hostname if site else "testserver")
        entry = DataUsePage.objects.live().public().order_by("pk").first()
        parts = entry.get_url_parts() if entry else None
        if parts:
            site_id, _root, path = parts
            get(path, Site.objects.get(pk=site_id).hostname)
        transaction.set_rollback(True)
    print(json.dumps({"unapplied": unapplied, "check": check, "requests": requests}))


def drill(args, report):
    source = Database(args.source_url)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copy = Database(args.scratch_url) if args.scratch_url else source.renamed(f"{source.name}_restore_drill_{stamp}")
    copy = copy.renamed(args.scratch_name) if args.scratch_name else copy
    maintenance = copy.renamed(args.maintenance_db)
    if copy.server == source.server and copy.name == source.name:
        raise DrillError("The scratch database is the source database; the drill never restores over it.")

    # Refuse before any work: the drill restores only into a database it creates, and drops only that one.
    with maintenance.connect(autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy.name]).fetchone():
            raise DrillError(
                f"The scratch database {copy.name} already exists on {copy.server[0]}:{copy.server[1]}. The drill "
                "only restores into a database it creates; choose another --scratch-name, or drop that one."
            )

    backup_dir = Path(args.backup_dir) if args.backup_dir else Path(tempfile.mkdtemp(prefix="restore-drill-"))
    backup_dir.mkdir(parents=True, exist_ok=True)
    dump = backup_dir / f"register-{stamp}.dump"
    report.line("restore drill", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")

    created, media = False, None
    try:
        # Read-only from start to end: the counts and pg_dump see the same snapshot.
        with source.connect() as live:
            live.read_only = True
            live.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            version = live.info.server_version
            report.line("source", f"{source.safe} (PostgreSQL {version // 10000}.{version % 10000})")
            pg_dump, dump_version = pg_tool("pg_dump", version // 10000, args.pg_bin)
            pg_restore, restore_version = pg_tool("pg_restore", version // 10000, args.pg_bin)
            report.line("tools", f"{pg_dump} ({dump_version})")
            report.line("", f"{pg_restore} ({restore_version})")
            with live.cursor() as cursor:
                snapshot = cursor.execute("SELECT pg_export_snapshot()").fetchone()[0]
                encoding, collate, ctype = cursor.execute(
                    "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                    "WHERE datname = current_database()"
                ).fetchone()
            source_counts = count_rows(live)
            started = time.monotonic()
            run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={source.conninfo}"],
                env=source.tool_env(),
                what="pg_dump",
            )
            report.line("dump", f"{dump}  {megabytes(dump.stat().st_size)} in {time.monotonic() - started:.1f} s")
            live.rollback()

        media = archive_media(args.media_root, backup_dir, stamp, report) if args.media_root else None

        with maintenance.connect(autocommit=True) as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
                    sql.Identifier(copy.name), sql.Literal(encoding), sql.Literal(collate), sql.Literal(ctype)
                )
            )
            created = True
        started = time.monotonic()
        command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", f"--jobs={args.jobs}"]
        run([*command, f"--dbname={copy.conninfo}", str(dump)], env=copy.tool_env(), what="pg_restore")
        report.line("restore", f"into {copy.name} in {time.monotonic() - started:.1f} s")

        verify(copy, source_counts, args, report, media)
    finally:
        if created and not args.keep:
            with maintenance.connect(autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy.name)))
            report.line("scratch database", f"{copy.name} dropped")
        elif created:
            report.line("scratch database", f"{copy.name} kept (--keep): {copy.safe}")
        if media:
            shutil.rmtree(media, ignore_errors=True)
        if not args.backup_dir:
            shutil.rmtree(backup_dir, ignore_errors=True)
        else:
            report.line("backup files", f"kept in {backup_dir}")


def verify(copy, source_counts, args, report, media=None):
    with copy.connect() as restored:
        restored.read_only = True
        copy_counts = count_rows(restored)
    compare_counts(report, source_counts, copy_counts)
    scratch_media = media or Path(tempfile.mkdtemp(prefix="restore-drill-media-"))
    try:
        check_django(copy, args.settings, scratch_media, report)
    finally:
        if not media:
            shutil.rmtree(scratch_media, ignore_errors=True)


def verify_only(args, report):
    """Checks a copy restored earlier (by --keep, or by hand from a provider's backup) against the source now."""
    source, copy = Database(args.source_url), Database(args.verify_only)
    if copy.server == source.server and copy.name == source.name:
        raise DrillError("--verify-only names the source database itself; give the restored copy.")
    report.line("verify only", f"{copy.safe} against {source.safe} as it is now")
    with source.connect() as live:
        live.read_only = True
        live.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        source_counts = count_rows(live)
    verify(copy, source_counts, args, report)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source_url",
        nargs="?",
        default=os.environ.get("DATABASE_URL"),
        help="the live database (default: $DATABASE_URL)",
    )
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT"), help="also archive and check these files")
    parser.add_argument("--backup-dir", help="keep the dump (and media archive) here; by default they are deleted")
    parser.add_argument("--scratch-url", help="restore on this server instead of the source's (its database name too)")
    parser.add_argument("--scratch-name", help="name of the scratch database (default: <source>_restore_drill_<time>)")
    parser.add_argument("--maintenance-db", default="postgres", help="where to connect to create the scratch database")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--jobs", type=int, default=1, help="parallel pg_restore jobs")
    parser.add_argument("--pg-bin", default=os.environ.get("PG_BIN"), help="folder holding pg_dump and pg_restore")
    parser.add_argument(
        "--settings",
        default=os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.production"),
        help="Django settings for the checks (default: $DJANGO_SETTINGS_MODULE or portal.settings.production)",
    )
    parser.add_argument("--verify-only", metavar="COPY_URL", help="only check a copy restored earlier")
    parser.add_argument("--django-checks", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.django_checks:
        django_checks()
        return 0
    report = Report()
    started = time.monotonic()
    try:
        if not args.source_url:
            raise DrillError("Give the live database's URL (or set DATABASE_URL).")
        if args.verify_only:
            verify_only(args, report)
        else:
            drill(args, report)
    except (DrillError, psycopg.Error) as error:
        report.line("RESULT", f"COULD NOT RUN: {str(error).strip()}")
        return 2
    report.line("total time", f"{time.monotonic() - started:.1f} s")
    if report.problems:
        report.line("RESULT", f"FAILED: {len(report.problems)} difference(s)")
        for problem in report.problems:
            print(f"  - {problem}")
        return 1
    report.line("RESULT", "PASSED: the restored copy matches the source")
    return 0


if __name__ == "__main__":
    sys.exit(main())
