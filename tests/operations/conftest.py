"""Real servers of our own for outage tests: a Redis and a PostgreSQL that a test may stop and start again
(never the shared ones other tests and sessions use)."""

import os
import shutil
import socket
import subprocess
import threading

import pytest
import redis

from tests.feedback.conftest import world  # noqa: F401 (a fixture the outage tests share)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Output:
    """What a server we started writes to a pipe, read by a thread as it comes (so the pipe never fills and
    blocks the server): waiting for a line is waiting for the server to say it is ready or has logged a
    request, not guessing with sleeps."""

    def __init__(self, pipe):
        self.text = ""
        self.ended = False
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(pipe,), daemon=True).start()

    def _read(self, pipe):
        for chunk in iter(lambda: os.read(pipe.fileno(), 65536), b""):
            with self.changed:
                self.text += chunk.decode(errors="replace")
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for(self, needle, what, deadline=60):
        with self.changed:
            if not self.changed.wait_for(lambda: needle in self.text or self.ended, timeout=deadline):
                pytest.fail(f"{what} did not happen within {deadline} s; the server said:\n{self.text[-2000:]}")
            if needle not in self.text:
                pytest.fail(f"The server stopped before {what}; it said:\n{self.text[-2000:]}")
            return self.text


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
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        Output(self.process.stdout).wait_for("Ready to accept connections", "Redis starting")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)  # it has closed its port once it has exited
            self.process = None
        assert not self.answers()

    def keys(self):
        return redis.Redis(port=self.port).keys("*")


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    if server.process:
        server.stop()
