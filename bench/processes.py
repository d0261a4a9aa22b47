"""The processes a benchmark starts: waiting until one answers, stopping its whole group."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import requests


def wait_ready(
    url: str, process: subprocess.Popen | None = None, timeout: float = 120
) -> requests.Response:
    """Poll ``url`` until it answers 200; exit the benchmark if ``process`` dies first or the
    time runs out (a bench that measured a server that never started would report nothing
    useful)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = requests.get(url, timeout=2)
            if answer.status_code == 200:
                return answer
        except requests.RequestException:
            pass
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server for {url} exited while starting")
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer 200 in {timeout:.0f} s")
        time.sleep(0.3)


def stop_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 30):
    """Stop a process started with ``start_new_session=True`` and everything it forked:
    ``sig``, then SIGKILL if the group is still there after ``wait`` seconds."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


# -- reading /proc (Linux): which processes a started server became, and their CPU ----------


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces): index 0 is
    the state, 1 the parent, 2 the process group, 11 and 12 utime and stime in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read().decode(errors="replace")
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def children_by_parent() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(name)) is not None:
            kids.setdefault(int(fields[1]), []).append(int(name))
    return kids


def descendants(root: int) -> list[int]:
    """``root`` and every process under it."""
    kids = children_by_parent()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def group_members(group: int) -> list[int]:
    """Every live process in the process group ``group``."""
    members = []
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(name)) is not None and int(fields[2]) == group:
            members.append(int(name))
    return members


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes ``pids`` have used so far (gone ones count nothing)."""
    ticks = 0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
