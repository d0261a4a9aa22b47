"""``parley run`` (``make run``) keeps its stack up and never leaves it behind (hardening 6)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from tests.support.live_server import free_port
from tests.support.waiting import wait_until

PROCESSES = re.compile(r"^processes: (.+)$")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited; only its parent has not reaped it yet


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def test_parley_run_restarts_a_crashed_child_and_dies_with_all_of_them(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PARLEY_DATA_DIR": str(tmp_path / "instance"),
        "PARLEY_PORT": str(port),
        "PARLEY_DEMO_PORT": str(free_port()),
        "PARLEY_WEB_WORKERS": "1",
        "PARLEY_WEB_THREADS": "4",
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "worker.cli_entry", "run"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    reader = threading.Thread(target=lambda: [lines.put(line) for line in run.stdout], daemon=True)
    reader.start()

    def read_until(pattern: str, timeout: float) -> re.Match[str]:
        found: list[re.Match[str]] = []

        def arrived() -> bool:
            while not lines.empty():
                line = lines.get().rstrip("\n")
                seen.append(line)
                match = re.search(pattern, line)
                if match:
                    found.append(match)
            return bool(found)

        assert wait_until(arrived, timeout=timeout), "\n".join(seen)
        return found[0]

    pids: dict[str, int] = {}
    try:
        listed = read_until(PROCESSES.pattern, timeout=120).group(1)
        pids = {name: int(pid) for name, pid in re.findall(r"([a-z]+(?: \d+)?) (\d+)", listed)}
        assert {"web", "worker 1", "sweeper", "demo", "redis"} <= set(pids), listed
        assert wait_until(lambda: _healthy(port), timeout=60), "\n".join(seen)

        os.kill(pids["worker 1"], signal.SIGKILL)
        read_until(r"worker 1 exited with -9; restarting", timeout=30)
        again = int(read_until(r"worker 1 restarted \(pid (\d+)\)", timeout=60).group(1))
        assert again != pids["worker 1"] and _alive(again)
        assert _healthy(port)  # the web server was never touched

        # parley run itself killed, as an OOM killer or `kill -9` would: nothing stays behind.
        os.kill(run.pid, signal.SIGKILL)
        run.wait(10)
        started = [*pids.values(), again]
        assert wait_until(lambda: not any(_alive(pid) for pid in started), timeout=30), [
            pid for pid in started if _alive(pid)
        ]
        assert wait_until(lambda: not _healthy(port), timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for pid in pids.values():
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        run.wait(10)
        reader.join(10)  # the pipe reaches its end once every writer is gone
        run.stdout.close()
