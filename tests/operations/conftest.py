"""Real servers of our own for outage tests: a Redis and a PostgreSQL that a test may stop and start again
(never the shared ones other tests and sessions use)."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from tests.feedback.conftest import world  # noqa: F401 (a fixture the outage tests share)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {deadline} s")


class OwnRedis:
    """redis-server on a loopback port of its own, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.exceptions.RedisError:
            return False

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is needed for the outage tests (Debian's redis-server package)")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, "Redis starting")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        wait_for(lambda: not self.answers(), "Redis stopping")

    def keys(self):
        return redis.Redis(port=self.port).keys("*")


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    if server.process:
        server.stop()
