"""Post feedback concurrently to a running server, then count what was stored.

    # in one terminal (any settings; SQLite or PostgreSQL):
    make run
    # in another:
    .venv/bin/python bench/feedback_load.py --url http://127.0.0.1:8000 --entry-id 12 --posts 400 --workers 16

Every post has distinct answers except a share of deliberate double clicks. The rate limit counts per client
address, so run the server with FEEDBACK_RATE_LIMIT raised for this test or it will answer 429 after ten posts.
Prints throughput, status codes and whether the database holds exactly one row per distinct answer.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--entry-id", type=int, required=True)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--duplicate-share", type=float, default=0.2, help="share of posts sent twice at once")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from feedback.models import FeedbackSubmission
    from tests.factories import started_token

    run = uuid.uuid4().hex[:8]
    started = started_token(args.entry_id, seconds_ago=60)
    comments = [f"bench {run} answer {n}" for n in range(args.posts)]
    doubled = comments[: int(len(comments) * args.duplicate_share)]
    to_send = comments + doubled
    opener = urllib.request.build_opener(NoRedirect)
    url = f"{args.url}/feedback/{args.entry_id}/"

    def send(comment):
        body = urllib.parse.urlencode({"started": started, "comfort": "not_sure", "comment": comment}).encode()
        begin = time.perf_counter()
        try:
            # The URL is the bench's own server address (http://127.0.0.1:...), never user input.
            request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, (time.perf_counter() - begin) * 1000

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(send, to_send))
    elapsed = time.perf_counter() - begin
    statuses = Counter(status for status, _ in results)
    timings = sorted(ms for _, ms in results)
    stored = FeedbackSubmission.objects.filter(comment__startswith=f"bench {run} ").count()
    print(f"sent {len(to_send)} posts ({len(doubled)} double clicks) with {args.workers} workers in {elapsed:.1f}s")
    print(
        f"throughput {len(to_send) / elapsed:.1f} posts/s; median {statistics.median(timings):.0f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms"
    )
    print(f"status codes {dict(statuses)}")
    print(
        f"stored {stored} rows for {len(comments)} distinct answers: {'OK' if stored == len(comments) else 'MISMATCH'}"
    )


if __name__ == "__main__":
    main()
